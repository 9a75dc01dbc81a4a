"""What the system is about: compliance regimes, data classes, workloads and retrain cadence."""

from __future__ import annotations

import re

from .numbers import NUMBER, parse_number
from .text import Document, Finding

COMPLIANCE = {
    "gdpr": r"GDPR|General\s+Data\s+Protection\s+Regulation|DSGVO",
    "hipaa": r"HIPAA",
    "pci-dss": r"PCI(?:[\s-]?DSS)?(?![\w-]?[eE]\b)|payment\s+card\s+industry",
    "soc2": r"SOC[\s-]?(?:2|II)(?:\s+Type\s+(?:II|I|1|2))?",
    "iso27001": r"ISO(?:/IEC)?[\s-]?27001",
    "iso42001": r"ISO(?:/IEC)?[\s-]?42001",
    "ccpa": r"CCPA|CPRA|California\s+Consumer\s+Privacy\s+Act",
    "fedramp": r"FedRAMP",
    "hitrust": r"HITRUST",
    "sox": r"SOX|Sarbanes[\s-]Oxley",
    "glba": r"GLBA|Gramm[\s-]Leach[\s-]Bliley",
    "ferpa": r"FERPA",
    "lgpd": r"LGPD",
    "pipeda": r"PIPEDA",
    "pdpa": r"PDPA",
    "eu-ai-act": r"(?:EU\s+)?AI\s+Act",
    "nis2": r"NIS[\s-]?2",
    "dora": r"Digital\s+Operational\s+Resilience\s+Act|DORA\s+(?:regulation|compliance)",
    "fisma": r"FISMA",
}
# the subject of "... are public" / "... is internal" when it is some data ("The manuals are
# public", "Images are internal"), not a system part ("the API is public")
_DATA_SUBJECT = (
    r"(?<![\w-])(?!(?:apis?|endpoints?|services?|apps?|applications?|tools?|dashboards?|sites?|websites?|"
    r"portals?|models?|teams?|clusters?|networks?|repos?|repositories|registr(?:y|ies)|cloud|company|"
    r"systems?|platforms?|tooling|process(?:es)?|project|solution|product|"
    r"we|they|this|that|which)\b)[a-z][\w-]*"
)
DATA_CLASSES = {
    "pci": r"card[\s-]?holder(?:\s+data)?|(?:credit|debit|payment)[\s-]cards?|card\s+(?:numbers?|data|details)|"
    r"PANs?|CVVs?",
    "phi": r"PHI|protected\s+health\s+information|patients?|medical\s+(?:records?|data|histor\w+)|"
    r"health\s+(?:records?|data|information)|medical\s+images|EHRs?|EMRs?|clinical|diagnos\w+|lab\s+results|prescriptions?",
    "pii": r"PII|personally\s+identifiable|personal\s+(?:data|information|details)|customer\s+names|"
    r"e-?mail\s+addresses|phone\s+numbers|home\s+addresses|social\s+security|SSNs?|"
    r"customer\s+e-?mails|dates?\s+of\s+birth|(?:billing|postal|mailing)\s+addresses|"
    r"names\s+and\s+(?:(?:e-?mail|home|postal)\s+)?addresses|national\s+ID|passport\s+numbers?|biometric\w*|user\s+profiles",
    "confidential": r"confidential|proprietary|trade\s+secrets?|commercially\s+sensitive",
    "internal": r"internal\s+(?:[\w-]+\s+)?(?:data|only|use|information)|"
    r"(?:data|it|documents?|records?|files?|information|datasets?)\s*(?:is|are|:)\s*"
    r"(?:purely\s+|strictly\s+|only\s+)?internal|"
    rf"{_DATA_SUBJECT}\s+(?:is|are)\s+(?:all\s+|purely\s+|strictly\s+)?internal(?=\s*(?:[.,;:)!]|$|only\b))",
    "public": r"public(?:ly\s+available)?\s+(?:[\w-]+\s+)?(?:data|datasets?|information|"
    r"(?<!docker\s)(?<!container\s)images|photos|videos|documents|records|corpus|corpora)\b|open\s+data|"
    r"(?:data|it|documents?|records?|files?|information|datasets?)\s*(?:is|are|:)\s*"
    r"(?:all\s+)?public(?:ly\s+available)?|"
    rf"{_DATA_SUBJECT}\s+(?:is|are)\s+(?:all\s+)?public(?:ly\s+available)?(?=\s*(?:[.,;:)!]|$|domain\b))",
}
# a regime implies the class of data it governs
_IMPLIED_CLASS = {
    "pci-dss": "pci",
    "hipaa": "phi",
    "gdpr": "pii",
    "ccpa": "pii",
    "lgpd": "pii",
    "pipeda": "pii",
    "pdpa": "pii",
}
WORKLOADS = {
    "realtime_inference": r"real[\s-]?time|online\s+(?:inference|predictions?|scoring|serving)|low[\s-]latency|"
    r"(?:scoring|prediction|inference|model)\s+(?:endpoint|api|service)|"
    r"serve\s+predictions|at\s+request\s+time|synchronous\w*",
    "batch_inference": r"batch(?:es|ed)?(?:\s+(?:inference|scoring|predictions?|jobs?))?|bulk\s+scoring|"
    r"offline\s+(?:scoring|inference|predictions?)|"
    r"(?:nightly|daily|weekly|monthly)\s+(?:[\w-]+\s+)?(?:forecasts|predictions|scores|scoring|reports?)|"
    r"write\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:forecasts|predictions|scores)\s+(?:back\s+)?(?:to|into)|"
    r"(?:forecasts|predictions|scores)\s+(?:are|get|will\s+be)\s+(?:written|loaded|exported|pushed|stored)",
    "training": r"(?:re-?)?train(?:s|ed|ing)?|fine-?tun\w*",
    "streaming": r"stream(?:s|ing)?|Kafka|Kinesis|Pub/Sub|Event\s+Hubs|Flink|event[\s-]driven",
    "rag": r"RAG|retrieval[\s-]augmented|vector\s+(?:search|databases?|stores?|DB)|semantic\s+search|"
    r"question[\s-]answering\s+over|knowledge[\s-](?:base\s+)?(?:assistant|chatbot|copilot|bot)|"
    r"grounded\s+(?:in|on)\s+(?:our\s+)?(?:docs|documents|knowledge|data)|"
    # "answering questions over 30,000 HR policy documents", "a chatbot over our wiki"
    r"(?:answer\w*\s+questions|Q&A|assistant|copilot|chat\w*)\s+(?:over|across|about|from|on)\s+"
    r"(?:[\w,.&/-]+\s+){0,4}?(?:docs|documents|knowledge(?:\s+base)?|wiki|manuals|policies|articles|pages|"
    r"PDFs|contracts|tickets|handbooks?|documentation)",
    "forecasting": r"forecast\w*|time[\s-]series|demand\s+(?:prediction|planning)|"
    r"previsi[oó]n(?:es)?|prévisions?|previsione|previs[aã]o|\w*[Pp]rognose\w*|\w*voorspelling\w*",
    "recommendation": r"recommend\w*|personali[sz]\w*|next[\s-]best|click[\s-]through|CTR",
    "computer_vision": r"computer\s+vision|object\s+detection|OCR|image\s+(?:classification|recognition|"
    r"segmentation|moderation|search|similarity|tagging|analysis)|(?<!docker\s)(?<!container\s)images|"
    r"video|cameras?|photos?|pictures|imagery|visual\s+(?:inspection|search)|x-rays?|fps",
    "nlp": r"NLP|natural\s+language|text\s+classification|sentiment|named\s+entit\w+|summari[sz]\w*",
    # a credential of an LLM service ("the LLM key is ...") is not an LLM workload
    "llm": r"LLMs?(?!\s+(?:API\s+)?(?:keys?|tokens?|secrets?|credentials?|passwords?)\b)|"
    r"large\s+language\s+models?|generative\s+AI|GenAI|chatbot|open[\s-]weights?|"
    r"foundation\s+models?|Llama|Mistral|Mixtral|Gemma|text\s+generation|answer\s+generation|"
    r"generated\s+answers|coding\s+assistant|Gemini|GPT-?\d\w*|Claude",
    "fraud_detection": r"fraud",
    "anomaly_detection": r"anomal\w*|outliers?",
}
_CADENCES = {
    "hourly": r"hourly|every\s+hour|each\s+hour|once\s+an\s+hour|per\s+hour",
    "daily": r"daily|every\s+day|each\s+day|nightly|every\s+night|each\s+night|once\s+a\s+day|per\s+day|"
    r"every\s+(?:morning|evening)|every\s+other\s+day",
    "weekly": r"weekly|every\s+week|each\s+week|once\s+a\s+week|per\s+week|fortnightly|bi-?weekly|"
    r"every\s+other\s+week|"
    r"every\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|on\s+(?:mon|sun|satur)days",
    "monthly": r"monthly|every\s+month|each\s+month|once\s+a\s+month|per\s+month|quarterly|every\s+quarter",
}
_CADENCE_RE = re.compile(
    "|".join(f"(?P<{k}>\\b(?:{v})\\b)" for k, v in _CADENCES.items())
    + rf"|\bevery\s+(?P<n>{NUMBER}\s+)?(?P<unit>minute|hour|day|week|month)s?\b",
    re.IGNORECASE,
)
_PREDICT_VERB = re.compile(
    r"\b(?:predict\w*|scor(?:e|es|ing)|classif\w*|forecast\w*|detect\w*|estimat\w*|rank(?:s|ing)?|"
    r"segment\w*|recommend\w*|flag\w*|infer\w*)\b",
    re.IGNORECASE,
)
_SCHEDULE = re.compile(
    r"\b(?:nightly|daily|weekly|monthly|hourly|(?:every|each)\s+(?:night|day|week|month|hour|morning|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)|once\s+a\s+(?:day|week|month))\b",
    re.IGNORECASE,
)
# what may sit between a cadence and the training word it qualifies ("every night, we retrain")
_ATTACHED_BEFORE = re.compile(
    r"[\s,-]*(?:(?:we|the|our|model|models|is|are|gets?|will|should|be|a|new)[\s,-]+){0,3}", re.IGNORECASE
)
_UNIT_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 168, "month": 720}
_CADENCE_HOURS = {"hourly": 1, "daily": 24, "weekly": 168, "monthly": 720}
_TRAIN_CUE = re.compile(
    r"\b(?:re-?train\w*|train\w*|re-?fit\w*|fine-?tun\w*|refresh\w*(?:\s+the)?\s+models?|"
    r"models?\s+(?:is|are)\s+(?:updated|refreshed)|models?\s+(?:refresh|update|retrain)\w*|"
    r"update\s+the\s+models?)\b",
    re.IGNORECASE,
)


