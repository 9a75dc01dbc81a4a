"""Data populations with their own home: "EU customers' data stays in eu-west-1 under GDPR; US
customers' data stays in us-east-1" is two populations, each with its regions, residency and
regimes. Residency is then checked per population (policy), not for the whole design.

Only a text that pins two or more populations yields populations; one population is just the
design's own residency and regions.
"""

from __future__ import annotations

import re

from ..types import DataPopulation
from .domain import COMPLIANCE
from .places import find_regions, find_residency
from .text import Document, Finding

_AREAS = {
    "eu": r"EU|E\.U\.|European|EEA",
    "uk": r"UK|British|U\.K\.",
    "us": r"US|U\.S\.|American|United\s+States",
    "ca": r"Canadian",
    "de": r"German",
    "fr": r"French",
    "ch": r"Swiss",
    "au": r"Australian",
    "jp": r"Japanese",
    "in": r"Indian",
    "sg": r"Singaporean",
    "br": r"Brazilian",
}
_PEOPLE = (r"customers?|users?|patients?|policyholders?|clients?|citizens?|residents?|members?|subscribers?|"
           r"employees?|players?|students?|cardholders?|consumers?|shoppers?|drivers?")
_POPULATION = re.compile(
    rf"\b(?P<area>{'|'.join(f'(?P<{k}>{v})' for k, v in _AREAS.items())})\s+(?:[\w-]+\s+)?(?:{_PEOPLE})"
    r"(?:['’]s?)?(?:\s+[\w-]+)?\s+(?:data|records|information|PII)\b"
    rf"|\b(?P<bare>{'|'.join(f'(?P<b_{k}>{v})' for k, v in _AREAS.items() if k in ('eu', 'us', 'uk'))})\s+data\b"
)


def _area(match: re.Match[str]) -> str:
    return next(k for k in _AREAS if match.group(k) or (match.groupdict().get(f"b_{k}")))


def find_populations(doc: Document, cloud: str | None) -> Finding | None:
    """Two or more populations, each with the regions, residency areas and regimes of its clause."""
    matches = [m for m in _POPULATION.finditer(doc.usable) if not doc.negated(m.start(), m.end())]
    if len({_area(m) for m in matches}) < 2:
        return None
    regions, _ = find_regions(doc, cloud)
    residency = find_residency(doc)
    populations: dict[str, DataPopulation] = {}
    quotes = []
    for i, match in enumerate(matches):
        s_start, s_end = doc.sentence_at(match.start())
        nxt = matches[i + 1].start() if i + 1 < len(matches) else s_end
        end = min(s_end, nxt) if nxt > match.start() else s_end
        span = doc.usable[match.start() : end]
        pop = populations.setdefault(_area(match), DataPopulation(name=_area(match)))
        pop.regions += [r.value for r in regions if match.start() <= r.start < end and r.value not in pop.regions]
        pop.residency += [a.value for a in residency if match.start() <= a.start < end and a.value not in pop.residency]
        pop.compliance += [k for k, v in COMPLIANCE.items() if re.search(rf"\b(?:{v})\b", span)
                           and k not in pop.compliance]
        quotes.append(doc.quote(match.start(), end))
    if sum(1 for p in populations.values() if p.regions or p.residency or p.compliance) < 2:
        return None
    return Finding([p.model_dump() for p in populations.values()], " | ".join(quotes), 0.8, matches[0].start())
