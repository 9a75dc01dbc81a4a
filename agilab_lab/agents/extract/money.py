"""Budgets: "$8,000 per month", "8k USD/mo", "USD 8000 per month", "€5,000/mo",
"twelve thousand dollars a month", "$96k per year" -> a monthly USD figure.

Other currencies are converted with the fixed, dated planning rates in ``data/fx.toml``; the
conversion is reported as a warning and a question, never hidden.
"""

from __future__ import annotations

import re

from .data_files import load
from .numbers import NUMBER, parse_number
from .text import Document, Finding

_PREFIX = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "eur": "EUR",
    "€": "EUR",
    "gbp": "GBP",
    "£": "GBP",
    "chf": "CHF",
    "cad": "CAD",
    "c$": "CAD",
    "aud": "AUD",
    "a$": "AUD",
    "nzd": "NZD",
    "nz$": "NZD",
    "jpy": "JPY",
    "¥": "JPY",
    "inr": "INR",
    "₹": "INR",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "pln": "PLN",
    "sgd": "SGD",
    "s$": "SGD",
    "brl": "BRL",
    "r$": "BRL",
}
_SUFFIX = {
    r"usd|us\s+dollars?|dollars?|bucks|grand|\$": "USD",
    r"eur|euros?|€": "EUR",
    r"gbp|pounds?(?:\s+sterling)?|£": "GBP",
    r"chf|(?:swiss\s+)?francs?": "CHF",
    r"cad": "CAD",
    r"aud": "AUD",
    r"nzd": "NZD",
    r"jpy|yen": "JPY",
    r"inr|rupees?": "INR",
    r"sek": "SEK",
    r"nok": "NOK",
    r"dkk": "DKK",
    r"pln|zloty": "PLN",
    r"sgd": "SGD",
    r"brl|reais": "BRL",
}
_PREFIX_RE = "|".join(re.escape(k) for k in sorted(_PREFIX, key=len, reverse=True))
_SUFFIX_RE = "|".join(f"(?:{k})" for k in _SUFFIX)
_MONEY = re.compile(
    rf"(?:(?P<pre>{_PREFIX_RE})\s?(?P<num>{NUMBER})(?:\s?(?P<post>{_SUFFIX_RE})\b)?"
    rf"|(?P<num2>{NUMBER})\s?(?P<post2>{_SUFFIX_RE})(?!\w))",
    re.IGNORECASE,
)
_DOTTED_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_RANGE_END = re.compile(rf"^\s*(?:-|–|to|and)\s*(?:{_PREFIX_RE})?\s?(?P<num>{NUMBER})", re.IGNORECASE)
# "Monat", "mois", "mes": a pasted text may keep the period in German, French or Spanish
_UNIT = r"(?P<unit>months?|mo|mth|monat|mois|mes|mese|mês|maand|years?|yr|annum|weeks?|wk|days?|quarters?|qtr)"
_PERIOD_AFTER = re.compile(
    rf"^[^.;\n$€£]{{0,25}}?(?:(?:(?:\bper|\ba|\ban|\beach|\bevery|\bin\s+a|\bal|\bpro|\bpar|\bpor|\bao|\bim|"
    rf"\b(?:for|over)\s+(?:the|a|one)(?:\s+(?:whole|full|entire|fiscal))?)\s+|\s?/\s?){_UNIT}\b"
    r"|\b(?P<adverb>monthly|annually|yearly|per\s+annum|p\.?a\.?|pcm|pm|p/m|weekly|daily|quarterly|"
    r"mensual(?:es)?|mensuel(?:le)?s?|mensil[ei]|mensa(?:l|is)|monatlich|maandelijks)(?!\w))",
    re.IGNORECASE,
)
_PERIOD_BEFORE = re.compile(
    r"\b(?P<adverb>monthly|annual|annually|yearly|weekly|quarterly|per[- ]month|per[- ]year|a\s+month|a\s+year)\b",
    re.IGNORECASE,
)
_BARE_AMOUNT = re.compile(
    rf"(?<![\w$€£¥₹])(?P<num>{NUMBER})(?:\s*(?:/\s*|per\s+|a\s+|an\s+|each\s+|every\s+){_UNIT}\b"
    # the adverb on the next line labels the next figure ("peak rps: 40\nmonthly budget: ...")
    r"|[ \t]+(?P<adverb>monthly|annually|yearly|per\s+annum))",
    re.IGNORECASE,
)
_PER_UNIT_PRICE = re.compile(
    r"^\s*(?:per|/|a|an|each)\s*(?!month|mo\b|monat|mois|mes\b|year|yr|annum|week|day|quarter)\w", re.I
)
_STRONG_CUE = re.compile(
    r"\b(?:budget\w*|presupuest\w*|orçamento|bilancio|spend\w*|afford\w*|all[- ]in|at\s+most|no\s+more\s+than|not\s+(?:to\s+)?exceed|"
    r"cap(?:ped)?|ceiling|allocat\w*|keep\s+it\s+(?:cheap|under|below))\b",
    re.IGNORECASE,
)
_WEAK_CUE = re.compile(
    r"\b(?:cost\w*|under|below|less\s+than|limit\w*|max(?:imum)?|up\s+to|bill\w*|infra\w*|approv\w*)\b", re.I
)
_NOT_A_BUDGET = re.compile(
    r"\b(?:revenue|sales|loss(?:es)?|lose|losing|fraud|sav(?:e|es|ing|ings)|worth|salar\w*|ARR|MRR|"
    r"valuation|raised|GMV|turnover|earn\w*|pric\w*|charge[sd]?|fees?|subscriptions?|ARPU|pays?|paid|"
    r"per\s+(?:transaction|order|click|customer|user|request|seat))\b",
    re.IGNORECASE,
)
_LIMIT_BEFORE = re.compile(
    r"\b(?:up\s+to|at\s+most|no\s+more\s+than|not\s+(?:to\s+)?exceed|under|below|max(?:imum)?|cap(?:ped)?(?:\s+at)?|"
    r"ceiling|limit|budget\w*)\b[^.;\d$€£]{0,12}$",
    re.IGNORECASE,
)
_TOTAL = re.compile(
    r"\b(?:total|one[- ]off|one[- ]time|overall|for\s+the\s+(?:whole\s+)?project|upfront)\b", re.I
)
_MONTHS_PER = {  # how many months one stated period spans
    **dict.fromkeys(
        (
            "month",
            "mo",
            "mth",
            "monat",
            "mois",
            "mes",
            "mese",
            "mês",
            "maand",
            "monthly",
            "mensual",
            "mensuale",
            "mensuel",
            "mensuelle",
            "mensile",
            "mensili",
            "mensal",
            "mensai",
            "monatlich",
            "maandelijk",
            "per-month",
            "per month",
            "a month",
            "pm",
            "p/m",
            "pcm",
        ),
        1.0,
    ),
    **dict.fromkeys(
        (
            "year",
            "yr",
            "annum",
            "annual",
            "annually",
            "yearly",
            "per annum",
            "pa",
            "per-year",
            "per year",
            "a year",
        ),
        12.0,
    ),
    **dict.fromkeys(("week", "wk", "weekly"), 12 / 52),
    **dict.fromkeys(("day", "daily"), 12 / 365),
    **dict.fromkeys(("quarter", "qtr", "quarterly"), 3.0),
}


