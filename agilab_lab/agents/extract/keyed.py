"""Figures whose unit sits in the key of a config-style line, as teams paste YAML, TOML,
JSON or .env specs: `latency_p95_ms: 500`, `peak_rps: 40`, `"budget_usd_per_month": 3000`,
`daily_volume_gb = 250`. The prose rules look for a unit after the number; these lines put it
before, so they are read here, only when the prose rules found nothing.
"""

from __future__ import annotations

import re

from .text import Document, Finding

# a snake/kebab/dotted key (it must have a separator: a bare "budget: 40" is prose territory),
# an optional quote, ":" or "=", and a plain number ending the value
# (a line of its own, or one member of an inline JSON object)
_KEYED_LINE = re.compile(
    r"(?:^|[{,])[ \t]*[-*]?[ \t]*[\"']?(?P<key>[A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)+)[\"']?[ \t]*[:=][ \t]*"
    r"[\"']?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d[\d_]*(?:\.\d+)?)[\"']?(?=[ \t]*(?:[,}#]|$))",
    re.MULTILINE,
)
_PERCENTILE = re.compile(r"^p(50|90|95|99)$")
_LATENCY_UNITS = {
    "ms": 1.0,
    "millis": 1.0,
    "milliseconds": 1.0,
    "s": 1000.0,
    "sec": 1000.0,
    "seconds": 1000.0,
}
_RATE_UNITS = {"rps", "qps", "tps"}
_VOLUME_UNITS = {"gb": 1.0, "tb": 1000.0}
_PER_DAY = {"day", "daily", "per_day", "pd"}
_MONTHLY = {"month", "monthly", "mo", "pm"}
_YEARLY = {"year", "yearly", "annual", "annually", "yr"}
_NOT_USD = {"eur", "gbp", "jpy", "inr", "chf", "cad", "aud"}  # converting needs the money rules


def _keyed_lines(doc: Document):
    """(key tokens, number, match) for each config-style line the rules may read."""
    for match in _KEYED_LINE.finditer(doc.usable):
        tokens = set(re.split(r"[_.-]", match.group("key").lower()))
        number = float(match.group("number").replace("_", "").replace(",", ""))
        yield tokens, number, match


def _finding(doc: Document, match: re.Match[str], value) -> Finding:
    return Finding(value, doc.quote(match.start("key"), match.end("number")), 0.85, match.start("key"))


def find_keyed_latency(doc: Document) -> Finding | None:
    """`latency_p95_ms: 500` -> {"percentile": 95, "ms": 500}; no percentile in the key, no SLO."""
    for tokens, number, match in _keyed_lines(doc):
        percentile = next((int(m.group(1)) for t in tokens if (m := _PERCENTILE.match(t))), None)
        unit = next((_LATENCY_UNITS[t] for t in tokens if t in _LATENCY_UNITS), None)
        if percentile and unit and number > 0:
            return _finding(doc, match, {"percentile": percentile, "ms": number * unit})
    return None


def find_keyed_throughput(doc: Document) -> Finding | None:
    """`peak_rps: 40`, `max-qps = 2000` -> requests per second."""
    for tokens, number, match in _keyed_lines(doc):
        if tokens & _RATE_UNITS and number > 0:
            return _finding(doc, match, number)
    return None


def find_keyed_budget(doc: Document) -> Finding | None:
    """`budget_usd_per_month: 3000`, `annual_budget: 120000` -> US dollars a month."""
    for tokens, number, match in _keyed_lines(doc):
        if not tokens & {"budget", "spend", "cost"} or tokens & _NOT_USD or number <= 0:
            continue
        if tokens & _MONTHLY:
            return _finding(doc, match, number)
        if tokens & _YEARLY:
            return _finding(doc, match, round(number / 12, 2))
    return None


def find_keyed_batch_volume(doc: Document) -> Finding | None:
    """`daily_volume_gb: 250`, `ingest_tb_per_day = 1.5` -> GB a day."""
    for tokens, number, match in _keyed_lines(doc):
        unit = next((_VOLUME_UNITS[t] for t in tokens if t in _VOLUME_UNITS), None)
        if unit and tokens & _PER_DAY and number > 0:
            return _finding(doc, match, number * unit)
    return None
