"""How big the training job is: a stated model size ("a 70B-parameter model") and a stated
training corpus ("on 20 TB of text"), which the cost model turns into accelerator hours.

A volume with a period ("2 TB per day") is a daily volume (``measures.py``), not a corpus.
"""

from __future__ import annotations

import re

from .numbers import NUMBER, parse_number
from .text import Document, Finding

_GB = {"m": 1e-3, "g": 1.0, "t": 1e3, "p": 1e6}
_PARAMS = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<scale>[BM]|billion|million)[- ]?param(?:eter)?s?\b"
    rf"|(?P<num2>{NUMBER})\s*(?P<scale2>B)\b(?=[- ](?:\w+[- ]){{0,2}}?(?:model|LLM|language\s+model|transformer))"
    # an open-weights family names its size: "Llama 3 70B", "Mistral 7B", "Qwen2.5-32B"
    r"|\b(?:Llama|Mistral|Mixtral|Gemma|Qwen|Falcon|Phi|DeepSeek|Granite)[\s-]*(?:\d+(?:\.\d+)?[\s-]+)?"
    r"(?:8x)?(?P<num3>\d+(?:\.\d+)?)\s*(?P<scale3>B)\b",
    re.IGNORECASE,
)
_CORPUS = re.compile(
    rf"\b(?:on|over|from|with|using)\s+(?:about\s+|around\s+|roughly\s+|~\s*)?(?P<num>{NUMBER})\s*"
    r"(?P<unit>[MGTP]B)\s+of\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<what>text|data|tokens|documents|images|video|audio|corpus|transcripts|logs|records|code)\b",
    re.IGNORECASE,
)
_PERIOD_AFTER = re.compile(r"^\s*(?:per|a|an|each|every)\s+(?:day|hour|week|month|night)|^\s*/\s*(?:day|d|h)\b"
                           r"|^\s*(?:daily|nightly|hourly|weekly|monthly)\b", re.IGNORECASE)


def find_model_params(doc: Document) -> Finding | None:
    """Model size in billions of parameters ("70B-parameter", "a 7 billion parameter model")."""
    for match in _PARAMS.finditer(doc.usable):
        if doc.negated(match.start(), match.end()):
            continue
        num = match.group("num") or match.group("num2") or match.group("num3")
        scale = match.group("scale") or match.group("scale2") or match.group("scale3")
        billions = parse_number(num) * (1e-3 if scale.lower().startswith("m") else 1.0)
        return Finding(round(billions, 3), doc.quote(match.start(), match.end()), 0.85, match.start())
    return None


def find_training_data(doc: Document) -> Finding | None:
    """Size of a stated training corpus in GB ("on 20 TB of text"), when no period follows."""
    for match in _CORPUS.finditer(doc.usable):
        if _PERIOD_AFTER.search(doc.usable[match.end() : match.end() + 16]) or doc.negated(match.start(), match.end()):
            continue
        gb = parse_number(match.group("num")) * _GB[match.group("unit")[0].lower()]
        return Finding(round(gb, 3), doc.quote(match.start(), match.end()), 0.8, match.start())
    return None
