"""Copy the documentation's screenshots from the last browser-test run (tests/ui/screenshots).

    python docs/refresh_screenshots.py      # after `python -m pytest tests/ui`
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE, TARGET = ROOT / "tests" / "ui" / "screenshots", ROOT / "docs" / "_static" / "screenshots"
USED = ("apps-light.png", "run-view-light.png", "design-awaiting-light.png", "design-generating-light.png",
        "design-files-light.png", "diff-light.png", "design-dark.png")


def main() -> int:
    missing = [name for name in USED if not (SOURCE / name).is_file()]
    if missing:
        print(f"run the browser tests first; missing: {', '.join(missing)}", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in USED:
        shutil.copyfile(SOURCE / name, TARGET / name)
    print(f"copied {len(USED)} screenshots to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