def find_budget(doc: Document) -> Finding | None:
    """The monthly USD budget the text states, or None.

    A money amount counts as a budget only when its sentence talks about spending ("budget",
    "at most", "all-in", "costs under") and not about revenue or losses. An amount without a
    currency ("spending cap: 10k per month") is read as USD, with a question.
    """
    candidates = [c for m in _MONEY.finditer(doc.usable) if (c := _candidate(doc, m))]
    if candidates:
        # the amount stated as a limit wins over one in passing: "spend today is $3k/month and
        # we can go up to $5k per month" -> 5000
        return max(candidates, key=lambda c: (c[0], c[1], c[2].confidence, -c[2].start))[2]
    return _bare_budget(doc)


def _bare_budget(doc: Document) -> Finding | None:
    """A per-period amount with no currency in a sentence that is clearly about the budget."""
    for match in _BARE_AMOUNT.finditer(doc.usable):
        s_start, s_end = doc.sentence_at(match.start())
        if not _STRONG_CUE.search(doc.usable[s_start:s_end]) or _NOT_A_BUDGET.search(
            doc.usable[s_start:s_end]
        ):
            continue
        amount = parse_number(match.group("num"))
        word = (match.group("unit") or match.group("adverb")).lower().rstrip("s").replace(".", "")
        usd = amount / _MONTHS_PER.get(word, _MONTHS_PER.get(word + "s", 1.0))
        return Finding(
            round(usd, 2),
            doc.quote(match.start(), match.end()),
            0.6,
            match.start(),
            questions=("The budget has no currency; it was read as USD. Is that right?",),
        )
    return None


