"""Workload code follows the plan: the serving platform's HTTP contract and the families."""

from __future__ import annotations

import pytest

from agilab_lab.repogen import generate

from .plans import make_spec


def _text(files, path):
    return files[path].decode()


@pytest.mark.parametrize(("cloud", "health", "predict", "env"), [
    ("aws", '"/ping"', '"/invocations"', None),
    ("gcp", '"/health"', '"/invocations"', ("AIP_HEALTH_ROUTE", "AIP_PREDICT_ROUTE", "AIP_HTTP_PORT")),
    ("azure", '"/health"', '"/score"', None),
])
def test_serving_follows_the_platform_contract(cloud, health, predict, env):
    files = generate(make_spec(cloud, "realtime"))
    config = _text(files, "core/config.py")
    assert f"health_route: str = {health}" in config
    assert f"predict_route: str = {predict}" in config
    for name in env or ():
        assert f'env.get("{name}")' in config
    dockerfile = _text(files, "infra/docker/Dockerfile")
    assert 'ENTRYPOINT ["python", "-m", "app.api.serve"]' in dockerfile
    assert f"127.0.0.1:8080{health.strip(chr(34))}" in dockerfile
    assert ("ENV APP_MODEL_PATH=/opt/ml/model/model.json" in dockerfile) == (cloud == "aws")


def test_a_plan_without_a_managed_endpoint_gets_the_generic_contract():
    spec = make_spec("aws", "realtime")
    spec.plan.components = [c for c in spec.plan.components if c.capability != "serve"]
    config = _text(generate(spec), "core/config.py")
    assert 'predict_route: str = "/invocations"' in config and 'env.get("PORT")' in config
