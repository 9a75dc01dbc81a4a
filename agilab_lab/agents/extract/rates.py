"""Request and event rates -> peak requests per second.

"2,000 requests per second", "600 requests per minute", "1.2M predictions per day", "3k RPS",
"one photo every 5 minutes", and per-source rates multiplied by the number of sources:
"5 fps per camera x 40 cameras", "500 camera streams at 30 fps each".
"""

from __future__ import annotations

import re

from .numbers import DIGIT_NUMBER, NUMBER, parse_number
from .text import Document, Finding

_RATE_NOUN = (
    r"(?:requests?|reqs?|queries|query|calls?|predictions?|inferences?|scores|events?|messages?|msgs?|"
    r"transactions?|txns?|records?|lookups?|hits?|clicks?|impressions?|bids?|invocations?|"
    r"documents?|images?|photos?|pictures?|frames?|rows?|orders?|payments?|readings?|measurements?|"
    r"data\s+points?|samples?|searches|log\s+lines?|page\s?views?|visits?|swipes?|sessions?|applications?|"
    r"questions?|answers?|conversations?|chats?|prompts?|api\s+calls?|"
    # the same nouns in Spanish, Portuguese, French, Italian, German and Dutch
    r"peticiones|solicitudes|consultas|transacciones|preguntas|requisições|transações|perguntas|"
    r"requêtes|demandes|appels|richieste|transazioni|domande|Anfragen|Transaktionen|Abfragen|Fragen|"
    r"verzoeken|transacties|vragen|"
    r"[a-z]+s(?=\s*(?:/|per|a|an|each|every)\s*(?:seconds?|secs?|s|minutes?|mins?)\b))"
)
_ABBR = (
    r"(?P<abbr>rps|qps|tps|eps|mps|fps|rpm|qpm|req/s|reqs/s|r/s|ops/s|events/s|msg/s|msgs/s|tx/s|frames/s)"
)
_ABBR_FIRST = "rps|qps|tps|eps|rpm|qpm"
_PER = r"(?:\s*/\s*|\s+(?:per|a|an|each|every|por|al|ao|par|pro|je|al|op|à)\s+(?:(?P<every>\d+(?:\.\d+)?)\s+)?)"
_RATE = re.compile(
    # not money ("$3M of payments per day"); a range of digits gives its top ("50 to 100 requests
    # per second"), while "and" inside number words stays theirs ("one hundred and fifty thousand")
    rf"(?<![$€£¥₹])(?:(?<![\w.]){DIGIT_NUMBER}\s*(?:-|–|to|and)\s*)?(?P<num>{NUMBER})(?!\s*[kmgtp]i?b\b)\s*(?:(?:[\w-]+\s+){{0,2}}?{_RATE_NOUN}{_PER}"
    r"(?P<per>seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wk|months?|mo|"
    r"segundos?|secondes?|secondo|Sekunde|seconde|minutos?|minuti|Minute|uurs?|horas?|heures?|ore|ora|Stunde|"
    r"días?|dias?|jours?|giorno|Tag|dag|mes|mês|mois|mese|Monat|maand)\b"
    rf"|{_ABBR})\b"
    # the unit first, as in a field list: "Peak QPS 3,500", "RPS: 800", "TPS of around 700"
    rf"|\b(?P<abbr_first>{_ABBR_FIRST})\s*(?:[:=~≈]|of|is|around|about|up\s+to|\s)\s*(?:around\s+|about\s+|~\s*)?"
    rf"(?P<num_after>{NUMBER})"
    # the noun said earlier: "events arrive through Pub/Sub at 4,000 per second" (see _RATE_CUE)
    rf"|(?<![$€£¥₹\w.])(?P<bare>{NUMBER})(?:\s*/\s*|\s+(?:per|a|every)\s+)(?P<bare_per>seconds?|secs?|minutes?|mins?)\b",
    re.IGNORECASE,
)
# a bare "N per second" is a rate only in a sentence about requests, events or traffic
_RATE_CUE = re.compile(rf"\b{_RATE_NOUN}|\b(?:throughput|traffic|load|arriv\w*|ingest\w*)\b", re.IGNORECASE)
_SECONDS_PER = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
    "wk": 604800,
    "week": 604800,
    "mo": 2_592_000,
    "month": 2_592_000,  # 30 days
}
# the units in Spanish, Portuguese, French, Italian, German and Dutch, as _seconds sees them
_FOREIGN_UNITS = {
    **dict.fromkeys(("segundo", "seconde", "secondo", "sekunde"), "second"),
    **dict.fromkeys(("minuto", "minuti", "minute"), "minute"),
    **dict.fromkeys(("hora", "heure", "ora", "ore", "stunde", "uur"), "hour"),
    **dict.fromkeys(("día", "dia", "jour", "giorno", "tag", "dag"), "day"),
    **dict.fromkeys(("me", "mê", "moi", "mese", "monat", "maand"), "month"),
}
_ABBR_SECONDS = {"rpm": 60, "qpm": 60}
_PEAK = re.compile(r"\b(?:peak\w*|max(?:imum)?|up\s+to|burst\w*|spikes?)\b[^.;\n]{0,20}$", re.I)

