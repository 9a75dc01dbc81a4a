"""Entry point of the serving container (``python -m app.api.serve [serve]``).

SageMaker starts the image as ``docker run IMAGE serve`` and expects port 8080.
"""

from __future__ import annotations

import sys

from core.config import load_settings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["serve"]):
        print("usage: python -m app.api.serve [serve]", file=sys.stderr)
        return 2
    import uvicorn

    uvicorn.run("app.api.main:app", host="0.0.0.0", port=load_settings().port)  # noqa: S104
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
