"""Vertex AI Feature Store: the online store has a feature view synced from the BigQuery table
the stack creates, and the serving compute reads that view (APP_FEATURE_VIEW).

The breaking tests edit one input of the ``consistency`` gate (validate/feature_views.py,
validate/runtime_env.py) and see it fail with a message naming what is missing.
"""

from __future__ import annotations

import pytest

from agilab_lab.agents.types import Component
from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate.consistency import check_consistency

from .plans import make_spec


def vertex_spec():
    """A GCP realtime plan served by Cloud Run, its online features in Vertex AI Feature Store."""
    spec = make_spec("gcp", "realtime")
    serve = spec.plan.component("serve")
    spec.plan.components[spec.plan.components.index(serve)] = serve.model_copy(
        update={"service": "API service", "terraform_kind": "gcp_cloud_run_service", "sizing": {}})
    spec.plan.components.append(Component(
        capability="feature", service="Vertex AI Feature Store", option_id="gcp.feature",
        terraform_kind="gcp_vertex_feature_store", provider="gcp", monthly_usd=0.0,
        rationale="lookups"))
    return spec


@pytest.fixture(scope="module")
def files():
    return generate(vertex_spec())


@pytest.fixture
def repo(tmp_path, files):
    return write_tree(files, tmp_path / "repo")


def _edit(path, old, new):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def _tf(root, name):
    return root / "infra" / "terraform" / "gcp" / name


def test_the_feature_view_syncs_the_stacks_bigquery_table(files):
    feature = files["infra/terraform/gcp/feature.tf"].decode()
    assert 'resource "google_vertex_ai_feature_online_store_featureview" "feature"' in feature
    assert "feature_online_store = google_vertex_ai_feature_online_store.feature.name" in feature
    assert 'uri               = "bq://${google_bigquery_table.feature_source.project}.' in feature
    assert 'entity_id_columns = ["entity_id"]' in feature
    for name in ("entity_id", "feature_timestamp", "feature_1", "feature_5"):
        assert f'{{ name = "{name}", type = ' in feature
    serve = files["infra/terraform/gcp/serve.tf"].decode()
    assert 'name  = "APP_FEATURE_VIEW"\n        value = google_vertex_ai_feature_online_store_' \
           "featureview.feature.id" in serve


def test_the_stack_is_consistent(repo):
    result = check_consistency(repo)
    assert result.passed, result.details


def test_an_online_store_without_a_feature_view_fails(repo):
    _edit(_tf(repo, "feature.tf"),
          "feature_online_store = google_vertex_ai_feature_online_store.feature.name",
          'feature_online_store = "another_store"')
    result = check_consistency(repo)
    assert not result.passed
    assert "google_vertex_ai_feature_online_store.feature has no feature view" in result.details


def test_a_feature_view_without_a_bigquery_source_of_the_stack_fails(repo):
    path = _tf(repo, "feature.tf")  # a table nobody creates
    path.write_text("\n".join(
        '    uri               = "bq://${var.gcp_project_id}.elsewhere.features"'
        if line.startswith("    uri ") else line for line in path.read_text().splitlines()))
    result = check_consistency(repo)
    assert not result.passed
    assert "featureview.feature has no big_query_source on a BigQuery table of the stack" \
        in result.details


def test_a_service_without_the_feature_view_fails(repo):
    _edit(_tf(repo, "serve.tf"), 'name  = "APP_FEATURE_VIEW"', 'name  = "APP_FEATURE_VIEW_UNUSED"')
    result = check_consistency(repo)
    assert not result.passed
    assert "reads APP_FEATURE_VIEW, but the compute is not given it" in result.details


def test_a_service_given_a_literal_feature_view_fails(repo):
    _edit(_tf(repo, "serve.tf"),
          "value = google_vertex_ai_feature_online_store_featureview.feature.id",
          'value = "projects/p/locations/europe-west1/featureOnlineStores/s/featureViews/v"')
    result = check_consistency(repo)
    assert not result.passed
    assert "is given APP_FEATURE_VIEW = \"projects/p/locations/europe-west1/featureOnlineStores/s/" \
           "featureViews/v\", not the id of a feature view of the stack" in result.details
