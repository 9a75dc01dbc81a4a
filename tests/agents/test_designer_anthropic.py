"""The designer with the real Anthropic SDK over a mocked transport: playbooks become system
prompts, the model's sections are used, tokens are recorded, the key is never stored."""

import json
import re

import httpx2
from sqlalchemy import select

from agilab_lab.agents.designer import Designer
from agilab_lab.agents.providers.anthropic_provider import AnthropicProvider
from agilab_lab.store.models import AgentRun, DecisionSet, Event

from .anthropic_mock import API_KEY, ScriptedAPI, text_reply
from .designer_samples import FORECAST


def _section_writer(request: httpx2.Request) -> httpx2.Response:
    body = json.loads(request.content)
    title = re.search(r"offline draft for '([^']+)'", body["system"] if isinstance(body["system"], str)
                      else body["system"][0]["text"]).group(1)
    return httpx2.Response(200, json=text_reply(
        f"## {title}\n\nRewritten by the model for this team.\n\n- Decision: model decision for {title}\n"
        "- Risk: model risk\n"))


def test_sections_are_written_by_the_model_with_the_playbook_as_system_prompt(lab):
    api = ScriptedAPI(_section_writer)
    provider = AnthropicProvider(api_key=API_KEY, max_retries=0, http_client=api.client())
    designer = Designer(lab, provider=provider)
    ds = designer.design(designer.create_project("p").id, constraints=FORECAST.model_dump())
    assert ds.status == "awaiting_approval"
    assert len(api.requests) == 23
    systems = [r["system"] if isinstance(r["system"], str) else r["system"][0]["text"] for r in api.requests]
    assert all("- Decision:" in s for s in systems)
    assert any("Vertex AI custom training jobs" in s for s in systems)  # the rendered playbook, not a template
    assert all(s["decisions"][0].startswith("model decision for") for s in ds.sections)
    with lab.store.session() as session:
        [run] = session.scalars(select(AgentRun).where(AgentRun.decision_set_id == ds.id,
                                                       AgentRun.agent == "sections"))
        stored = [json.dumps(e.payload) for e in session.scalars(select(Event))]
        row = session.get(DecisionSet, ds.id)
        stored.append(json.dumps({"c": row.constraints, "s": row.sections, "md": row.summary_md}))
    assert run.provider == "anthropic" and run.tokens_in == 23 * 12 and run.tokens_out == 23 * 7
    assert not any(API_KEY in blob for blob in stored)


def test_a_failing_model_leaves_the_offline_report(lab):
    api = ScriptedAPI(529)
    provider = AnthropicProvider(api_key=API_KEY, max_retries=0, http_client=api.client())
    designer = Designer(lab, provider=provider)
    ds = designer.design(designer.create_project("p").id, constraints=FORECAST.model_dump())
    assert ds.status == "awaiting_approval" and len(ds.sections) == 23
    assert ds.sections[0]["markdown"].startswith("## 1. Project stages")