def _candidate(doc: Document, match: re.Match[str]) -> tuple[int, bool, Finding] | None:
    """(strength of the budget cue, whether a limit word leads the amount, finding) for one money
    amount, or None if it is no budget."""
    s_start, s_end = doc.sentence_at(match.start())
    sentence, after = doc.usable[s_start:s_end], doc.usable[match.end() : s_end]
    if _PER_UNIT_PRICE.search(after) and not _PERIOD_AFTER.search(after):
        return None  # "$0.10 per request" is a price, not a budget
    window = doc.usable[max(s_start, match.start() - 40) : min(s_end, match.end() + 30)]
    cue = _budget_cue(sentence, window)
    if cue is None:
        return None
    amount, currency, end = _amount(match, after)
    months, period_span = _period(
        doc.usable[s_start : match.start()], doc.usable[end:s_end], match.start(), end
    )
    questions: list[str] = []
    if months is None:
        if cue == 0 or _TOTAL.search(sentence):
            return None  # a bare amount, or a one-off/project total, is not a monthly budget
        months, confidence, start = 1.0, 0.5, match.start()
        questions.append("Is the stated budget per month? It was read as a monthly figure.")
    else:
        confidence = (0.6, 0.8, 0.95)[cue]
        start, end = min(match.start(), period_span[0]), max(end, period_span[1])
    if cue == 0:  # "$5k monthly" in passing: most likely the budget, but ask
        questions.append(f"Is '{doc.quote(start, end)}' the monthly infrastructure budget?")
    usd, notes = _to_usd(amount / months, currency)
    if notes:
        confidence = min(confidence, 0.8)
        questions.append(
            f"Please confirm the monthly budget in USD (about {usd:,.0f} USD, converted from {currency})."
        )
    limit = bool(_LIMIT_BEFORE.search(doc.usable[max(s_start, match.start() - 30) : match.start()]))
    return cue, limit, Finding(usd, doc.quote(start, end), confidence, start, notes, tuple(questions))


def _budget_cue(sentence: str, window: str) -> int | None:
    """2 for budget words, 1 for cost words, 0 for none; None when the amount is revenue, a price..."""
    if _STRONG_CUE.search(sentence):
        return 2
    if _NOT_A_BUDGET.search(window):
        return None
    return 1 if _WEAK_CUE.search(sentence) else 0


def _to_usd(amount: float, currency: str) -> tuple[float, tuple[str, ...]]:
    """`amount` in USD, with a note when it was converted at the fixed planning rate."""
    if currency == "USD":
        return round(amount, 2), ()
    fx = load("fx")
    rate = fx["usd_per_unit"][currency]
    note = (
        f"Budget stated in {currency}; converted to USD at the fixed planning rate "
        f"{rate} USD/{currency} (as of {fx['as_of']}), not a live rate."
    )
    return round(amount * rate, 2), (note,)


def _amount(match: re.Match[str], after: str) -> tuple[float, str, int]:
    """(amount, ISO currency, end offset) of a money match; a range "$5k-8k" gives its top."""
    number = match.group("num") or match.group("num2")
    token = (match.group("pre") or match.group("post") or match.group("post2")).lower()
    currency = _PREFIX.get(token) or next(c for k, c in _SUFFIX.items() if re.fullmatch(k, token))
    if _DOTTED_THOUSANDS.fullmatch(number):
        number = number.replace(".", "")  # "18.000 EUR": a dot groups thousands in most of Europe
    amount, end = parse_number(number), match.end()
    if token == "grand":
        amount *= 1000
    upper = _RANGE_END.match(after)
    if upper:
        amount = max(amount, parse_number(upper.group("num")))
        end += upper.end()
    return amount, currency, end


def _period(before: str, after: str, start: int, end: int) -> tuple[float | None, tuple[int, int]]:
    """Months per stated period (1 for monthly, 12 for yearly...) and the span that says so."""
    found = _PERIOD_AFTER.search(after)
    if found:
        word = (found.group("unit") or found.group("adverb")).lower().rstrip("s").replace(".", "")
        return _MONTHS_PER.get(word, _MONTHS_PER.get(word + "s", 1.0)), (end, end + found.end())
    recent = before[-60:]
    hits = list(_PERIOD_BEFORE.finditer(recent))
    if hits:
        word = re.sub(r"\s+", " ", hits[-1].group("adverb").lower())
        offset = start - len(recent)
        return _MONTHS_PER[word], (offset + hits[-1].start(), offset + hits[-1].end())
    return None, (start, end)
