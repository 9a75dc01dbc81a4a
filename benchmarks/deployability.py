"""Deployability of the render matrix: terraform init/validate/plan offline and apply + destroy
on the AWS emulator (moto), per cell, two cells at a time.

    .venv/bin/python benchmarks/deployability.py [--cache DIR] [--workers 2] [--families a,b]

Prints a markdown table (cell, resources planned, created on the emulator, not emulated,
seconds) and the deploy share: cells whose plan and emulator apply + destroy succeed over the
cells of the matrix. GCP and Azure cells cannot be planned offline (no google/azurerm provider
in the image's mirror): they are listed and count as not proven. Also measures a PCI DSS +
SOC 2 variant (CloudTrail, AWS Config, interface endpoints), an AWS RAG variant whose
generation is a public LLM API (NAT gateway, EIP, internet gateway, routes), and two
realtime variants whose online features live in ElastiCache (TLS + AUTH token in Secrets
Manager), read by the SageMaker endpoint or by an ECS API. Without ``--cache`` every cell
runs cold (a fresh result cache); the number in brackets is the cell's terraform init alone.
A cell answered from the cache shows the seconds its cold run took.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


EXTERNAL_LLM = "external-llm"
# Variants beyond the matrix: compliance controls, a RAG plan whose generation is a public LLM
# API (NAT egress), and the online features in ElastiCache read by the realtime family's
# SageMaker endpoint or by an ECS API (the Redis AUTH token path).
VARIANTS = [("aws", "training", ("pci-dss", "soc2")), ("aws", "rag", (EXTERNAL_LLM,)),
            ("aws", "realtime", ("redis",)), ("aws", "realtime", ("redis", "ecs"))]


def _cells(families: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    from tests.repogen.plans import CLOUDS

    cells = [(cloud, family, ()) for cloud in CLOUDS for family in families]
    return cells + VARIANTS


def _spec(cloud: str, family: str, variant: tuple[str, ...]):
    from tests.repogen.plans import make_spec, redis_spec, with_external_llm

    if "redis" in variant:
        return redis_spec(cloud, "aws_ecs_service" if "ecs" in variant else None)
    spec = make_spec(cloud, family)
    if EXTERNAL_LLM in variant:
        spec = with_external_llm(spec)
    spec.constraints.compliance = [c for c in variant if c != EXTERNAL_LLM]
    return spec


def _run(cell, cache: Path, scratch: Path) -> dict:
    from agilab_lab.repogen import generate
    from agilab_lab.repogen.build import write_tree
    from agilab_lab.repogen.validate.terraform_deploy import check_terraform_deploy

    cloud, family, variant = cell
    name = "-".join([cloud, family, *variant])
    root = write_tree(generate(_spec(cloud, family, variant)), scratch / name)
    started = time.perf_counter()
    results = {r.name: r for r in check_terraform_deploy(root, 900, cache)}
    apply = results["terraform_apply_emulator"]
    cached = bool(apply.summary.get("cached"))
    gate_seconds = sum(r.seconds for r in results.values())  # kept in the cache: the cold run's
    return {"cell": name, "skipped": apply.skipped, "cached": cached,
            "seconds": gate_seconds if cached else time.perf_counter() - started,
            "init": results["terraform_init"].seconds,
            "ok": all(r.passed and not r.skipped for r in results.values()),
            "planned": apply.summary.get("planned", 0), "created": apply.summary.get("created", 0),
            "not_emulated": apply.summary.get("not_emulated", []),
            "failed": [f"{n}: {r.details.splitlines()[0] if r.details else ''}"
                       for n, r in results.items() if not r.passed]}


def main() -> int:
    from tests.repogen.plans import FAMILIES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="result cache (default: a fresh one, cold)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--families", default=",".join(FAMILIES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="deployability-") as scratch:
        cache = args.cache or Path(scratch) / "cache"
        cells = _cells(args.families.split(","))
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            rows = list(pool.map(lambda c: _run(c, cache, Path(scratch)), cells))
        wall = time.perf_counter() - started
    print("| cell | planned | created | not emulated | seconds (init) | result |")
    print("|---|---:|---:|---|---:|---|")
    for row in rows:
        if row["skipped"]:
            print(f"| {row['cell']} | - | - | - | - | not planned: no provider offline |")
            continue
        gaps = ", ".join(row["not_emulated"]) or "-"
        result = "ok" if row["ok"] else "FAILED: " + "; ".join(row["failed"])[:200]
        cached = " (cached result of the same content)" if row["cached"] else ""
        print(f"| {row['cell']} | {row['planned']} | {row['created']} | {gaps} | "
              f"{row['seconds']:.0f} ({row['init']:.0f}){cached} | {result} |")
    aws = [r for r in rows if not r["skipped"]]
    planned = sum(r["planned"] for r in aws)
    created = sum(r["created"] for r in aws)
    ok = sum(r["ok"] for r in aws)
    print(f"\nAWS cells deployed (plan + emulator apply + destroy): {ok}/{len(aws)}; "
          f"resources created {created}/{planned} ({100 * created / max(planned, 1):.1f}%)")
    print(f"deploy share over the whole matrix: {ok}/{len(rows)} "
          f"({100 * ok / len(rows):.0f}%; GCP/Azure cannot be planned offline)")
    print(f"wall time {wall:.0f} s with {args.workers} workers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
