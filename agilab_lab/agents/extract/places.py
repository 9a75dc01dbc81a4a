"""Where the system runs: the cloud, its region codes (also from city and country names) and
data-residency areas ("data must stay in the EU")."""

from __future__ import annotations

import re
from functools import cache

from .data_files import load
from .text import Document, Finding

CLOUD_NAMES = {"aws": "AWS", "gcp": "GCP", "azure": "Azure"}
_CLOUD = {
    "aws": r"\bAWS\b|\bAmazon\s+Web\s+Services\b|\bAmazon(?:'s)?(?=\s+cloud\b)"
    r"|\bAmazon(?=\s+(?:S3|SageMaker|EKS|EC2|ECS|EMR|Kinesis|Redshift|RDS|DynamoDB|Aurora|Bedrock)\b)",
    "gcp": r"\bGCP\b|\bGoogle\s+Cloud(?:\s+Platform)?\b",
    "azure": r"\bAzure\b|\bMicrosoft\s+Cloud\b",
}
_CLOUD_RE = re.compile("|".join(f"(?P<{c}>{p})" for c, p in _CLOUD.items()), re.IGNORECASE)
# managed services that only one cloud sells: a hint when no cloud is named
_SERVICE_CLOUD = {
    "aws": r"SageMaker|Redshift|Kinesis|DynamoDB|Athena|EKS|EC2|S3|Bedrock|Lambda|Fargate|Aurora",
    "gcp": r"BigQuery|Vertex(?:\s+AI)?|Dataflow|Dataproc|Pub/Sub|GKE|Cloud\s+Run|Bigtable|Spanner|GCS",
    "azure": r"Synapse|Cosmos\s*DB|AKS|Event\s+Hubs|Azure\s+ML",
}
_SERVICE_RE = re.compile("|".join(f"(?P<{c}>\\b(?:{p})\\b)" for c, p in _SERVICE_CLOUD.items()))
_MIGRATION_TARGET = re.compile(
    r"\b(?:migrat\w*|mov\w*|switch\w*|transition\w*|go(?:ing)?)\s+(?:\w+\s+){0,2}?to\s+$", re.I
)
# a cloud named as an option, not a choice: "maybe AWS or Azure", "we are evaluating GCP"
_UNDECIDED_CLAUSE = re.compile(
    r"\b(?:maybe|perhaps|possibly|considering|evaluating|comparing|either|not\s+sure|unsure|undecided|"
    r"tbd|to\s+be\s+decided|open\s+to|vs\.?|versus)\b",
    re.IGNORECASE,
)
_UNDECIDED_SENTENCE = re.compile(
    r"\b(?:ha(?:ve|s)n'?t|have\s+not|has\s+not|not\s+yet)\s+(?:yet\s+)?(?:picked|chosen|decided|settled|"
    r"selected|committed)\b|\bwhichever\b|\bcloud\s+(?:is|are)\s+(?:still\s+)?(?:not\s+(?:yet\s+)?decided|undecided|open|tbd)\b",
    re.IGNORECASE,
)
_CODE_SHAPE = {
    "aws": r"(?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d",
    "gcp": r"(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)\d{1,2}",
}
_HOSTING_CUE = re.compile(
    r"\b(?:regions?|host\w*|deploy\w*|data\s*cent(?:er|re)s?|datacent(?:er|re)s?|stay\w*|resid\w*|"
    r"locat\w*|stor\w*|run\w*|keep|kept|zones?|sovereign\w*|in-country|remain|leave|processed|"
    r"AWS|GCP|Azure|Google\s+Cloud|Amazon|Microsoft|cloud|serv(?:e|es|ed|ing|ers?)|endpoints?|compute)\b",
    re.IGNORECASE,
)
_NOT_HOSTING_AFTER = re.compile(r"^(?:-based|\s+(?:based|office|offices|HQ|headquarters|team|staff))\b", re.I)
# people or markets right before a place ("customers in Spain", "users across Japan") say where
# users are, not servers; a few words may sit between ("customers are mostly in Spain"), but no
# hosting word ("customer records processed in Zurich" is about hosting)
_PEOPLE_BEFORE_PLACE = re.compile(
    r"\b(?:customers?|users?|clients?|offices?|teams?|staff|employees?|people|headquarter\w*|HQ|"
    r"markets?|sell\w*|audiences?|residents?|citizens?|patients?|shoppers?|stores?|branch\w*)\b"
    r"(?P<gap>(?:\s+[\w'-]+){0,3}?)\s+(?:in|from|across|throughout|around|at|all\s+over)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ON_PREMISES = re.compile(
    r"\bon[- ]?prem(?:ise|ises)?\b|\b(?:our|own)\s+data\s*cent(?:er|re)s?\b|\bself[- ]hosted\s+(?:hardware|servers)\b",
    re.IGNORECASE,
)
_RESIDENCY_AREAS = {
    "eu": r"EU|E\.U\.|European\s+Union|Europe|EEA",
    "uk": r"UK|United\s+Kingdom|Britain",
    "us": r"US|USA|U\.S\.|United\s+States",
    "ca": r"Canada",
    "de": r"Germany",
    "fr": r"France",
    "ch": r"Switzerland",
    "au": r"Australia",
    "jp": r"Japan",
    "in": r"India",
    "sg": r"Singapore",
}
_AREA = "|".join(f"(?:{v})" for v in _RESIDENCY_AREAS.values())
_RESIDENCY = re.compile(
    rf"\b(?:stays?|remains?|resides?|be\s+(?:stored|kept|hosted|processed)|never\s+leave|not\s+leave|"
    rf"leave)\s+(?:with)?in\s+(?:the\s+)?(?P<a1>{_AREA})\b"
    rf"|\b(?P<a2>{_AREA})[- ](?:only|data[- ]residency|residency|sovereign\w*|hosted|hosting)\b"
    rf"|\bdata\s+residency\s+in\s+(?:the\s+)?(?P<a3>{_AREA})\b",
)

