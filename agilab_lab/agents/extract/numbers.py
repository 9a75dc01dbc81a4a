"""Numbers as people write them: "2,000", "8k", "1.5 million", "twelve thousand", "5 lakh",
"1,00,000" (Indian grouping), "7'500" (Swiss) and, through `localise`, "12.000" / "1.234,5"
(a dot groups thousands and a comma marks decimals in most of continental Europe).

`NUMBER` is a regex fragment (no groups of its own) that other patterns embed; `parse_number`
turns the text it matched into a float.
"""

from __future__ import annotations

import re

_ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIXES = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "lac": 100_000,
    "lacs": 100_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
    "millions": 1_000_000,
    "millones": 1_000_000,
    "millón": 1_000_000,
    "millionen": 1_000_000,
    "mio": 1_000_000,
    "mrd": 1_000_000_000,
}

_WORD = "|".join(sorted(_ONES, key=len, reverse=True))
_SCALE_WORD = "hundred|thousand|million|billion"
# "twelve thousand", "one hundred and fifty", "twenty-five", "a million", "half a million"
WORD_NUMBER = (
    rf"(?:(?:half\s+an?\s+|an?\s+)(?:{_SCALE_WORD})"
    rf"|(?:{_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_WORD}|{_SCALE_WORD})){{0,8}})"
)
# 2,000 | 8,00,000 (Indian lakh grouping) | 10 000 (space-grouped) | 0.2 | 1.5 ; then an optional
# k/M/bn/million suffix. The suffix must end a word so "50 ms" and "5 min" do not read as
# 50 million / 5 million.
DIGIT_NUMBER = (
    r"(?:\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:\.\d+)?)"
    r"(?:\s?(?:thousand|millones|millionen|millions|millón|million|billion|lakhs?|lacs?|crores?|mio|mrd"
    r"|mm|mn|bn|[kKmMbB])(?!\w))?"
)
NUMBER = rf"(?:(?<![\w.]){DIGIT_NUMBER}|\b{WORD_NUMBER}\b)"

# continental European groupings: "12.000", "1.234,5", "2,5"; Swiss "7'500"
_EURO_GROUPED = re.compile(r"(?<![\w.,])[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?(?![\d.]|,\d)")
_EURO_DECIMAL = re.compile(r"(?<![\w.,])\d+,\d{1,2}(?![\d,]|\.\d)")
_UNAMBIGUOUS_EURO = re.compile(r"(?<![\w.,])[1-9]\d{0,2}(?:\.\d{3}){2,}(?![\d.])|(?<![\w.,])[1-9]\d{0,2}(?:\.\d{3})+,\d+")
_SWISS = re.compile(r"(?<![\w'])[1-9]\d{0,2}(?:['\u2019]\d{3})+(?![\d'])")
# words common in Spanish, Portuguese, French, Italian, German and Dutch prose and rare in English
_EURO_WORDS = re.compile(
    r"\b(?:el|los|las|del|para|por|con|una|uma|nuestr[oa]s?|presupuesto|orçamento|cada|mes|mês|día|dia|"
    r"und|für|mit|eine|wir|unsere?|pro|liegt|täglich|monatlich|etwa|"
    r"les|des|pour|nous|avec|mois|jour|soit|environ|"
    r"della|mese|giorno|circa|di|"
    r"het|een|voor|onze|ongeveer|maand|dag)\b",
    re.IGNORECASE,
)


def decimal_comma_locale(text: str) -> bool:
    """Whether numbers in `text` follow the continental convention (dot thousands, comma decimals):
    an unambiguous "1.234,5" / "1.000.000", or prose in a language that writes numbers so."""
    if _UNAMBIGUOUS_EURO.search(text):
        return True
    return len({m.group().lower() for m in _EURO_WORDS.finditer(text)}) >= 3


def localise(text: str) -> str:
    """`text` with numbers rewritten in the English convention, offsets unchanged ("12.000" ->
    "12,000", "1.234,5" -> "1,234.5", "2,5" -> "2.5", "7'500" -> "7,500"); the continental
    forms only when the text follows that convention (`decimal_comma_locale`)."""
    text = _SWISS.sub(lambda m: re.sub("['\u2019]", ",", m.group()), text)
    pattern = _EURO_GROUPED if decimal_comma_locale(text) else _UNAMBIGUOUS_EURO
    text = pattern.sub(lambda m: m.group().translate(_SWAP), text)
    if decimal_comma_locale(text):
        text = _EURO_DECIMAL.sub(lambda m: m.group().replace(",", "."), text)
    return text


_SWAP = str.maketrans({".": ",", ",": "."})

_DIGITS_RE = re.compile(r"\d[\d.,\u00a0\u202f]*(?: \d{3})*")


def parse_number(text: str) -> float:
    """Value of a string matched by `NUMBER`; raises ValueError for anything else."""
    text = text.strip().lower()
    if text and text[0].isdigit():
        return _parse_digits(text)
    return _parse_words(text)


def _parse_digits(text: str) -> float:
    digits = _DIGITS_RE.match(text)
    if digits is None:
        raise ValueError(f"not a number: {text!r}")
    value = float(re.sub(r"[, \u00a0\u202f]", "", digits.group()))
    suffix = text[digits.end() :].strip()
    if suffix:
        if suffix not in _SUFFIXES:
            raise ValueError(f"unknown number suffix {suffix!r}")
        value *= _SUFFIXES[suffix]
    return value


def _parse_words(text: str) -> float:
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if not words:
        raise ValueError("empty number")
    half = words[0] == "half"
    if half:
        words = words[1:]
    total, current = 0, 0
    for word in words:
        if word in ("a", "an"):
            current = 1
        elif word in _ONES:
            current += _ONES[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        else:
            raise ValueError(f"not a number word: {word!r}")
    value = float(total + current)
    return value / 2 if half else value
