"""Reason cards: what each agent decided and why, streamed to the UI and kept as events.

Cards go out through LangGraph's custom stream (``get_stream_writer()``) and to the run's
recorder. Card ids are derived from the decision set, the agent, the round and a counter,
so a node that re-runs (on resume) emits the same ids and consumers can de-duplicate.
"""

from __future__ import annotations

import time

from langgraph.config import get_stream_writer

from .state import DesignContext, DesignState
from .types import Component, ReasonCard, Section


def emit(state: DesignState, context: DesignContext, agent: str, title: str, summary: str, *,
         index: int = 0, decision: str = "", alternatives: list[str] | None = None,
         confidence: float = 1.0, risk: str = "low") -> ReasonCard:
    card = ReasonCard(id=f"{state.decision_set_id or 'run'}:{agent}:{state.round}:{index}", agent=agent,
                      title=title, summary=summary[:600], decision=decision, alternatives=alternatives or [],
                      confidence=round(max(0.0, min(1.0, confidence)), 2), risk=risk, ts=time.time())
    get_stream_writer()({"type": "reason_card", "card": card.model_dump()})
    context.recorder.card(card)
    return card


def component_confidence(component: Component) -> float:
    """How clearly the winner beat the runner-up: a wide score gap means a confident choice."""
    scores = [a.score for a in component.alternatives if a.score is not None]
    if not scores or component.score is None:
        return 0.9  # no scored rival: the only eligible option
    return 0.55 + min(0.4, max(0.0, min(scores) - component.score))


def emit_component(state: DesignState, context: DesignContext, component: Component, index: int,
                   unmet: bool) -> None:
    emit(state, context, "planner", f"{component.capability}: {component.service}", component.rationale,
         index=index, decision=component.option_id,
         alternatives=[f"{a.service}: {a.reason_lost}" for a in component.alternatives[:4]],
         confidence=0.3 if unmet else component_confidence(component),
         risk="high" if unmet else ("medium" if state.round else "low"))


def emit_section(state: DesignState, context: DesignContext, section: Section, index: int) -> None:
    emit(state, context, f"section:{section.key}", section.title, section.rationale, index=index,
         decision=section.decisions[0] if section.decisions else "", alternatives=section.alternatives[:4],
         confidence=0.8, risk="high" if len(section.risks) > 3 else ("medium" if section.risks else "low"))