# "no US region", "not in any US region", "must not be hosted in the US"; area names keep
# their capitals ("US", not "us"), the words around them may take any
_EXCLUDED_AREA = re.compile(
    rf"\b(?i:no|not\s+in(?:\s+(?:a|any))?|never\s+in(?:\s+(?:a|any))?|avoid\w*|exclud\w*|without)\s+"
    rf"(?i:the\s+)?(?i:any\s+)?(?P<e1>{_AREA})(?i:[- ](?:based\s+)?(?:regions?|data\s*cent(?:er|re)s?|hosting|zones?))\b"
    rf"|\b(?i:not\s+(?:be\s+)?(?:hosted|stored|processed|run|deployed)\s+in\s+(?:the\s+)?)(?P<e2>{_AREA})\b"
    rf"|\b(?i:not\s+in\s+(?:a\s+|any\s+|the\s+)?)(?P<e3>{_AREA})(?=\s*(?:[.,;:)!]|$))"
)


def find_clouds(doc: Document) -> tuple[Finding | None, list[Finding]]:
    """(the cloud the text asks for, clouds it rules out).

    Named clouds win; a region code or a single-cloud service (BigQuery, SageMaker) is a
    weaker hint. Several named clouds keep the first (or the migration target) and ask.
    """
    wanted: dict[str, re.Match[str]] = {}
    avoided: dict[str, Finding] = {}
    considered: dict[str, re.Match[str]] = {}
    target = None
    for match in _CLOUD_RE.finditer(doc.usable):
        cloud = match.lastgroup
        if doc.negated(match.start(), match.end()):
            quote = doc.quote_with_context(match.start(), match.end())
            avoided.setdefault(cloud, Finding(cloud, quote, 0.85, match.start()))
            continue
        if _undecided(doc, match.start()):
            considered.setdefault(cloud, match)
            continue
        wanted.setdefault(cloud, match)
        if _MIGRATION_TARGET.search(doc.usable[max(0, match.start() - 40) : match.start()]):
            target = cloud
    refused = [finding for cloud, finding in avoided.items() if cloud not in wanted]
    if wanted:
        return _chosen_cloud(doc, wanted, target), refused
    if considered:
        return None, refused  # the open question about the cloud stays; nothing is assumed
    return _cloud_hint(doc), refused


