"""The offline extractor: deterministic rules from requirement prose to `Constraints`.

Every value comes with the span of the input that states it (`evidence`) and how sure the
reading is (`confidence`). Anything the text does not state stays empty; the essentials among
them become `open_questions`.
"""

from __future__ import annotations

import re
from typing import Any

from ..types import Constraints
from .domain import (
    find_compliance,
    find_data_classes,
    find_retrain_cadence,
    find_scheduled_predictions,
    find_workloads,
)
from .keyed import find_keyed_batch_volume, find_keyed_budget, find_keyed_latency, find_keyed_throughput
from .measures import find_batch_volume, find_latency
from .money import find_budget
from .places import (
    find_clouds,
    find_excluded_areas,
    find_excluded_regions,
    find_on_premises,
    find_regions,
    find_residency,
)
from .populations import find_populations
from .rates import find_throughput
from .scale import find_model_params, find_training_data
from .text import MAX_TEXT_CHARS, Document, Finding
from .tooling import find_tools
from .workload import (
    find_corpus,
    find_entity_counts,
    find_image_resolution,
    find_images_per_day,
    find_tokens_per_request,
)

EVIDENCE_SEPARATOR = " | "
_REALTIME_LATENCY_MS = 5_000  # an SLO under a few seconds means someone waits for the answer


def extract_rules(text: str) -> Constraints:
    """Constraints stated by `text`, read by the deterministic rules alone."""
    return rules_for(Document(text))


def rules_for(doc: Document) -> Constraints:
    """`extract_rules` on an already prepared document."""
    builder = _Builder()
    cloud, avoided_clouds = find_clouds(doc)
    builder.scalar("cloud", cloud)
    regions, region_questions = find_regions(doc, cloud.value if cloud else None)
    builder.items("regions", regions)
    builder.scalar("budget_monthly_usd", find_budget(doc) or find_keyed_budget(doc))
    compliance = find_compliance(doc)
    builder.items("compliance", list(compliance.values()))
    builder.items("data_classes", list(find_data_classes(doc, compliance).values()))
    latency = _first_token(doc, find_latency(doc) or find_keyed_latency(doc))
    builder.scalar("latency_slo", latency)
    builder.scalar("throughput_rps", find_throughput(doc) or find_keyed_throughput(doc))
    builder.scalar("batch_volume_gb_per_day", find_batch_volume(doc) or find_keyed_batch_volume(doc))
    builder.scalar("model_params_billion", find_model_params(doc))
    builder.scalar("training_data_gb", find_training_data(doc))
    for field, finding in find_corpus(doc).items():
        builder.scalar(field, finding)
    builder.scalar("entity_counts", find_entity_counts(doc))
    builder.scalar("tokens_per_request", find_tokens_per_request(doc))
    builder.scalar("images_per_day", find_images_per_day(doc))
    builder.scalar("image_resolution", find_image_resolution(doc))
    cadence = find_retrain_cadence(doc)
    builder.items("workloads", _workloads(doc, latency, cadence))
    builder.scalar("retrain_cadence", cadence)
    prefer, avoid = find_tools(doc)
    builder.items("tooling_prefer", prefer)
    builder.items("tooling_avoid", avoid + avoided_clouds)  # "no AWS" also rules out a tool family
    builder.items("residency", find_residency(doc))
    builder.scalar("populations", find_populations(doc, cloud.value if cloud else None))
    builder.items("excluded_regions", find_excluded_regions(doc, cloud.value if cloud else None))
    builder.questions.extend(region_questions)
    if not regions:  # "no US region": the refusal names no region to use instead
        builder.questions.extend(q for area in find_excluded_areas(doc) for q in area.questions)
    on_premises = find_on_premises(doc)
    if on_premises and cloud is None:
        builder.questions.append(
            f"The text mentions '{on_premises.evidence}', but designs target AWS, GCP or "
            "Azure: which cloud should be used?"
        )
    constraints = builder.build()
    constraints.warnings.extend(_safety_warnings(doc))
    constraints.open_questions = open_questions(constraints, builder.questions)
    return constraints


_FIRST_TOKEN = re.compile(r"\b(?:(?:time\s+to\s+)?first[\s-]token|TTFT)\b", re.IGNORECASE)


def _first_token(doc: Document, latency: Finding | None) -> Finding | None:
    """A latency target on an LLM's first token ("first token within 800 ms") keeps that phrase in
    its evidence: the planner then holds generation to its time to first token, not the answer."""
    if latency is None:
        return None
    s_start, s_end = doc.sentence_at(latency.start)
    phrase = _FIRST_TOKEN.search(doc.usable, s_start, s_end)
    if phrase is None or latency.evidence.lower().find("first token") >= 0:
        return latency
    start = min(phrase.start(), latency.start)
    end = max(phrase.end(), latency.start + len(latency.evidence))
    return Finding(latency.value, doc.quote(start, end), latency.confidence, start, latency.notes, latency.questions)


