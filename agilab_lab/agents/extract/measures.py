"""Performance figures: latency SLOs and daily batch volumes (request rates: `rates.py`)."""

from __future__ import annotations

import re

from .numbers import NUMBER, parse_number
from .text import Document, Finding

_DURATION = re.compile(
    rf"(?P<num>{NUMBER})\s?(?P<unit>ms|msecs?|milli-?seconds?|µs|us|micro-?seconds?|s|secs?|seconds?)\b"
    # "under half a second", "within a second": word forms only after a bound, since
    # "2,000 requests a second" is a rate
    r"|(?:(?<=under\s)|(?<=below\s)|(?<=within\s)|(?<=than\s))(?P<word>half\s+a|a)\s+second\b"
    # "a tenth of a second", "three quarters of a second": unambiguous durations anywhere
    r"|\b(?P<fraction>(?:a|one|two|three|four)[\s-]+(?:tenths?|fifths?|quarters?|thirds?))\s+of\s+a\s+second\b"
    r"|\b(?P<subsecond>sub[\s-]?second)\b",
    re.IGNORECASE,
)
_FRACTION_COUNT = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_FRACTION_PARTS = {"tenth": 10, "fifth": 5, "quarter": 4, "third": 3}
_UNIT_MS = {
    "ms": 1.0,
    "msec": 1.0,
    "millisecond": 1.0,
    "µs": 0.001,
    "us": 0.001,
    "microsecond": 0.001,
    "s": 1000.0,
    "sec": 1000.0,
    "second": 1000.0,
}
_PERCENTILE = re.compile(
    r"\bp(?P<p1>\d{2}(?:\.\d+)?)\b"
    r"|\b(?P<p2>\d{2}(?:\.\d+)?)(?:th|st|nd|rd)?[\s-]*(?:percentile|pctl?|%ile)"
    r"|\b(?P<p3>\d{2}(?:\.\d+)?)\s?%\s+of\s+(?:all\s+)?(?:the\s+)?(?:requests|calls|queries|responses|predictions|lookups)"
    r"|\b(?P<median>median)\b|\b(?P<mean>average|mean|avg)\b|\b(?P<tail>tail)\b",
    re.IGNORECASE,
)
_LATENCY_CUE = re.compile(
    r"latenc|respon|answer|reply|replies|round[- ]?trip|turnaround|percentile|\bp\d{2}\b|median|"
    r"serv(?:e|ing)|predict|inference|scor|real[- ]?time|endpoint|\bapi\b|lookup|within",
    re.IGNORECASE,
)
_NOT_LATENCY = re.compile(r"\b(?:every|each|per|timeout|window|intervals?|ttl|cold[- ]start)\s*$", re.I)

_VOLUME = re.compile(
    rf"(?P<num>{NUMBER})\s?(?P<unit>[kmgtp]i?b|(?:kilo|mega|giga|tera|peta)bytes?)\b", re.IGNORECASE
)
_GB = {"k": 1e-6, "m": 1e-3, "g": 1.0, "t": 1e3, "p": 1e6}
_DAILY = re.compile(
    r"(?P<day>(?:per|a|each|every|/)\s*(?:day|night)\b|daily|nightly|/d\b|per\s+24\s*h"
    # Spanish, Portuguese, French, Italian, German, Dutch
    r"|\b(?:al|por|ao|par|pro|per)\s+(?:día|dia|jour|giorno|Tag|dag)\b|\bt[äa]glich\b|\bdiari[oa]s?\b"
    r"|\bquotidien\w*|\bgiornalier\w*|\bdagelijks\b|\bcada\s+noche\b|\bchaque\s+nuit\b|\bjede\s+Nacht\b)"
    r"|(?P<hour>(?:per|an|each|every|/)\s*(?:hour|hr|h)\b|hourly)"
    r"|(?P<week>(?:per|a|each|every|/)\s*week\b|weekly)"
    r"|(?P<month>(?:per|a|each|every|/)\s*month\b|monthly)",
    re.IGNORECASE,
)
_FOLLOWING_CUE_CHARS = 35  # "2 TB of raw clickstream logs per day": the period closes the phrase
_PER_DAY = {"day": 1.0, "hour": 24.0, "week": 1 / 7, "month": 1 / 30}
# "80 GB of memory", "a 2 TB dataset": sizes, not a daily flow
_NOT_DATA = re.compile(
    r"^\s*(?:of\s+)?(?:ram|memory|vram|gpu|disk\s+space|heap|datasets?|data\s+sets?|corpus|archive|"
    r"history|backlog|in\s+total|total)\b",
    re.I,
)