def _undecided(doc: Document, start: int) -> bool:
    """Whether the cloud named at `start` is only one option under consideration."""
    c_start, c_end = doc.clause_at(start)
    s_start, s_end = doc.sentence_at(start)
    return bool(
        _UNDECIDED_CLAUSE.search(doc.usable[c_start:c_end])
        or _UNDECIDED_SENTENCE.search(doc.usable[s_start:s_end])
    )


def _chosen_cloud(doc: Document, wanted: dict[str, re.Match[str]], target: str | None) -> Finding:
    cloud = target or min(wanted, key=lambda c: wanted[c].start())
    match = wanted[cloud]
    if len(wanted) == 1:
        return Finding(cloud, doc.quote(match.start(), match.end()), 0.95, match.start())
    names = ", ".join(CLOUD_NAMES[c] for c in wanted)
    return Finding(
        cloud,
        doc.quote(match.start(), match.end()),
        0.8 if target else 0.5,
        match.start(),
        questions=(
            f"Several clouds are mentioned ({names}): which one should this run on? "
            f"{CLOUD_NAMES[cloud]} was assumed.",
        ),
    )


def _cloud_hint(doc: Document) -> Finding | None:
    for cloud, pattern in _code_patterns().items():
        match = pattern.search(doc.usable)
        if match and not doc.negated(match.start(), match.end()):
            return Finding(cloud, doc.quote(match.start(), match.end()), 0.85, match.start())
    for match in _SERVICE_RE.finditer(doc.usable):
        if not doc.negated(match.start(), match.end()):
            cloud = match.lastgroup
            return Finding(
                cloud,
                doc.quote(match.start(), match.end()),
                0.6,
                match.start(),
                questions=(
                    f"Is {CLOUD_NAMES[cloud]} the target cloud? It was inferred from '{match.group()}'.",
                ),
            )
    return None


def find_on_premises(doc: Document) -> Finding | None:
    """A wish to run in one's own data centre ("on-prem"), which no cloud plan satisfies."""
    for match in _ON_PREMISES.finditer(doc.usable):
        if not doc.negated(match.start(), match.end()):
            return Finding("on-premises", doc.quote(match.start(), match.end()), 0.8, match.start())
    return None


def find_regions(doc: Document, cloud: str | None) -> tuple[list[Finding], list[str]]:
    """(region codes for `cloud`, in order of mention; questions about places not resolved)."""
    found: dict[str, Finding] = {}
    questions: list[str] = []
    for code_cloud, pattern in _code_patterns().items():
        for match in pattern.finditer(doc.usable):
            code = match.group("code").lower()
            if doc.negated(match.start(), match.end()):
                continue
            if cloud is not None and code_cloud != cloud:
                questions.append(
                    f"{code} is a {CLOUD_NAMES[code_cloud]} region but the cloud is "
                    f"{CLOUD_NAMES[cloud]}: which {CLOUD_NAMES[cloud]} region should be used?"
                )
                continue
            found.setdefault(code, Finding(code, doc.quote(match.start(), match.end()), 0.95, match.start()))
    for place, start, end in _hosting_places(doc):
        if cloud is None:
            questions.append(
                f"Which cloud should host the '{place}' deployment? Its region code depends on it."
            )
            continue
        code = _place_index()[cloud].get(place.lower())
        if code is None:
            questions.append(f"{CLOUD_NAMES[cloud]} has no region in {place}: which region should be used?")
        elif code not in found:
            found[code] = Finding(code, doc.quote(start, end), 0.85, start)
    return sorted(found.values(), key=lambda f: f.start), list(dict.fromkeys(questions))


def _hosting_places(doc: Document) -> list[tuple[str, int, int]]:
    """Place names mentioned where the text talks about hosting, not about offices or users."""
    places = []
    for match in _place_pattern().finditer(doc.usable):
        s_start, s_end = doc.sentence_at(match.start())
        if _NOT_HOSTING_AFTER.search(doc.usable[match.end() : match.end() + 14]):
            continue
        if _about_people(doc, match.start()):
            continue
        if not _HOSTING_CUE.search(doc.usable[s_start:s_end]) or doc.negated(match.start(), match.end()):
            continue
        places.append((match.group(), match.start(), match.end()))
    return places


