"""The designer graph alone: routing, interrupts, resume, the critic loop and reason cards."""

import pytest
from langgraph.types import Command

from agilab_lab.agents.catalogue import default_catalogue
from agilab_lab.agents.graph import compile_graph, open_checkpointer
from agilab_lab.agents.lifecycle import status_after_run
from agilab_lab.agents.state import DesignContext, DesignState

from .designer_samples import FORECAST, FRAUD, IMPOSSIBLE

CARD_KEYS = {"id", "agent", "title", "summary", "decision", "alternatives", "confidence", "risk", "ts"}


class RecordingGenerator:
    """Stands in for the repository generator; remembers the spec it was given."""

    def __init__(self):
        self.specs = []

    def __call__(self, spec, out_dir):
        self.specs.append(spec)
        return {"zip": f"{out_dir}/repo.zip", "validation": {"passed": True, "checks": []}}


class ListRecorder:
    def __init__(self):
        self.runs, self.cards = [], []

    def agent_run(self, agent, **fields):
        self.runs.append((agent, fields["status"]))

    def card(self, card):
        self.cards.append(card)


@pytest.fixture
def run(tmp_path):
    """Run the graph on thread ``t``; returns (values, interrupts, stream chunks, context)."""
    generator, recorder = RecordingGenerator(), ListRecorder()
    context = DesignContext(catalogue=default_catalogue(), recorder=recorder, generate=generator)

    def go(graph_input, thread="t"):
        with open_checkpointer(tmp_path) as saver:
            graph = compile_graph(saver)
            config = {"configurable": {"thread_id": thread}}
            chunks = list(graph.stream(graph_input, config, context=context, stream_mode=["updates", "custom"]))
            snapshot = graph.get_state(config)
        interrupts = [i.value for i in snapshot.interrupts]
        # the nodes never set a status: the lifecycle reads it off where the graph stopped
        status = status_after_run(DesignState.model_validate(snapshot.values), interrupts).value
        return {**snapshot.values, "status": status}, interrupts, chunks, context

    return go


def test_auto_approved_design_runs_to_generation_once(run):
    values, interrupts, chunks, context = run({"constraints": FRAUD, "auto_approve": True, "decision_set_id": "d"})
    assert not interrupts and values["status"] == "generated" and values["round"] == 1
    [spec] = context.generate.specs
    assert spec.plan == values["plan"] and spec.cost.monthly_usd == values["cost"].estimate.monthly_usd
    assert len(spec.sections) == 23
    cards = [chunk["card"] for mode, chunk in chunks if mode == "custom"]
    assert cards and all(set(card) == CARD_KEYS for card in cards)
    assert {"planner", "technical_critic", "cost_critic", "policy", "approval", "generator"} <= {c["agent"] for c in cards}
    planner = [c for c in cards if c["agent"] == "planner"]
    assert len(planner) == len(values["plan"].components) and all(0.55 <= c["confidence"] <= 0.95 for c in planner)
    assert all(c["alternatives"] for c in planner if c["title"].startswith("serve"))
    agents = [agent for agent, _ in context.recorder.runs]
    assert agents == ["extract", "clarify", "planner", "critics", "policy", "sections", "approval", "generate"]


def test_approval_gate_interrupts_and_resumes_with_approve(run):
    values, interrupts, _, context = run({"constraints": FORECAST, "decision_set_id": "d"})
    assert values["status"] == "awaiting_approval" and interrupts[0]["kind"] == "approval"
    assert not context.generate.specs
    values, interrupts, _, context = run(Command(resume={"decision": "approve", "comment": "ship it"}))
    assert not interrupts and values["status"] == "generated" and values["approval"].comment == "ship it"
    assert ("approval", "interrupted") in context.recorder.runs and len(context.generate.specs) == 1
    titles = {card.title: card.summary for card in context.recorder.cards}
    assert "Design approved" in titles
    # The generator's card names the zip, never the server's path to it.
    assert titles["Repository generated"] == "repo.zip: not validated"


def test_reject_ends_without_generating(run):
    run({"constraints": FORECAST})
    values, interrupts, _, context = run(Command(resume={"decision": "reject", "comment": "too costly"}))
    assert values["status"] == "rejected" and values["approval"].decision == "reject"
    assert not interrupts and not context.generate.specs
    assert "Design rejected" in {card.title for card in context.recorder.cards}  # not "rejectd"


def test_an_invalid_resume_payload_is_refused(run):
    run({"constraints": FORECAST})
    with pytest.raises(ValueError):
        run(Command(resume={"decision": "revise"}))  # a revision must say what to change


def test_missing_essentials_interrupt_at_clarify_even_with_auto_approve(run):
    text = "We'd like to start doing machine learning on our customer data. What should we build?"
    values, interrupts, _, context = run({"requirements_text": text, "auto_approve": True})
    assert interrupts[0]["kind"] == "clarify" and set(interrupts[0]["missing"]) == {"cloud", "workloads"}
    assert values["constraints"].cloud is None and values.get("plan") is None
    assert len(interrupts[0]["questions"]) >= 3
    values, interrupts, _, _ = run(Command(resume={"text": "Use AWS in eu-west-1 for real-time churn scoring."}))
    assert not interrupts and values["constraints"].cloud == "aws" and values["status"] == "generated"


def test_contradictory_constraints_end_infeasible_after_three_rounds(run):
    values, interrupts, chunks, context = run({"constraints": IMPOSSIBLE, "auto_approve": True})
    assert values["status"] == "infeasible" and not interrupts
    assert values["round"] == 3 and len(values["rounds"]) == 3
    assert [agent for agent, _ in context.recorder.runs].count("planner") == 3
    assert values["policy"].passed is False and values["infeasible"].relaxations
    served = [r["components"]["serve"] for r in values["rounds"]]
    assert len(set(served)) == 3  # each round tried another serving option
    critic = values["sections"][-1]
    assert critic.key == "critic" and any("round 1 was revised" in a for a in critic.alternatives)
    assert not context.generate.specs