def find_latency(doc: Document) -> Finding | None:
    """The tightest latency target stated, as (percentile, ms); the highest percentile wins."""
    found: list[Finding] = []
    for match in _DURATION.finditer(doc.usable):
        ms, in_ms = _duration_ms(match)
        s_start, s_end = doc.sentence_at(match.start())
        if not 0 < ms <= 60_000 or _NOT_LATENCY.search(doc.usable[s_start : match.start()]):
            continue
        # "50 ms" is a latency on its own; seconds and microseconds need a latency word nearby
        if not in_ms and not _LATENCY_CUE.search(doc.usable[s_start:s_end]):
            continue
        found.append(_with_percentile(doc, match, ms, (s_start, s_end)))
    if not found:
        return None
    return max(found, key=lambda f: (f.value["percentile"], -f.value["ms"]))


def _duration_ms(match: re.Match[str]) -> tuple[float, bool]:
    """(milliseconds, whether the text said milliseconds) of a `_DURATION` match."""
    if match.group("fraction"):
        count, part = re.split(r"[\s-]+", match.group("fraction").lower())
        return 1000.0 * _FRACTION_COUNT[count] / _FRACTION_PARTS[part.rstrip("s")], False
    if match.group("subsecond"):
        return 1000.0, False
    if match.group("word"):
        return (500.0 if match.group("word").lower().startswith("half") else 1000.0), False
    unit = match.group("unit").lower().replace("-", "").rstrip("s") or "s"
    unit = {"m": "ms", "msec": "ms", "µ": "µs", "u": "us", "microsecond": "us"}.get(unit, unit)
    return parse_number(match.group("num")) * _UNIT_MS[unit], unit in ("ms", "millisecond")


def _with_percentile(doc: Document, match: re.Match[str], ms: float, sentence: tuple[int, int]) -> Finding:
    """Attach the nearest percentile phrase of the sentence to a latency figure."""
    s_start, s_end = sentence
    phrases = list(_PERCENTILE.finditer(doc.usable, s_start, s_end))
    if not phrases:
        return Finding(
            {"percentile": 99, "ms": ms},
            doc.quote(match.start(), match.end()),
            0.6,
            match.start(),
            questions=(f"Which percentile must meet the {ms:g} ms latency target? It was read as p99.",),
        )
    nearest = min(phrases, key=lambda p: min(abs(p.start() - match.end()), abs(match.start() - p.end())))
    percentile, confidence = _percentile(nearest)
    start, end = min(nearest.start(), match.start()), max(nearest.end(), match.end())
    return Finding({"percentile": percentile, "ms": ms}, doc.quote(start, end), confidence, start)


def _percentile(match: re.Match[str]) -> tuple[int, float]:
    """Allowed SLO percentile (50/90/95/99) for a phrase, and how sure the reading is."""
    if match.group("median"):
        return 50, 0.9
    if match.group("mean"):
        return 50, 0.6  # an average is not a percentile; the median is the closest allowed target
    if match.group("tail"):
        return 99, 0.7
    value = float(match.group("p1") or match.group("p2") or match.group("p3"))
    for allowed in (50, 90, 95, 99):
        if value <= allowed:
            return allowed, 0.95 if value == allowed else 0.7
    return 99, 0.8  # p99.9 and beyond: held to p99, the strictest allowed target


def _period_cues(doc: Document, volume: re.Match[str]) -> list[re.Match[str]]:
    """Period words next to a volume: in its clause ("40 GB nightly"), else close by in its
    sentence ("every night, we ingest 40 GB"), never a far one ("...; weekly retraining")."""
    clause = doc.clause_at(volume.start())
    cues = list(_DAILY.finditer(doc.usable, *clause))
    if cues:
        return cues
    s_start, s_end = doc.sentence_at(volume.start())
    window = (max(s_start, volume.start() - 45), min(s_end, volume.end() + 30))
    return [
        c for c in _DAILY.finditer(doc.usable, *window) if c.end() <= volume.start() or c.start() < clause[1]
    ]


def _nearest_cue(cues: list[re.Match[str]], volume: re.Match[str]) -> re.Match[str]:
    """The period that qualifies a volume: one right after it wins ("train weekly on 30 GB of
    transactions per day" is 30 GB/day), else the closest one."""
    following = [c for c in cues if 0 <= c.start() - volume.end() <= _FOLLOWING_CUE_CHARS]
    if following:
        return following[0]
    return min(cues, key=lambda c: max(c.start() - volume.end(), volume.start() - c.end(), 0))


def find_batch_volume(doc: Document) -> Finding | None:
    """Data volume per day in GB, from "40 GB every night", "2 TB of logs per day", "5 GB/hour"."""
    for match in _VOLUME.finditer(doc.usable):
        if _NOT_DATA.search(doc.usable[match.end() : match.end() + 20]):
            continue
        cues = _period_cues(doc, match)
        if not cues:
            continue
        cue = _nearest_cue(cues, match)
        period = next(k for k in ("day", "hour", "week", "month") if cue.group(k))
        unit = match.group("unit").lower()
        gb = parse_number(match.group("num")) * _GB[unit[0]] * _PER_DAY[period]
        start, end = min(cue.start(), match.start()), max(cue.end(), match.end())
        return Finding(round(gb, 3), doc.quote(start, end), 0.85 if period == "day" else 0.75, start)
    return None
