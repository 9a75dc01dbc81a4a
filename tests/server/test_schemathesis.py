"""schemathesis over the served OpenAPI document: no 5xx, and every answer matches the document.

Positive cases (valid by the schema) and negative ones (invalid by it) for every operation, with
all of schemathesis' checks. Requests go over loopback to the real Jupyter server of the test,
from a thread (the server runs on this test's event loop).
"""

from __future__ import annotations

import asyncio
import json

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode

EXAMPLES = 6  # per operation and mode: 28 operations x 2 modes x 6 = ~340 cases


def _fuzz(schema, base_url: str, auth: dict[str, str]) -> dict[str, int]:
    """Run every operation in both modes; return how many cases each mode sent."""
    sent = {"positive": 0, "negative": 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        streams = "text/event-stream" in json.dumps(operation.definition.raw.get("responses", {}))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            query = {"follow": "0"} if streams else None  # a following stream never ends by itself
            _check(operation.as_strategy(generation_mode=mode, query=query), base_url, auth, sent, mode.value)
    return sent


def _check(strategy, base_url: str, auth: dict[str, str], sent: dict[str, int], mode: str) -> None:
    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        # The generated Authorization value becomes the real token; a case that leaves the header out
        # (a negative one) goes without credentials and must get its 401.
        if "Authorization" in (case.headers or {}):
            case.headers["Authorization"] = auth["Authorization"]
        response = case.call(base_url=base_url, timeout=30)
        case.validate_response(response, transport_kwargs={"base_url": base_url, "timeout": 30})
        sent[mode] += 1

    check()


async def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(jp_fetch, jp_http_port, jp_base_url,
                                                                         jp_auth_header):
    document = json.loads((await jp_fetch("agilab-lab", "api", "openapi.json")).body)
    schema = schemathesis.openapi.from_dict(document)
    base_url = f"http://127.0.0.1:{jp_http_port}{jp_base_url.rstrip('/')}"
    sent = await asyncio.to_thread(_fuzz, schema, base_url, dict(jp_auth_header))
    assert sent["positive"] >= 120 and sent["negative"] >= 120, sent
