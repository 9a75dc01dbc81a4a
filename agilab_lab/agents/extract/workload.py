"""What a workload is sized by: a retrieval corpus ("2 million pages", "80,000 PDFs", "a 400 GB
corpus"), things counted ("2,000 stores", "1,00,00,000 users"), LLM tokens per request, images per
day (stated, or frames x sources) and image resolution ("1920x1080", "4K").

Numbers in any notation `numbers.py` reads; the nouns in English and the continental languages
the rate and budget readers know.
"""

from __future__ import annotations

import re

from .numbers import NUMBER, parse_number
from .rates import _sources
from .text import Document, Finding

_ADJ = r"(?:[\w'-]+\s+){0,2}?"
_PAGES = re.compile(
    rf"(?P<num>{NUMBER})\s+(?:(?:of|de|di|an)\s+)?{_ADJ}(?:pages|páginas|paginas|Seiten|pagine|pagina's)\b", re.I)
_DOCUMENTS = re.compile(
    rf"(?P<num>{NUMBER})\s+{_ADJ}(?:documents?|docs|PDFs?|contracts?|manuals?|articles?|papers?|reports?|"
    r"policies|files|tickets|e-?mails|documentos|Dokumente|documenti|contratos|contrats)\b", re.I)
_CORPUS_GB = re.compile(
    rf"(?P<num>{NUMBER})\s?(?P<unit>[MGTP]B)\s+(?:(?:document|text|knowledge)\s+)?(?:corpus|knowledge\s+base)"
    rf"|(?:corpus|knowledge\s+base)\s+of\s+(?:about\s+|around\s+|~\s*)?(?P<num2>{NUMBER})\s?(?P<unit2>[MGTP]B)",
    re.I)
_RETRIEVAL = re.compile(r"\b(?:rag|retriev\w*|corpus|knowledge\s+base|semantic\s+search|q&a|assistant|chatbot|"
                        r"asistente|assistant|Assistent|assistente|search)\b", re.I)
_GB = {"m": 1e-3, "g": 1.0, "t": 1e3, "p": 1e6}

#: counted things -> the entity name constraints use
ENTITIES = {
    "stores": r"stores|shops|branches|outlets|supermarkets|tiendas|sucursales|Filialen|Märkte|magasins|negozi|"
              r"punti\s+vendita|lojas|winkels",
    "users": r"users|usuarios|usuários|Nutzer|utilisateurs|utenti|gebruikers",
    "customers": r"customers|clients|clientes|Kunden|clienti|klanten",
    "devices": r"devices|sensors|meters|dispositivos|Geräte|appareils|dispositivi",
    "products": r"products|SKUs|items|productos|produtos|Produkte|produits|prodotti|producten",
    "patients": r"patients|pacientes|Patienten|pazienti",
    "vehicles": r"vehicles|trucks|cars|vehículos|Fahrzeuge",
    "merchants": r"merchants|sellers|vendors|comercios",
    "cameras": r"cameras|cámaras|Kameras|caméras|telecamere",
    "sites": r"sites|factories|plants|warehouses|hospitals|branches\s+offices",
}
_ENTITY = re.compile(
    rf"(?<![$€£¥₹])(?P<num>{NUMBER})(?!\s*[kmgtp]i?b\b)\s+(?:[\w-]+\s+){{0,2}}?"
    rf"(?P<noun>{'|'.join(f'(?P<{k}>{v})' for k, v in ENTITIES.items())})\b",
    re.I)
_TOKENS = re.compile(
    rf"(?P<num>{NUMBER})\s*(?:input\s+|output\s+|prompt\s+)?tokens?\s*(?:/|per|a|an|each|for\s+each)\s*"
    r"(?:request|query|question|call|prompt|answer|conversation|turn|chat|completion)\b"
    rf"|\b(?:prompts?|requests?|questions?|contexts?)\s+(?:of|with)\s+(?:about\s+|around\s+|~\s*|up\s+to\s+)?"
    rf"(?P<num2>{NUMBER})\s*tokens?\b",
    re.I)
