"""Claude through the official `anthropic` SDK: forced tool use for typed answers.

The API key lives only inside the SDK client. Errors are re-raised as `ProviderError` with
messages scrubbed of the key and without the SDK exception (which holds the request) chained.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

import anthropic
from pydantic import ValidationError

from .base import LLMProvider, ModelT, ProviderError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "claude-sonnet-4-5"
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_RETRIES = 2


class AnthropicProvider(LLMProvider):
    """An `LLMProvider` backed by the Anthropic Messages API."""

    name = "anthropic"
    supports_structured = True

    def __init__(
        self,
        *,
        api_key: str | None = None,
        model: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: Any = None,
    ) -> None:
        """`http_client` is an ``httpx2.Client`` (tests pass one over a MockTransport)."""
        super().__init__()
        key = api_key or os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise ProviderError(
                "the anthropic provider needs ANTHROPIC_API_KEY to be set",
                kind="configuration",
                provider=self.name,
            )
        self.model = model or DEFAULT_MODEL
        self.timeout = timeout
        self.max_retries = max_retries
        self._client = anthropic.Anthropic(
            api_key=key, timeout=timeout, max_retries=max_retries, http_client=http_client
        )

    def structured(
        self, system: str, user: str, schema: type[ModelT], tool_name: str, *, max_tokens: int = 2048
    ) -> ModelT:
        tool = {
            "name": tool_name,
            "description": (schema.__doc__ or f"Record a {schema.__name__}.").strip(),
            "input_schema": schema.model_json_schema(),
        }
        started = time.perf_counter()
        response = self._send(
            "structured",
            started,
            lambda: self._client.messages.create(
                model=self.model,
                max_tokens=max_tokens,
                system=system,
                messages=[{"role": "user", "content": user}],
                tools=[tool],
                tool_choice={"type": "tool", "name": tool_name},
            ),
        )
        block = next((b for b in response.content if b.type == "tool_use" and b.name == tool_name), None)
        try:
            if block is None:
                raise ValueError(f"the reply has no {tool_name!r} tool call")
            result = schema.model_validate(block.input)
        except (ValidationError, ValueError) as exc:
            detail = (
                f"{exc.error_count()} validation error(s)" if isinstance(exc, ValidationError) else str(exc)
            )
            self._finish("structured", started, response, ok=False, error=f"invalid_output: {detail}")
            raise ProviderError(
                f"{schema.__name__} from {self.model} is invalid: {detail}",
                kind="invalid_output",
                provider=self.name,
            ) from None
        self._finish("structured", started, response)
        return result

    def complete(self, system: str, user: str, max_tokens: int = 1024, *, draft: str | None = None) -> str:
        started = time.perf_counter()
        response = self._send(
            "complete",
            started,
            lambda: self._client.messages.create(
                model=self.model,
                max_tokens=max_tokens,
                system=system,
                messages=[{"role": "user", "content": user}],
            ),
        )
        self._finish("complete", started, response)
        return "".join(block.text for block in response.content if block.type == "text")

    def _send(self, kind: Any, started: float, request: Callable[[], Any]) -> Any:
        """Run one SDK request, turning SDK failures into a recorded `ProviderError`."""
        try:
            return request()
        except anthropic.APITimeoutError:
            error = ProviderError(
                f"the Anthropic API did not answer within {self.timeout:g} s",
                kind="timeout",
                provider=self.name,
            )
        except anthropic.APIStatusError as exc:
            error = ProviderError(
                f"the Anthropic API returned HTTP {exc.status_code}: {self._scrub(_error_type(exc))}",
                kind="api_status",
                provider=self.name,
                status=exc.status_code,
            )
        except anthropic.APIConnectionError:
            error = ProviderError(
                "could not connect to the Anthropic API", kind="connection", provider=self.name
            )
        except anthropic.AnthropicError as exc:
            error = ProviderError(
                f"Anthropic SDK error: {self._scrub(type(exc).__name__)}", kind="api", provider=self.name
            )
        self._record(kind, started, ok=False, error=error.reason)
        log.warning("%s %s call failed after %d attempt(s): %s", self.name, kind, self.max_retries + 1, error)
        raise error

    def _finish(
        self, kind: Any, started: float, response: Any, *, ok: bool = True, error: str | None = None
    ) -> None:
        usage = getattr(response, "usage", None)
        call = self._record(
            kind,
            started,
            ok=ok,
            error=error,
            input_tokens=getattr(usage, "input_tokens", 0) or 0,
            output_tokens=getattr(usage, "output_tokens", 0) or 0,
        )
        log.info(
            "%s %s model=%s tokens=%d/%d latency=%.0f ms ok=%s",
            self.name,
            kind,
            self.model,
            call.input_tokens,
            call.output_tokens,
            call.latency_ms,
            ok,
        )

    def _scrub(self, text: str) -> str:
        key = self._client.api_key
        return text.replace(key, "[REDACTED]") if key else text


def _error_type(exc: anthropic.APIStatusError) -> str:
    """The API's error type and message ("overloaded_error: Overloaded"), never the request."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    kind, message = error.get("type", "error"), str(error.get("message", ""))[:200]
    return f"{kind}: {message}" if message else kind
