"""The store-backed recorder: agent_runs rows and reason-card events for one decision set."""

from __future__ import annotations

from collections.abc import Callable

from ..core import Lab
from ..store.models import AgentRun
from .types import ReasonCard


def project_topic(project_id: str) -> str:
    """Event-log topic of a project (its SSE stream)."""
    return f"project:{project_id}"


class StoreRecorder:
    """Writes what the graph's nodes report into the lab's database and event log."""

    def __init__(self, lab: Lab, project_id: str, decision_set_id: str,
                 on_card: Callable[[ReasonCard], None] | None = None) -> None:
        self.lab, self.project_id, self.decision_set_id = lab, project_id, decision_set_id
        self.on_card = on_card
        self._seen: set[str] = set()

    def agent_run(self, agent: str, *, status: str, seconds: float, provider: str,
                  tokens_in: int = 0, tokens_out: int = 0, error: str | None = None) -> None:
        with self.lab.store.session() as session:
            session.add(AgentRun(owner=self.lab.owner, decision_set_id=self.decision_set_id, agent=agent,
                                 status=status, provider=provider, seconds=round(seconds, 4),
                                 tokens_in=tokens_in, tokens_out=tokens_out, error=error))

    def card(self, card: ReasonCard) -> None:
        # A node re-run on resume repeats its card ids: store each card once.
        if card.id in self._seen:
            return
        self._seen.add(card.id)
        self.lab.events.append(self.lab.owner, project_topic(self.project_id), "reason_card",
                               {"decision_set_id": self.decision_set_id, **card.model_dump()})
        if self.on_card:
            self.on_card(card)

    def event(self, kind: str, payload: dict) -> None:
        """Any other progress of this decision set (e.g. ``validation_step``) on the project's stream."""
        self.lab.events.append(self.lab.owner, project_topic(self.project_id), kind,
                               {"decision_set_id": self.decision_set_id, **payload})
