"""CycloneDX SBOM of the generated runtime dependencies (cyclonedx-py over requirements.txt).

The SBOM is made reproducible: the random serial number becomes a UUIDv5 of the
requirements and the timestamp is dropped, so the same pins give the same file.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path

from .base import CheckResult, missing_tool, run_tool, tool_path


def _pins(requirements: Path) -> set[str]:
    return {line.split("==")[0].strip().lower().replace("_", "-")
            for line in requirements.read_text().splitlines()
            if "==" in line and not line.lstrip().startswith("#")}


def build_sbom(root: Path, timeout_s: float) -> tuple[CheckResult, str | None]:
    """(check result, normalised SBOM JSON text or None)."""
    requirements = root / "requirements.txt"
    if not requirements.exists():
        return CheckResult(name="sbom", passed=False, details="no requirements.txt"), None
    tool = tool_path("cyclonedx-py")
    if tool is None:
        return missing_tool("sbom", "cyclonedx-py"), None
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "sbom.json"
        run = run_tool([tool, "requirements", str(requirements), "--of", "JSON", "-o", str(out)],
                       cwd=root, timeout_s=timeout_s)
        if run.timed_out or not out.exists():
            return CheckResult(name="sbom", passed=False,
                               details=f"cyclonedx-py failed: {run.stderr.strip()[-500:]}"), None
        sbom = json.loads(out.read_text())
    sbom["serialNumber"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, requirements.read_text())}"
    sbom.get("metadata", {}).pop("timestamp", None)
    names = {c.get("name", "").lower().replace("_", "-") for c in sbom.get("components", [])}
    missing = sorted(_pins(requirements) - names)
    details = (f"{len(names)} components" if not missing
               else f"components missing from the SBOM: {', '.join(missing)}")
    text = json.dumps(sbom, indent=2, sort_keys=True) + "\n"
    return CheckResult(name="sbom", passed=not missing, details=details,
                       summary={"components": len(names)}), text
