"""Finished jobs are announced to configured webhooks with a verifiable signature."""

import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from agilab_lab.jobs import JobWorker
from agilab_lab.webhooks import SIGNATURE_HEADER, sign


def _receiver():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers.get(SIGNATURE_HEADER), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def test_completed_job_is_posted_with_hmac_signature(lab):
    server, received = _receiver()
    try:
        lab.settings.webhook_urls = [f"http://127.0.0.1:{server.server_port}/hook"]
        lab.settings.webhook_secret = "s3cret"
        job = lab.queue.enqueue("noop", {}, owner="alice", key="w1")
        worker = JobWorker(lab, handlers={"noop": lambda _lab, _job: {"ok": True}})
        worker.run_once()
        for thread in [t for t in threading.enumerate() if t.name == "agilab-webhooks"]:
            thread.join(timeout=10)
        signature, body = received[0]
        assert json.loads(body) == {"job_id": job.id, "kind": "noop", "key": "w1", "owner": "alice",
                                    "status": "succeeded"}
        assert hmac.compare_digest(signature, sign("s3cret", body))
    finally:
        server.shutdown()
