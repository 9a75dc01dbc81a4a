"""Whether a mention is refused or denied: "no Kubernetes", "HIPAA does not apply",
"instead of Airflow", "Avoid: Kubernetes", "we do not want to run Kubernetes ourselves"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .text import Document

NEGATION = re.compile(
    r"\b(?:no|not|never|without|avoid\w*|don't|dont|do\s+not|doesn't|does\s+not|won't|will\s+not|"
    r"cannot|can't|isn't|aren't|nor|neither|exclud\w*|except|no\s+longer|non|"
    r"hate[sd]?|dislike[sd]?|tired\s+of|frustrat\w*|ditch\w*|abandon\w*|retir\w*|sunset\w*|deprecat\w*)\b",
    re.IGNORECASE,
)
# "instead of X", "away from X": these negate only the phrase right after them
_NEAR_NEGATION = re.compile(
    r"\b(?:instead\s+of|other\s+than|rather\s+than|away\s+from|off\s+of|mov(?:e|ed|ing)\s+off|"
    r"migrat\w*\s+(?:away\s+)?(?:off|from)|switch\w*\s+(?:away\s+)?from|left|get\s+rid\s+of|"
    r"phas\w*\s+out|anything\s+but|steer\s+clear\s+of|stay\s+away\s+from|replac\w*|than)"
    r"(?P<gap>(?:\s+[\w/&.-]+){0,3}?)\s*$",
    re.IGNORECASE,
)
# between a near negation and a mention, the word that hands over to the replacement:
# "migrating from Azure to AWS", "replacing Kafka with Kinesis"
_HANDOVER = re.compile(r"\b(?:to|onto|into|with|by)\b", re.IGNORECASE)
# "prefer Dataflow over Spark": what comes after "over" is the loser
_PREFER_OVER = re.compile(
    r"\b(?:prefer\w*|favou?r\w*|rather)\b[^.;]*?\bover(?P<gap>(?:\s+[\w/&.-]+){0,3}?)\s*$", re.IGNORECASE
)
# the verb right after "instead of"/"than" belongs to the refused thing: "than run Kubernetes"
_LEADING_VERB = re.compile(
    r"^\s*(?:to\s+)?(?:us(?:e|ing)|run(?:ning)?|operat\w*|manag\w*|host\w*|maintain\w*|deploy\w*|adopt\w*)\b",
    re.IGNORECASE,
)
# a label cell or heading that refuses what follows: "Avoid: Kubernetes", "| Not allowed | Spark |"
LABEL_END = re.compile(r"[:|]\s*$")
_POSITIVE = re.compile(
    r"\b(?:use[sd]?|using|prefer\w*|standardi[sz]\w*|love|want\w*|need\w*|requir\w*|rel(?:y|ies)|"
    r"buil[dt]|run\w*|ha(?:ve|s)|existing|already|familiar|know\w*|adopt\w*|cho(?:o)?se|pick\w*|"
    r"keep|stick|move\s+to|moving\s+to|migrat\w*\s+to|switch\w*\s+to|go\s+with)\b",
    re.IGNORECASE,
)
_NEGATED_AFTER = re.compile(
    r"^[\s\"')]{0,3}(?:(?:is|are|was|were)\s+(?:not|off\s+the\s+table|out\s+of\s+(?:the\s+question|scope)|"
    r"a\s+no-go|banned|forbidden|prohibited|overkill|too\s+(?:complex|expensive|costly|heavy))\b"
    r"|(?:does|do)\s+not\b|(?:doesn't|don't)\b|-free\b|not\s+applicable\b"
    r"|[:=\-–—]\s*(?:no|none|never|not\s+allowed|forbidden|banned)\b"
    r"|,?\s*(?:but\s+)?(?:it'?s|it\s+is|that'?s|this\s+is)\s+not\s+(?:yet\s+)?(?:needed|required|necessary|"
    r"a\s+priority|in\s+scope|an\s+option)\b)",
    re.IGNORECASE,
)


def is_negated(doc: Document, start: int, end: int) -> bool:
    """Whether the clause around `doc.usable[start:end]` negates that mention.

    The last cue before it in its clause decides ("we use MLflow and want to avoid
    Kubernetes"), a verdict right after it counts ("Kubernetes is not an option"), and so
    does a refusing label in front of a list cell ("| Avoid | Kubernetes |").
    """
    c_start, _ = doc.clause_at(start)
    before = doc.usable[c_start:start]
    # what follows may sit past a clause break: "Kubernetes: no", "Kubernetes - not allowed"
    if _NEGATED_AFTER.search(doc.usable[end : min(end + 40, doc.sentence_at(start)[1])]):
        return True
    near = _NEAR_NEGATION.search(before) or _PREFER_OVER.search(before)
    if (
        near
        and not _POSITIVE.search(gap := _LEADING_VERB.sub("", near.group("gap")))
        and not _HANDOVER.search(gap)
    ):
        return True  # but not "instead of Airflow we want Dagster", "migrating from Azure to AWS"
    if not before.strip() and _negating_label(doc, c_start):
        return True
    cue = _last_cue(before)
    if cue is None:
        return False
    kind, cue_start = cue
    if kind == "neg":
        return True
    # "don't want", "do not want to run", "no need for": a negation just before the verb
    return bool(NEGATION.search(" ".join(before[:cue_start].split()[-3:])))


def _negating_label(doc: Document, clause_start: int) -> bool:
    """Whether the clause is a value after a label that refuses it ("Avoid: Kubernetes")."""
    s_start, _ = doc.sentence_at(clause_start)
    head = doc.usable[s_start:clause_start]
    if not LABEL_END.search(head):
        return False
    label = head.rstrip()[:-1]
    label = label[max(label.rfind("|"), label.rfind(":"), label.rfind("\n")) + 1 :]
    return len(label) <= 40 and bool(NEGATION.search(label))


def _last_cue(text: str) -> tuple[str, int] | None:
    """("neg" | "pos", offset) of the last negating or affirming cue in `text`, if any."""
    last_neg = next(reversed(list(NEGATION.finditer(text))), None)
    last_pos = next(reversed(list(_POSITIVE.finditer(text))), None)
    if last_neg is None and last_pos is None:
        return None
    if last_pos is None or (last_neg is not None and last_neg.start() > last_pos.start()):
        return "neg", last_neg.start()  # type: ignore[union-attr]
    return "pos", last_pos.start()