# Sources counted after the rate: "5 fps per camera x 40 cameras", "2 rps each across 300 stores"
_SOURCES_AFTER = re.compile(
    rf"\s*(?:(?:per|each|/|a|an|for\s+each|from\s+each)\s+(?P<unit>[a-z-]+)|(?P<each>each|apiece))?\s*"
    rf"(?:[x×*]|times|across|over|for|from|on|with|and|,)\s*(?:all\s+|each\s+of\s+|every\s+one\s+of\s+)?"
    rf"(?:the\s+|our\s+|its\s+)?(?P<n>{NUMBER})\s+(?P<units>[a-z-]+)",
    re.IGNORECASE,
)
# Sources counted before it: "40 cameras at 5 fps each", "20,000 devices each sending 1 event/s"
_SOURCES_BEFORE = re.compile(
    rf"(?P<n>{NUMBER})\s+(?P<units>[a-z-]+)(?:\s+[a-z-]+){{0,2}}?\s*,?\s*"
    r"(?:(?P<each>each|every\s+one)\s+)?(?:[x×*]|times|at|with|doing|sending|sends?|producing|"
    r"generating|emitting|making|uploading|streaming|pushing|posting|reporting|takes?|captures?|records?|"
    r"shoots?)\s+(?:about\s+|around\s+|~\s*)?$",
    re.IGNORECASE,
)
_DISTRIBUTIVE_AFTER = re.compile(r"\s*(?:each|apiece|per\s+(?P<unit>[a-z-]+))\b", re.IGNORECASE)
_TIMES = re.compile(r"[x×*]|times", re.IGNORECASE)


def find_throughput(doc: Document) -> Finding | None:
    """Peak request/event rate in requests per second."""
    found: list[tuple[bool, Finding]] = []
    for match in _RATE.finditer(doc.usable):
        if match.group("bare") and not _RATE_CUE.search(doc.usable[slice(*doc.sentence_at(match.start()))]):
            continue
        number = match.group("num") or match.group("num_after") or match.group("bare")
        rps = parse_number(number) / _seconds(match)
        start, end = match.start(), match.end()
        sources = _sources(doc, match)
        if sources:
            count, start, end = sources
            rps *= count
        peak = bool(_PEAK.search(doc.usable[max(0, start - 40) : start]))
        found.append(
            (peak, Finding(round(rps, 3), doc.quote(start, end), 0.9 if not sources else 0.8, start))
        )
    if not found:
        return None
    peak, best = max(found, key=lambda f: (f[0], f[1].value))
    return best if peak or len(found) == 1 else Finding(best.value, best.evidence, 0.75, best.start)


def _seconds(match: re.Match[str]) -> float:
    """Seconds in the period a rate is stated per ("per minute" -> 60, "every 5 minutes" -> 300)."""
    abbr = match.group("abbr") or match.group("abbr_first")
    if abbr:
        return _ABBR_SECONDS.get(abbr.lower(), 1)
    per = (match.group("per") or match.group("bare_per")).lower()
    per = per.rstrip("s") if per != "s" else per
    seconds = _SECONDS_PER.get(_FOREIGN_UNITS.get(per, per), 1)
    return seconds * float(match.group("every") or 1)


def _sources(doc: Document, rate: re.Match[str]) -> tuple[float, int, int] | None:
    """(number of sources, span start, span end) when the rate is per source and the sources are
    counted in the same clause; only an explicit "per camera", "each" or "x" multiplies."""
    c_start, c_end = doc.clause_at(rate.start())
    s_start, s_end = doc.sentence_at(rate.start())
    after = _SOURCES_AFTER.match(doc.usable, rate.end(), s_end)
    if after and (
        after.group("each")
        or _same_thing(after.group("unit"), after.group("units"))
        or (not after.group("unit") and _TIMES.search(doc.usable[rate.end() : after.start("n")]))
    ):
        return parse_number(after.group("n")), rate.start(), after.end()
    before = _SOURCES_BEFORE.search(doc.usable, max(s_start, rate.start() - 80), rate.start())
    if before is None or before.end() != rate.start():
        return None
    distributive = _DISTRIBUTIVE_AFTER.match(doc.usable, rate.end(), c_end)
    said_each = before.group("each") or _TIMES.search(doc.usable[before.end("units") : before.end()])
    if distributive and distributive.group("unit"):
        said_each = _same_thing(distributive.group("unit"), before.group("units"))
    if not (said_each or (distributive and not distributive.group("unit"))):
        return None
    end = distributive.end() if distributive else rate.end()
    return parse_number(before.group("n")), before.start(), end


def _same_thing(unit: str | None, units: str) -> bool:
    """Whether "camera" and "cameras" (or "camera" and "camera-streams") name the same source."""
    if not unit:
        return False
    stem = unit.lower().rstrip("s")[:5]
    return len(stem) >= 3 and units.lower().startswith(stem)
