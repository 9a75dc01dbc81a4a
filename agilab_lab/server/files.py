"""Serving files (run artifacts, generated zips) with their real media type and a filename.

``APIHandler.finish`` would stamp every answer ``application/json``; :meth:`FileSender.send_file`
streams the file in chunks under the type chosen here. Only types a browser renders without
running code are shown inline; anything else (HTML, SVG, unknown) is an attachment, and every file
carries ``X-Content-Type-Options: nosniff`` (plus Jupyter's ``default-src 'none'`` CSP).
"""

from __future__ import annotations

import asyncio
import re
import urllib.parse
from pathlib import Path

from tornado.iostream import StreamClosedError

CHUNK_BYTES = 256 * 1024

# suffix -> (media type, shown inline by the browser?)
MEDIA_TYPES: dict[str, tuple[str, bool]] = {
    ".png": ("image/png", True),
    ".jpg": ("image/jpeg", True),
    ".jpeg": ("image/jpeg", True),
    ".gif": ("image/gif", True),
    ".webp": ("image/webp", True),
    ".json": ("application/json", True),
    ".csv": ("text/csv; charset=utf-8", True),
    ".tsv": ("text/tab-separated-values; charset=utf-8", True),
    ".txt": ("text/plain; charset=utf-8", True),
    ".log": ("text/plain; charset=utf-8", True),
    ".md": ("text/plain; charset=utf-8", True),
    ".toml": ("text/plain; charset=utf-8", True),
    ".yaml": ("text/plain; charset=utf-8", True),
    ".yml": ("text/plain; charset=utf-8", True),
    ".parquet": ("application/vnd.apache.parquet", False),
    ".zip": ("application/zip", False),
    ".ipynb": ("application/x-ipynb+json", False),
    ".html": ("text/html; charset=utf-8", False),  # could run script in the server's origin
    ".htm": ("text/html; charset=utf-8", False),
    ".svg": ("image/svg+xml", False),
    ".pdf": ("application/pdf", False),
}
FALLBACK = ("application/octet-stream", False)


def media_type(name: str) -> tuple[str, bool]:
    """The media type of a file name and whether it may be shown inline."""
    return MEDIA_TYPES.get(Path(name).suffix.lower(), FALLBACK)


def content_disposition(filename: str, inline: bool) -> str:
    """``inline``/``attachment`` with an ASCII ``filename`` and the exact one as RFC 6266 ``filename*``."""
    ascii_name = re.sub(r'[^A-Za-z0-9._-]', "_", filename) or "download"
    quoted = urllib.parse.quote(filename, safe="")
    return f"{'inline' if inline else 'attachment'}; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"


class FileSender:
    """Mixin for an authenticated ``APIHandler``: stream a file under its own media type."""

    async def send_file(self, path: Path, filename: str | None = None, inline: bool | None = None) -> None:
        name = filename or path.name
        kind, shown_inline = media_type(name)
        self.set_header("Content-Type", kind)
        self.set_header("Content-Disposition", content_disposition(name, shown_inline if inline is None else inline))
        self.set_header("X-Content-Type-Options", "nosniff")
        try:
            with path.open("rb") as handle:
                while chunk := await asyncio.to_thread(handle.read, CHUNK_BYTES):
                    self.write(chunk)
                    await self.flush()
        except StreamClosedError:  # the client went away
            return
        self.finish(set_content_type=kind)
