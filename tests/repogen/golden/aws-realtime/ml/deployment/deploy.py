"""Prepare a release of the trained model for SageMaker Endpoint.

This writes a deployment manifest (model digest, target service, region); the CD pipeline
uploads the artifact and applies ``infra/terraform/aws`` with the manifest's values.
Nothing here calls the cloud, so it runs in CI and in tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from core.config import Settings, load_settings
from ml.evaluation.evaluate import passes_gate


def build_manifest(settings: Settings, model_path: Path, metrics: dict[str, float]) -> dict:
    """The release record for one model file; refuses a model that fails the gate."""
    if not passes_gate(metrics):
        raise ValueError(f"model does not pass the promotion gate: {metrics}")
    digest = hashlib.sha256(Path(model_path).read_bytes()).hexdigest()
    return {
        "target": settings.serving_target,
        "cloud": settings.cloud,
        "region": settings.region,
        "environment": settings.environment,
        "model_sha256": digest,
        "metrics": metrics,
    }


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=settings.model_path)
    parser.add_argument("--metrics", type=Path, required=True, help="JSON file from training")
    parser.add_argument("--out", type=Path, default=Path("models/artifacts/deployment.json"))
    args = parser.parse_args(argv)
    metrics = json.loads(args.metrics.read_text())["metrics"]
    manifest = build_manifest(settings, args.model, metrics)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
