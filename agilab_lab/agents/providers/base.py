"""The provider interface the designer's agents call, and the record each call leaves."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

ModelT = TypeVar("ModelT", bound=BaseModel)
ErrorKind = Literal[
    "timeout", "api_status", "connection", "invalid_output", "unsupported", "configuration", "api"
]


class ProviderError(Exception):
    """An LLM call that did not produce a usable answer.

    `kind` says why (timeout, api_status, connection, invalid_output, unsupported,
    configuration); `status` is the HTTP status for api_status. The message never holds a key.
    """

    def __init__(self, message: str, *, kind: ErrorKind, provider: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.provider = provider
        self.status = status

    @property
    def reason(self) -> str:
        """Short machine-friendly cause, e.g. "api_status 529" or "timeout"."""
        return f"{self.kind} {self.status}" if self.status else self.kind


class NotSupported(ProviderError):
    """The provider cannot do this kind of call (the offline provider has no structured output)."""

    def __init__(self, message: str, *, provider: str) -> None:
        super().__init__(message, kind="unsupported", provider=provider)


@dataclass
class ProviderCall:
    """One call to a provider: what it cost in tokens and time, and whether it worked."""

    provider: str
    model: str | None
    kind: Literal["structured", "complete"]
    started_at: float  # epoch seconds
    latency_ms: float
    input_tokens: int = 0
    output_tokens: int = 0
    ok: bool = True
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class LLMProvider(ABC):
    """What agents need from a language model: typed answers and free text.

    Every call appends a `ProviderCall` to `calls`, failed ones included.
    """

    name: str = "provider"
    model: str | None = None
    supports_structured: bool = False

    def __init__(self) -> None:
        self.calls: list[ProviderCall] = []

    @abstractmethod
    def structured(
        self, system: str, user: str, schema: type[ModelT], tool_name: str, *, max_tokens: int = 2048
    ) -> ModelT:
        """An instance of `schema`, produced through forced tool use; raises ProviderError."""

    @abstractmethod
    def complete(self, system: str, user: str, max_tokens: int = 1024, *, draft: str | None = None) -> str:
        """Free text for `user` under `system`.

        `draft` is the deterministic text the caller would use offline (e.g. a rendered
        playbook): the offline provider returns it as is, a real model may rewrite it.
        """

    def usage(self) -> dict[str, float]:
        """Totals over `calls`: count, failures, tokens and latency."""
        return {
            "calls": len(self.calls),
            "failed": sum(not c.ok for c in self.calls),
            "input_tokens": sum(c.input_tokens for c in self.calls),
            "output_tokens": sum(c.output_tokens for c in self.calls),
            "latency_ms": round(sum(c.latency_ms for c in self.calls), 3),
        }

    def _record(
        self,
        kind: Literal["structured", "complete"],
        started: float,
        *,
        ok: bool = True,
        input_tokens: int = 0,
        output_tokens: int = 0,
        error: str | None = None,
    ) -> ProviderCall:
        """Append the record of a call that began at perf_counter() == `started`."""
        elapsed = time.perf_counter() - started
        call = ProviderCall(
            self.name,
            self.model,
            kind,
            time.time() - elapsed,
            round(elapsed * 1000, 3),
            input_tokens,
            output_tokens,
            ok,
            error,
        )
        self.calls.append(call)
        return call

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} model={self.model!r}>"