_IMAGE_NOUN = r"(?:images?|photos?|pictures?|frames?|stills|scans|snapshots|imágenes|fotos|Bilder|immagini)"
_IMAGES = re.compile(
    rf"(?<![$€£¥₹])(?P<num>{NUMBER})(?!\s*[kmgtp]i?b\b)\s+(?:[\w-]+\s+){{0,2}}?{_IMAGE_NOUN}\s*"
    r"(?:/\s*|(?:per|a|an|each|every|por|al|pro|par)\s+)(?P<per>second|sec|s|minute|min|hour|h|day|night|d)\b"
    rf"|(?P<fps>{NUMBER})\s*(?:fps|frames?/s|frames?\s+per\s+second)\b",
    re.I)
_PER_DAY = {"second": 86400, "sec": 86400, "s": 86400, "minute": 1440, "min": 1440, "hour": 24, "h": 24,
            "day": 1, "night": 1, "d": 1}
_RESOLUTION = re.compile(r"\b(?P<w>\d{3,5})\s?[x×]\s?(?P<h>\d{3,5})\b|\b(?P<name>4K|UHD|1080p|720p|2160p|Full\s?HD)\b",
                         re.I)
_NAMED_RESOLUTION = {"4k": "3840x2160", "uhd": "3840x2160", "2160p": "3840x2160", "1080p": "1920x1080",
                     "fullhd": "1920x1080", "full hd": "1920x1080", "720p": "1280x720"}


def _first(pattern: re.Pattern[str], doc: Document, confidence: float, scale=lambda m, v: v) -> Finding | None:
    for match in pattern.finditer(doc.usable):
        if doc.negated(match.start(), match.end()):
            continue
        value = parse_number(match.group("num") or match.group("num2"))
        return Finding(round(scale(match, value), 3), doc.quote(match.start(), match.end()), confidence,
                       match.start())
    return None


def find_corpus(doc: Document) -> dict[str, Finding]:
    """corpus_pages / corpus_documents / corpus_gb of a retrieval corpus (only in a text about
    retrieval: "2,000 stores" elsewhere is not a corpus)."""
    if not _RETRIEVAL.search(doc.usable):
        return {}
    found = {"corpus_pages": _first(_PAGES, doc, 0.85), "corpus_documents": _first(_DOCUMENTS, doc, 0.8),
             "corpus_gb": _first(_CORPUS_GB, doc, 0.8, lambda m, v: v * _GB[(m.group("unit") or m.group("unit2"))[0].lower()])}
    return {k: v for k, v in found.items() if v is not None}


def find_entity_counts(doc: Document) -> Finding | None:
    """How many of each counted thing the text names: {"stores": 2000, "users": 1e7}."""
    counts: dict[str, float] = {}
    quotes: list[str] = []
    start = None
    for match in _ENTITY.finditer(doc.usable):
        name = next(k for k in ENTITIES if match.group(k))
        if name in counts or doc.negated(match.start(), match.end()):
            continue
        counts[name] = parse_number(match.group("num"))
        quotes.append(doc.quote(match.start(), match.end()))
        start = match.start() if start is None else start
    if not counts:
        return None
    return Finding(counts, " | ".join(quotes), 0.8, start or 0)


def find_tokens_per_request(doc: Document) -> Finding | None:
    """LLM tokens one request uses ("about 800 tokens per request", "prompts of ~2,000 tokens")."""
    return _first(_TOKENS, doc, 0.85)


def find_images_per_day(doc: Document) -> Finding | None:
    """Images (or video frames) per day: "20,000 photos a day", "2 frames per minute x 400 cameras",
    "60 cameras at 10 fps each"."""
    for match in _IMAGES.finditer(doc.usable):
        if doc.negated(match.start(), match.end()):
            continue
        if match.group("fps"):
            per_day, number = 86400, match.group("fps")
        else:
            per_day, number = _PER_DAY[match.group("per").lower()], match.group("num")
        value, start, end = parse_number(number) * per_day, match.start(), match.end()
        sources = _sources(doc, match)
        if sources:
            count, start, end = sources
            value *= count
        return Finding(round(value, 1), doc.quote(start, end), 0.8, start)
    return None


def find_image_resolution(doc: Document) -> Finding | None:
    """"WIDTHxHEIGHT" of the images ("1920x1080", "4K", "720p")."""
    for match in _RESOLUTION.finditer(doc.usable):
        if match.group("name"):
            value = _NAMED_RESOLUTION[re.sub(r"\s+", " ", match.group("name").lower())]
        else:
            value = f"{int(match.group('w'))}x{int(match.group('h'))}"
        return Finding(value, doc.quote(match.start(), match.end()), 0.85, match.start())
    return None