def _compile(table: dict[str, str], after_hyphen: bool = False) -> dict[str, re.Pattern[str]]:
    """Whole-word patterns; `after_hyphen` lets a term end a compound ("product-recommendation")."""
    before = r"(?<!\w)" if after_hyphen else r"(?<![\w-])"
    return {
        key: re.compile(rf"{before}(?:{pattern})(?![\w])", re.IGNORECASE) for key, pattern in table.items()
    }


_COMPLIANCE_RE = _compile(COMPLIANCE)
_DATA_CLASS_RE = _compile(DATA_CLASSES)
_WORKLOAD_RE = _compile(WORKLOADS, after_hyphen=True)


def find_terms(
    doc: Document, patterns: dict[str, re.Pattern[str]], confidence: float = 0.9
) -> dict[str, Finding]:
    """First non-negated mention of each term, in the order the text mentions them."""
    found: dict[str, Finding] = {}
    for key, pattern in patterns.items():
        for match in pattern.finditer(doc.usable):
            if not doc.negated(match.start(), match.end()):
                found[key] = Finding(key, doc.quote(match.start(), match.end()), confidence, match.start())
                break
    return dict(sorted(found.items(), key=lambda item: item[1].start))


def find_compliance(doc: Document) -> dict[str, Finding]:
    return find_terms(doc, _COMPLIANCE_RE, 0.95)


