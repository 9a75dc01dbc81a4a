"""Webhook notifications of finished jobs, signed with HMAC-SHA256.

The body is JSON; the ``X-Agilab-Signature: sha256=<hex>`` header lets the receiver check it
came from this server. Delivery happens off the worker thread and never fails the job.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import urllib.request
from typing import Any

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Agilab-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(url: str, secret: str, event: dict[str, Any], timeout_s: float = 5.0) -> int:
    """POST one event; return the HTTP status. Raises on network errors."""
    body = json.dumps(event, sort_keys=True, default=str).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    if secret:
        request.add_header(SIGNATURE_HEADER, sign(secret, body))
    with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 (configured URLs only)
        return response.status


def notify(urls: list[str], secret: str, event: dict[str, Any]) -> threading.Thread | None:
    """Deliver ``event`` to every URL in a background thread; failures are logged, not raised."""
    if not urls:
        return None

    def send_all():
        for url in urls:
            try:
                deliver(url, secret, event)
            except Exception as exc:  # a dead receiver must not break the queue
                log.warning("webhook %s failed: %s", url, type(exc).__name__)

    thread = threading.Thread(target=send_all, name="agilab-webhooks", daemon=True)
    thread.start()
    return thread
