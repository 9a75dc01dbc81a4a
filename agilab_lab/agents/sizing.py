"""Workload sizing beyond requests and GB (issue 10): LLM tokens, a retrieval corpus and its
index, images per day, self-hosted GPU replicas, and batch jobs that must fit their window.

Every function returns the figure and the words of its basis, so the cost line says which
stated number or which ``assumptions.toml`` default it used.
"""

from __future__ import annotations

import math
import re

from .catalogue import Assumptions, CostModel
from .types import Constraints

#: evidence of a rate stated per day/week/month: an average, not a peak
_AVERAGE_RATE = re.compile(r"\b(?:day|daily|week|weekly|month|monthly|jour|día|dia|mes|mois|mese|Tag|Monat|"
                           r"giorno|dag|maand)s?\b", re.IGNORECASE)


def first_token_slo(constraints: Constraints) -> bool:
    """Whether the latency target is on an LLM's first token (then generation counts its TTFT)."""
    return bool(re.search(r"first[\s-]token|ttft", constraints.evidence.get("latency_slo", ""), re.IGNORECASE))


def stated_as_average(constraints: Constraints) -> bool:
    """Whether the stated request rate was a per-day or per-month figure (an average load)."""
    return bool(_AVERAGE_RATE.search(constraints.evidence.get("throughput_rps", "")))


def request_tokens(constraints: Constraints, a: Assumptions, assumed: list[str]) -> tuple[float, float]:
    """(prompt tokens, answer tokens) of one LLM request: a stated total split with the default
    answer share, else the RAG defaults."""
    total = constraints.tokens_per_request
    if total is None:
        assumed.append(f"{a.prompt_tokens:g} prompt + {a.answer_tokens:g} answer tokens per request (not stated)")
        return a.prompt_tokens, a.answer_tokens
    answer = min(a.answer_tokens, total * a.answer_tokens / (a.prompt_tokens + a.answer_tokens))
    return total - answer, answer


def corpus_tokens(constraints: Constraints, a: Assumptions, tokens_per_gb: float) -> tuple[float, str]:
    """Tokens in the retrieval corpus and how they were counted (0 when nothing is stated)."""
    if constraints.corpus_pages:
        return constraints.corpus_pages * a.tokens_per_page, f"{constraints.corpus_pages:,.0f} pages x {a.tokens_per_page:g}"
    if constraints.corpus_documents:
        return (constraints.corpus_documents * a.tokens_per_document,
                f"{constraints.corpus_documents:,.0f} documents x {a.tokens_per_document:g}")
    if constraints.corpus_gb:
        return constraints.corpus_gb * tokens_per_gb, f"{constraints.corpus_gb:,.0f} GB x {tokens_per_gb:,.0f}"
    return 0.0, ""


def index_gb(tokens: float, a: Assumptions) -> float:
    """Vector index size: one vector of ``embedding_dim`` float32 per chunk, with index overhead."""
    return tokens / a.chunk_tokens * a.embedding_dim * 4 * a.index_overhead / 1e9


def images_per_day(constraints: Constraints, gb_per_day: float, a: Assumptions) -> float | None:
    """Images (frames) a day: stated, else the daily volume of a vision workload in images."""
    if constraints.images_per_day:
        return constraints.images_per_day
    if "computer_vision" in constraints.workloads:
        return gb_per_day * 1000 / a.mb_per_image
    return None


def gpu_replicas(cost: CostModel, peak_rps: float, prompt: float, answer: float,
                 params_billion: float | None) -> tuple[int, int, str]:
    """(replicas, GPUs per replica, basis) for self-hosted generation. Prefill is about ten times
    cheaper than decoding, so prompt tokens count a tenth."""
    params = params_billion or 7.0
    gpus = 2 ** math.ceil(math.log2(max(1.0, math.ceil(params * 2.4 / (cost.gpu_memory_gb or 24)))))
    per_replica = (cost.tokens_per_unit_second or 1) * gpus * min(3.0, 7.0 / params)
    needed = peak_rps * (prompt / 10 + answer)
    replicas = max(cost.min_units, math.ceil(needed / per_replica))
    basis = (f"{params:g}B model on {gpus} GPU(s) a replica; {needed:,.0f} effective tokens/s at peak / "
             f"{per_replica:,.0f} per replica = {replicas} replica(s)")
    return replicas, gpus, basis


def fit_window(work_unit_hours: float, cost: CostModel, window: float) -> tuple[int, float, str]:
    """(units, hours per run, note) so that a run of ``work_unit_hours`` fits ``window`` hours."""
    units = cost.min_units
    hours = max(cost.min_hours, work_unit_hours / units)
    if hours <= window:
        return units, hours, ""
    units = math.ceil(work_unit_hours / window)
    hours = max(cost.min_hours, work_unit_hours / units)
    note = (f"; {work_unit_hours:,.1f} h on {cost.min_units} unit(s) exceeds the {window:g} h window: "
            f"scaled out to {units} units ({hours:,.1f} h a run)")
    return units, hours, note