def find_data_classes(doc: Document, compliance: dict[str, Finding]) -> dict[str, Finding]:
    """Data classes named in the text, plus those a stated regime implies (PCI-DSS -> pci)."""
    found = find_terms(doc, _DATA_CLASS_RE, 0.85)
    for regime, finding in compliance.items():
        implied = _IMPLIED_CLASS.get(regime)
        if implied and implied not in found:
            found[implied] = Finding(implied, finding.evidence, 0.75, finding.start)
    return found


def find_workloads(doc: Document) -> dict[str, Finding]:
    return find_terms(doc, _WORKLOAD_RE, 0.85)


def find_scheduled_predictions(doc: Document) -> Finding | None:
    """Batch inference implied by predictions on a schedule ("score churn every week").

    The schedule must be closer to the prediction verb than to any training word, so "we
    retrain weekly" alone does not count.
    """
    for verb in _PREDICT_VERB.finditer(doc.usable):
        if doc.negated(verb.start(), verb.end()):
            continue
        s_start, s_end = doc.sentence_at(verb.start())
        trains = [m.start() for m in _TRAIN_CUE.finditer(doc.usable, s_start, s_end)]
        for schedule in _SCHEDULE.finditer(doc.usable, s_start, s_end):
            distance = abs(schedule.start() - verb.start())
            if all(distance < abs(schedule.start() - t) for t in trains):
                start, end = min(verb.start(), schedule.start()), max(verb.end(), schedule.end())
                return Finding("batch_inference", doc.quote(start, end), 0.6, start)
    return None


