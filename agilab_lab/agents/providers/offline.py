"""The zero-configuration provider: no model, no network, deterministic."""

from __future__ import annotations

import time

from .base import LLMProvider, ModelT, NotSupported


class OfflineProvider(LLMProvider):
    """Stands in for an LLM when none is configured.

    It does not pretend to understand text: `structured()` raises `NotSupported` so callers use
    their rules, and `complete()` returns the caller's deterministic `draft` unchanged.
    """

    name = "offline"
    supports_structured = False

    def structured(
        self, system: str, user: str, schema: type[ModelT], tool_name: str, *, max_tokens: int = 2048
    ) -> ModelT:
        raise NotSupported("the offline provider has no structured output; use the rules", provider=self.name)

    def complete(self, system: str, user: str, max_tokens: int = 1024, *, draft: str | None = None) -> str:
        if draft is None:
            raise NotSupported(
                "the offline provider only returns a caller-supplied draft", provider=self.name
            )
        self._record("complete", time.perf_counter())
        return draft
