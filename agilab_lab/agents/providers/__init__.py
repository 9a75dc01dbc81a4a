"""LLM providers: the offline default and Anthropic, behind one `LLMProvider` interface."""

from __future__ import annotations

import os
from typing import Any

from .base import LLMProvider, NotSupported, ProviderCall, ProviderError
from .offline import OfflineProvider

__all__ = ["LLMProvider", "NotSupported", "OfflineProvider", "ProviderCall", "ProviderError", "get_provider"]

PROVIDERS = ("auto", "offline", "anthropic")


def get_provider(settings: Any = None, *, http_client: Any = None) -> LLMProvider:
    """The provider `settings.provider` asks for.

    "anthropic" always builds the Anthropic provider (and fails clearly without a key);
    "auto" (the default) uses it when ANTHROPIC_API_KEY is set; "offline" never does.
    `settings.anthropic_model`, `llm_timeout_s` and `llm_max_retries` tune it when present.
    """
    choice = (getattr(settings, "provider", None) or "auto").lower()
    if choice not in PROVIDERS:
        raise ValueError(f"unknown provider {choice!r}: expected one of {', '.join(PROVIDERS)}")
    if choice == "anthropic" or (choice == "auto" and os.environ.get("ANTHROPIC_API_KEY")):
        from .anthropic_provider import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_S, AnthropicProvider

        return AnthropicProvider(
            model=getattr(settings, "anthropic_model", None) or None,
            timeout=float(getattr(settings, "llm_timeout_s", None) or DEFAULT_TIMEOUT_S),
            max_retries=int(getattr(settings, "llm_max_retries", DEFAULT_MAX_RETRIES)),
            http_client=http_client,
        )
    return OfflineProvider()
