"""A scripted Anthropic Messages API over `httpx2.MockTransport`, for the real SDK in tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2

API_KEY = "sk-ant-test-DO-NOT-LEAK-0123456789abcdef"


def tool_reply(
    name: str, payload: dict[str, Any], *, input_tokens: int = 321, output_tokens: int = 54
) -> dict:
    """A Messages API response whose content is one tool call."""
    return {
        "id": "msg_test",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "content": [{"type": "tool_use", "id": "toolu_1", "name": name, "input": payload}],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
    }


def text_reply(text: str) -> dict:
    return {
        "id": "msg_test",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 12, "output_tokens": 7},
    }


class ScriptedAPI:
    """Answers each request with the next scripted reply and keeps the decoded requests.

    A reply is a dict (200 JSON), an int (that HTTP status with an API error body), an
    exception instance (raised by the transport, e.g. httpx2.ReadTimeout) or a callable.
    """

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.content))
        self.headers.append(dict(request.headers))
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, int):
            body = {
                "type": "error",
                "error": {
                    "type": "overloaded_error" if reply == 529 else "api_error",
                    "message": "Overloaded" if reply == 529 else "Internal error",
                },
            }
            return httpx2.Response(reply, json=body, headers={"retry-after-ms": "1"})
        if isinstance(reply, Callable):
            return reply(request)
        return httpx2.Response(200, json=reply)

    def client(self) -> httpx2.Client:
        return httpx2.Client(transport=httpx2.MockTransport(self))
