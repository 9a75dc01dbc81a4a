import pytest

from agilab_lab.agents import policy
from agilab_lab.agents.catalogue import default_catalogue
from agilab_lab.agents.critics import cost_review, technical_review
from agilab_lab.agents.planner import make_plan
from agilab_lab.agents.providers import LLMProvider, OfflineProvider, ProviderError
from agilab_lab.agents.sections import SECTIONS, build_context, write_sections
from agilab_lab.agents.sections.memory import LogEntry, compact, estimate_tokens, record

from .designer_samples import FORECAST, FRAUD


def _context(constraints):
    catalogue = default_catalogue()
    result = make_plan(constraints, catalogue)
    cost = cost_review(result, constraints, catalogue).estimate
    tech = technical_review(result, constraints, catalogue)
    report = policy.evaluate(constraints, result.plan, cost, tech.latency_budget, catalogue)
    return build_context(constraints, result.plan, result.demand, cost, tech, report, result.assumptions, {})


def test_twenty_three_sections_in_the_fixed_order_each_with_decisions():
    sections, memory = write_sections(_context(FRAUD), [])
    assert [s.key for s in sections] == [spec.key for spec in SECTIONS] and len(sections) == 23
    assert sections[0].key == "project_stages" and sections[-1].key == "critic"
    for section in sections:
        assert section.decisions and section.rationale and section.markdown.startswith("## ")
        assert "{{" not in section.markdown and "{%" not in section.markdown
    assert memory


def test_two_different_inputs_give_reports_different_in_substance():
    fraud, _ = write_sections(_context(FRAUD), [])
    forecast, _ = write_sections(_context(FORECAST), [])
    stack = {s.key: s for s in fraud}["tech_stack"], {s.key: s for s in forecast}["tech_stack"]
    assert set(stack[0].decisions).isdisjoint(stack[1].decisions)
    serving = {s.key: s for s in fraud}["deployment_serving"].markdown, {s.key: s for s in forecast}["deployment_serving"].markdown
    assert "online" in serving[0] and "batch" in serving[1]
    fraud_risks = {r for s in fraud for r in s.risks}
    forecast_risks = {r for s in forecast for r in s.risks}
    assert len(fraud_risks ^ forecast_risks) > 10
    overall = {s.key: s for s in fraud}["overall_architecture"].markdown, {s.key: s for s in forecast}["overall_architecture"].markdown
    assert overall[0] != overall[1] and "mermaid" in overall[0]


class ScriptedProvider(LLMProvider):
    """Answers each section with fixed markdown, or fails, to exercise the provider path."""

    name = "scripted"

    def __init__(self, answer: str | None):
        super().__init__()
        self.answer, self.systems = answer, []

    def structured(self, *args, **kwargs):
        raise ProviderError("no", kind="unsupported", provider=self.name)

    def complete(self, system, user, max_tokens=1024, *, draft=None):
        self.systems.append(system)
        if self.answer is None:
            raise ProviderError("timed out", kind="timeout", provider=self.name)
        return self.answer


def test_with_an_llm_the_playbook_is_the_system_prompt_and_its_answer_is_used():
    provider = ScriptedProvider("## Rewritten\n\nBetter prose.\n\n- Decision: use the endpoint\n- Risk: cold starts\n")
    sections, _ = write_sections(_context(FRAUD), [], provider)
    assert sections[0].decisions == ["use the endpoint"] and sections[0].risks == ["cold starts"]
    assert "Project stages" in provider.systems[0] and "- Decision:" in provider.systems[0]
    assert len(provider.systems) == 23


@pytest.mark.parametrize("answer", [None, "no markers at all"])
def test_provider_failure_or_unusable_answer_falls_back_to_the_playbook(answer):
    offline, _ = write_sections(_context(FRAUD), [])
    fallback, _ = write_sections(_context(FRAUD), [], ScriptedProvider(answer))
    assert [s.markdown for s in fallback] == [s.markdown for s in offline]


def test_offline_provider_returns_the_playbook_draft():
    plain, _ = write_sections(_context(FORECAST), [])
    offline, _ = write_sections(_context(FORECAST), [], OfflineProvider())
    assert [s.markdown for s in offline] == [s.markdown for s in plain]


def test_memory_is_compacted_past_its_budget_keeping_each_agents_first_decision():
    log: list[LogEntry] = []
    for i in range(30):
        log = record(log, f"agent{i}", [f"decision {i} " + "x" * 80, "second"], budget=200)
    assert log[0].summary and len(log) == 7
    assert all(any(f"agent{i}: decision {i}" in d for d in log[0].decisions) for i in range(24))
    small = [LogEntry(agent="a", decisions=["b"])]
    assert compact(small, budget=200) == small and estimate_tokens(small) < 200
