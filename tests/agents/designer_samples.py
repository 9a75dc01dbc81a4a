"""Constraints of the shared eval samples, typed directly (tests of the planner and critics
must not depend on the extractor)."""

from agilab_lab.agents.types import Constraints

FRAUD = Constraints(
    cloud="aws", regions=["eu-west-1"], budget_monthly_usd=8000, data_classes=["pci", "pii"],
    compliance=["pci-dss", "gdpr"], latency_slo={"percentile": 99, "ms": 50}, throughput_rps=2000,
    workloads=["realtime_inference", "fraud_detection", "training"], retrain_cadence="weekly",
    tooling_prefer=["mlflow"], tooling_avoid=["kubernetes"])

FORECAST = Constraints(
    cloud="gcp", regions=["europe-west1"], budget_monthly_usd=600, data_classes=["internal"],
    batch_volume_gb_per_day=40, workloads=["forecasting", "training", "batch_inference"],
    retrain_cadence="daily", tooling_prefer=["bigquery"])

IMPOSSIBLE = Constraints(
    cloud="aws", regions=["us-east-1", "eu-west-1", "ap-southeast-1"], budget_monthly_usd=300,
    latency_slo={"percentile": 99, "ms": 5}, throughput_rps=80000, batch_volume_gb_per_day=2000,
    workloads=["recommendation", "realtime_inference", "training"], retrain_cadence="hourly")

RAG_AZURE = Constraints(
    cloud="azure", regions=["westeurope"], budget_monthly_usd=3000, data_classes=["confidential"],
    latency_slo={"percentile": 95, "ms": 800}, throughput_rps=20, workloads=["rag"])