def find_retrain_cadence(doc: Document) -> Finding | None:
    """How often the model is retrained: a cadence attached to a "retrain"/"train" word.

    A cadence attaches when it follows the word in its sentence ("retrain weekly", "train a
    model daily") or directly precedes it ("hourly retraining", "every night we retrain");
    "we forecast weekly and retrain monthly" gives monthly.
    """
    best: tuple[int, Finding] | None = None
    for cue in _TRAIN_CUE.finditer(doc.usable):
        if doc.negated(cue.start(), cue.end()):
            continue
        s_start, s_end = doc.sentence_at(cue.start())
        for match in _CADENCE_RE.finditer(doc.usable, s_start, s_end):
            cadence = _cadence(match)
            if match.start() >= cue.end():
                distance = match.start() - cue.end()
            elif _ATTACHED_BEFORE.fullmatch(doc.usable[match.end() : cue.start()]):
                distance = cue.start() - match.end()
            else:
                continue
            start, end = min(cue.start(), match.start()), max(cue.end(), match.end())
            confidence = 0.9 if distance <= 30 else 0.7
            if best is None or distance < best[0]:
                best = (distance, Finding(cadence, doc.quote(start, end), confidence, start))
    return best[1] if best else None


def _cadence(match: re.Match[str]) -> str:
    for key in _CADENCES:
        if match.group(key):
            return key
    hours = _UNIT_HOURS[match.group("unit").lower()]
    if match.group("n"):
        hours *= parse_number(match.group("n"))
    # the least frequent cadence that still runs at least as often as asked (10% slack, so
    # "every 4 weeks" is monthly): every 6 hours -> hourly, every 2 weeks -> weekly
    fitting = [cadence for cadence, period in _CADENCE_HOURS.items() if period <= hours * 1.1]
    return fitting[-1] if fitting else "hourly"