def _workloads(doc: Document, latency: Finding | None, cadence: Finding | None) -> list[Finding]:
    """Named workloads, plus the ones the figures imply (a latency SLO means real-time serving,
    a retrain cadence ("model refresh: monthly") means training)."""
    found = find_workloads(doc)
    if cadence and "training" not in found:
        found["training"] = Finding("training", cadence.evidence, 0.75, cadence.start)
    if latency and latency.value["ms"] <= _REALTIME_LATENCY_MS and "realtime_inference" not in found:
        found["realtime_inference"] = Finding("realtime_inference", latency.evidence, 0.75, latency.start)
    # predictions on a schedule are batch scoring, next to any real-time endpoint
    scheduled = None if "batch_inference" in found else find_scheduled_predictions(doc)
    if scheduled:
        found["batch_inference"] = scheduled
    elif "forecasting" in found and not {"realtime_inference", "batch_inference"} & found.keys():
        forecast = found["forecasting"]  # forecasts are produced ahead of time, in batches
        found["batch_inference"] = Finding("batch_inference", forecast.evidence, 0.6, forecast.start)
    return sorted(found.values(), key=lambda f: f.start)


class _Builder:
    """Collects findings into Constraints fields, evidence, confidence, notes and questions."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.evidence: dict[str, str] = {}
        self.confidence: dict[str, float] = {}
        self.notes: list[str] = []
        self.questions: list[str] = []

    def scalar(self, field: str, finding: Finding | None) -> None:
        if finding is None:
            return
        self.values[field] = finding.value
        self._record(field, [finding])

    def items(self, field: str, findings: list[Finding]) -> None:
        if not findings:
            return
        self.values[field] = list(dict.fromkeys(f.value for f in findings))
        self._record(field, findings)

    def _record(self, field: str, findings: list[Finding]) -> None:
        self.evidence[field] = EVIDENCE_SEPARATOR.join(dict.fromkeys(f.evidence for f in findings))
        self.confidence[field] = round(min(f.confidence for f in findings), 2)
        for finding in findings:
            self.notes.extend(finding.notes)
            self.questions.extend(finding.questions)

    def build(self) -> Constraints:
        return Constraints(
            **self.values,
            evidence=self.evidence,
            confidence=self.confidence,
            warnings=list(dict.fromkeys(self.notes)),
        )


def _safety_warnings(doc: Document) -> list[str]:
    warnings = []
    if doc.truncated:
        warnings.append(
            f"The requirements text is longer than {MAX_TEXT_CHARS:,} characters; only the "
            "beginning was read."
        )
    if doc.redacted:
        warnings.append(
            f"Redacted {doc.redacted} secret-looking string(s) from the requirements text; "
            "never paste credentials into requirements."
        )
    for start, end in doc.instructions:
        excerpt = doc.quote(start, end)
        excerpt = excerpt if len(excerpt) <= 120 else excerpt[:117] + "..."
        warnings.append(
            f'Ignored text that tries to instruct the system (treated as data, not applied): "{excerpt}"'
        )
    return warnings


def open_questions(c: Constraints, extra: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    """Questions for the essentials the text leaves open, then the finders' own questions."""
    questions = []
    workloads = set(c.workloads)
    if c.cloud is None:
        questions.append("Which cloud should this run on: AWS, GCP or Azure?")
    if not c.regions:
        where = f" (the data must stay in: {', '.join(c.residency).upper()})" if c.residency else ""
        questions.append(f"Which region(s) must the system and its data run in{where}?")
    if c.budget_monthly_usd is None:
        questions.append("What is the monthly budget in USD?")
    if not c.data_classes:
        questions.append(
            "What kind of data is involved: public, internal, confidential, personal (PII), "
            "health (PHI) or cardholder (PCI) data?"
        )
    if not workloads:
        questions.append(
            "What should the ML system do: real-time predictions, batch scoring, training, "
            "streaming, retrieval (RAG)...?"
        )
    if "realtime_inference" in workloads and c.latency_slo is None:
        questions.append("What latency must real-time predictions meet (for example p99 in milliseconds)?")
    if "realtime_inference" in workloads and c.throughput_rps is None:
        questions.append("What peak request rate (requests per second) must serving sustain?")
    if "batch_inference" in workloads and c.batch_volume_gb_per_day is None:
        questions.append("How much data does each batch process per day (GB/day)?")
    if "training" in workloads and c.retrain_cadence is None:
        questions.append("How often should the model be retrained: hourly, daily, weekly or monthly?")
    if "rag" in workloads and not (c.corpus_documents or c.corpus_pages or c.corpus_gb):
        questions.append("How large is the document corpus to search (documents, pages or GB)?")
    if "rag" in workloads and c.tokens_per_request is None:
        questions.append("How many tokens does a typical request use (prompt with retrieved context + answer)?")
    if "computer_vision" in workloads and c.images_per_day is None and c.batch_volume_gb_per_day is None:
        questions.append("How many images (or video frames) a day must be processed, and at what resolution?")
    sensitive = [d for d in c.data_classes if d in ("pii", "phi", "pci")]
    if sensitive and not c.compliance:
        questions.append(
            f"Which regulations apply to the {'/'.join(sensitive).upper()} data "
            "(for example GDPR, HIPAA, PCI-DSS)?"
        )
    return list(dict.fromkeys([*questions, *extra]))
