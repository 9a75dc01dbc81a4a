"""Tool preferences and refusals: "we already use MLflow", "no Kubernetes", "avoid SageMaker",
"we do not want to run Kubernetes ourselves"."""

from __future__ import annotations

import re
from functools import cache

from .data_files import load
from .text import Document, Finding

# an explicit choice reads as a firm preference; a bare mention ("forecasts go to BigQuery") as a weak one
_EXPLICIT = re.compile(
    r"\b(?:already|use[sd]?|using|prefer\w*|standardi[sz]\w*|must|want\w*|like|love|rel(?:y|ies)|"
    r"familiar|experience|expertise|stick|keep|existing|invested)\b",
    re.IGNORECASE,
)


_LIST_SEPARATOR = re.compile(
    r"\s*(?:,|/|&|\+|\band\b|\bor\b|\bnor\b)\s*(?:(?:and|or|nor)\s+)?", re.IGNORECASE
)
_OWN_VERDICT = re.compile(
    r"\b(?:is|are|was|were|works?|fine|ok|okay|good|great|preferred|allowed|welcome)\b", re.I
)


def find_tools(doc: Document) -> tuple[list[Finding], list[Finding]]:
    """(preferred tools, avoided tools), canonical lower-case names in order of mention.

    A tool listed right after a refused one shares its fate ("Avoid: Kubernetes, Databricks").
    A tool that is both wanted and refused somewhere counts as avoided: a refusal is the
    stronger statement.
    """
    prefer: dict[str, Finding] = {}
    avoid: dict[str, Finding] = {}
    previous: tuple[int, bool] | None = None  # (end, refused) of the tool mentioned just before
    for match, name in _mentions(doc):
        _, c_end = doc.clause_at(match.start())
        listed_after_refusal = (
            previous is not None
            and previous[1]
            and bool(_LIST_SEPARATOR.fullmatch(doc.usable[previous[0] : match.start()]))
            and not _OWN_VERDICT.search(doc.usable[match.end() : c_end])  # "no Kafka, Kinesis is OK"
        )
        refused = listed_after_refusal or doc.negated(match.start(), match.end())
        evidence = doc.quote_with_context(match.start(), match.end())
        if refused:
            avoid.setdefault(name, Finding(name, evidence, 0.9, match.start()))
        else:
            c_start, _ = doc.clause_at(match.start())
            explicit = _EXPLICIT.search(doc.usable[c_start : match.start()])
            prefer.setdefault(name, Finding(name, evidence, 0.9 if explicit else 0.6, match.start()))
        previous = (match.end(), refused)
    prefer = {k: v for k, v in prefer.items() if k not in avoid}
    by_position = lambda found: sorted(found.values(), key=lambda f: f.start)  # noqa: E731
    return by_position(prefer), by_position(avoid)


def _mentions(doc: Document) -> list[tuple[re.Match[str], str]]:
    """Tool mentions of both tables in text order, each with its canonical name."""
    found = [
        (m, index[m.group().lower()]) for pattern, index in _patterns() for m in pattern.finditer(doc.usable)
    ]
    return sorted(found, key=lambda item: item[0].start())


@cache
def _patterns() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """One regex per table of tools.toml, with its alias -> canonical name index."""
    data = load("tools")
    patterns = []
    for table, flags in (("tools", re.IGNORECASE), ("case_sensitive", 0)):
        aliases = {alias: name for name, names in data[table].items() for alias in names}
        if flags:
            aliases.update({name: name for name in data[table]})  # "mlflow" matches itself
        alternation = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        index = {alias.lower(): name for alias, name in aliases.items()}
        patterns.append((re.compile(rf"(?<![\w/-])(?:{alternation})(?![\w/-])", flags), index))
    return patterns