def _about_people(doc: Document, place_start: int) -> bool:
    """Whether the place at `place_start` says where people are ("our users in Spain")."""
    c_start, _ = doc.clause_at(place_start)
    people = _PEOPLE_BEFORE_PLACE.search(doc.usable[c_start:place_start])
    return bool(people) and not _HOSTING_CUE.search(people.group("gap"))


def find_excluded_areas(doc: Document) -> list[Finding]:
    """Areas the text rules out for hosting ("no US region" -> "us"), each with a question,
    since a refusal names no region to use instead."""
    found: dict[str, Finding] = {}
    for match in _EXCLUDED_AREA.finditer(doc.usable):
        named = match.group("e1") or match.group("e2") or match.group("e3")
        area = next(k for k, v in _RESIDENCY_AREAS.items() if re.fullmatch(v, named))
        quote = doc.quote(match.start(), match.end())
        question = f"Regions in {area.upper()} are ruled out ('{quote}'): which region should be used?"
        found.setdefault(area, Finding(area, quote, 0.85, match.start(), questions=(question,)))
    return list(found.values())


def find_excluded_regions(doc: Document, cloud: str | None) -> list[Finding]:
    """Region codes the text rules out ("Avoid us-east-1", "not in eu-west-2"), then areas
    ("no US region" -> "us"), so the planner never picks one of them."""
    found: dict[str, Finding] = {}
    for code_cloud, pattern in _code_patterns().items():
        if cloud is not None and code_cloud != cloud:
            continue
        for match in pattern.finditer(doc.usable):
            if doc.negated(match.start(), match.end()):
                code = match.group("code").lower()
                found.setdefault(code, Finding(code, doc.quote(match.start(), match.end()), 0.85, match.start()))
    for area in find_excluded_areas(doc):
        found.setdefault(area.value, Finding(area.value, area.evidence, area.confidence, area.start))
    return list(found.values())


def find_residency(doc: Document) -> list[Finding]:
    """Areas the data must stay in ("must stay in the EU" -> "eu")."""
    found: dict[str, Finding] = {}
    for match in _RESIDENCY.finditer(doc.usable):
        named = match.group("a1") or match.group("a2") or match.group("a3")
        area = next(k for k, v in _RESIDENCY_AREAS.items() if re.fullmatch(v, named))
        found.setdefault(area, Finding(area, doc.quote(match.start(), match.end()), 0.9, match.start()))
    return list(found.values())


def known_region(cloud: str, code: str) -> bool:
    """Whether `code` is a region of `cloud` in the shipped table (or has that cloud's code shape)."""
    table = load("regions").get(cloud, {})
    shape = _CODE_SHAPE.get(cloud)
    return code in table or bool(shape and re.fullmatch(shape, code))


@cache
def _code_patterns() -> dict[str, re.Pattern[str]]:
    patterns = {}
    for cloud, regions in load("regions").items():
        codes = sorted(regions, key=len, reverse=True)
        alternatives = [re.escape(c) for c in codes] + ([_CODE_SHAPE[cloud]] if cloud in _CODE_SHAPE else [])
        # an availability zone names its region: "eu-west-1a" (AWS), "europe-west1-b" (GCP)
        patterns[cloud] = re.compile(
            rf"(?<![\w-])(?P<code>{'|'.join(alternatives)})(?:-?[a-f])?(?![\w-])", re.IGNORECASE
        )
    return patterns


@cache
def _place_index() -> dict[str, dict[str, str]]:
    return {
        cloud: {alias.lower(): code for code, aliases in regions.items() for alias in aliases}
        for cloud, regions in load("regions").items()
    }


@cache
def _place_pattern() -> re.Pattern[str]:
    aliases = {alias for index in _place_index().values() for alias in index}
    names = {a for regions in load("regions").values() for al in regions.values() for a in al}
    ordered = sorted((n for n in names if n.lower() in aliases), key=len, reverse=True)
    # display names of several words ("west europe", "East US 2") are unmistakable in any case;
    # a single word keeps its capital so "ohio" in a sentence about something else stays prose
    alternatives = [rf"(?i:{re.escape(n)})" if " " in n else re.escape(n) for n in ordered]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")
