"""LLM providers: the offline stand-in, provider selection, and AnthropicProvider on the real SDK
over an httpx2 MockTransport (no network)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import httpx2
import pytest
from pydantic import BaseModel

from agilab_lab.agents.providers import NotSupported, OfflineProvider, ProviderError, get_provider
from agilab_lab.agents.providers.anthropic_provider import AnthropicProvider

from .anthropic_mock import API_KEY, ScriptedAPI, text_reply, tool_reply


class Verdict(BaseModel):
    """A tiny structured answer."""

    label: str
    score: float


def provider_for(api: ScriptedAPI, **kwargs) -> AnthropicProvider:
    kwargs.setdefault("max_retries", 0)
    return AnthropicProvider(
        api_key=API_KEY, model="claude-test", timeout=5, http_client=api.client(), **kwargs
    )


def test_offline_provider_has_no_structured_output_and_returns_the_draft():
    provider = OfflineProvider()
    with pytest.raises(NotSupported) as caught:
        provider.structured("s", "u", Verdict, "record")
    assert caught.value.kind == "unsupported"
    assert provider.complete("s", "u", draft="rendered playbook") == "rendered playbook"
    with pytest.raises(NotSupported):
        provider.complete("s", "u")
    assert provider.usage()["calls"] == 1 and provider.usage()["input_tokens"] == 0


def test_get_provider_picks_by_setting_and_key(monkeypatch):
    assert get_provider(None).name == "offline"
    assert get_provider(SimpleNamespace(provider="offline")).name == "offline"
    monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)
    auto = get_provider(SimpleNamespace(provider="auto", anthropic_model="claude-x", llm_timeout_s=7.0))
    assert (auto.name, auto.model, auto.timeout) == ("anthropic", "claude-x", 7.0)
    assert get_provider(SimpleNamespace(provider="offline")).name == "offline"
    with pytest.raises(ValueError, match="unknown provider"):
        get_provider(SimpleNamespace(provider="gpt"))


def test_anthropic_without_key_is_a_clear_configuration_error():
    with pytest.raises(ProviderError, match="ANTHROPIC_API_KEY") as caught:
        get_provider(SimpleNamespace(provider="anthropic"))
    assert caught.value.kind == "configuration"


def test_structured_forces_the_tool_and_records_tokens():
    api = ScriptedAPI(tool_reply("record_verdict", {"label": "ok", "score": 0.75}))
    provider = provider_for(api)
    verdict = provider.structured("be terse", "judge this", Verdict, "record_verdict", max_tokens=300)
    assert verdict == Verdict(label="ok", score=0.75)
    sent = api.requests[0]
    assert sent["tool_choice"] == {"type": "tool", "name": "record_verdict"}
    assert sent["tools"][0]["input_schema"]["required"] == ["label", "score"]
    assert (sent["model"], sent["max_tokens"], sent["system"]) == ("claude-test", 300, "be terse")
    call = provider.calls[-1]
    assert (call.kind, call.ok, call.input_tokens, call.output_tokens) == ("structured", True, 321, 54)
    assert call.latency_ms >= 0 and call.model == "claude-test"


def test_complete_joins_text_blocks():
    provider = provider_for(ScriptedAPI(text_reply("A better paragraph.")))
    assert provider.complete("system", "rewrite", draft="ignored by real models") == "A better paragraph."
    assert provider.calls[-1].kind == "complete" and provider.calls[-1].output_tokens == 7


@pytest.mark.parametrize("payload", [{"label": "ok"}, {"label": "ok", "score": "high"}])
def test_malformed_tool_input_is_an_invalid_output_error(payload):
    provider = provider_for(ScriptedAPI(tool_reply("record_verdict", payload)))
    with pytest.raises(ProviderError) as caught:
        provider.structured("s", "u", Verdict, "record_verdict")
    assert caught.value.kind == "invalid_output"
    assert provider.calls[-1].ok is False and provider.calls[-1].input_tokens == 321


def test_a_reply_without_the_tool_call_is_invalid_output():
    provider = provider_for(ScriptedAPI(text_reply("I would rather chat.")))
    with pytest.raises(ProviderError, match="no 'record_verdict' tool call") as caught:
        provider.structured("s", "u", Verdict, "record_verdict")
    assert caught.value.kind == "invalid_output"


@pytest.mark.parametrize("status", [500, 529])
def test_api_errors_are_clear_and_recorded(status):
    provider = provider_for(ScriptedAPI(status))
    with pytest.raises(ProviderError, match=f"HTTP {status}") as caught:
        provider.structured("s", "u", Verdict, "record_verdict")
    assert (caught.value.kind, caught.value.status, caught.value.reason) == (
        "api_status",
        status,
        f"api_status {status}",
    )
    assert caught.value.__cause__ is None
    assert provider.calls[-1].ok is False and provider.calls[-1].error == f"api_status {status}"


def test_overload_is_retried_as_configured_then_succeeds():
    api = ScriptedAPI(529, tool_reply("record_verdict", {"label": "ok", "score": 1}))
    provider = provider_for(api, max_retries=1)
    assert provider.structured("s", "u", Verdict, "record_verdict").label == "ok"
    assert len(api.requests) == 2 and api.headers[1]["x-stainless-retry-count"] == "1"


def test_timeout_is_a_timeout_error():
    provider = provider_for(ScriptedAPI(httpx2.ReadTimeout("slow")))
    with pytest.raises(ProviderError, match="did not answer within 5 s") as caught:
        provider.complete("s", "u")
    assert caught.value.kind == "timeout" and provider.calls[-1].error == "timeout"


def test_connection_failure_is_a_connection_error():
    provider = provider_for(ScriptedAPI(httpx2.ConnectError("refused")))
    with pytest.raises(ProviderError) as caught:
        provider.complete("s", "u")
    assert caught.value.kind == "connection"


def test_the_key_never_shows_in_logs_errors_or_repr(caplog):
    caplog.set_level(logging.DEBUG)
    api = ScriptedAPI(500, tool_reply("record_verdict", {"label": "ok", "score": 1}), 529)
    provider = provider_for(api)
    texts = [repr(provider), str(vars(provider).keys())]
    for _ in range(3):
        try:
            provider.structured("s", "u", Verdict, "record_verdict")
        except ProviderError as exc:
            texts += [str(exc), repr(exc), exc.reason]
    texts += [str(call.to_dict()) for call in provider.calls]
    assert any(API_KEY in value for value in api.headers[0].values())  # it was really sent...
    assert API_KEY not in "\n".join(texts) + caplog.text  # ...and never shown anywhere else
    assert "anthropic structured model=claude-test tokens=321/54" in caplog.text
