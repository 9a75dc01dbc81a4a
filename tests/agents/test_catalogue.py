import shutil
from pathlib import Path

import pytest

from agilab_lab.agents.catalogue import (
    CAPABILITIES,
    CLOUDS,
    CatalogueError,
    default_catalogue,
    load_catalogue,
)

DATA = Path(__file__).resolve().parents[2] / "agilab_lab" / "agents" / "data"


def test_every_cloud_can_fill_every_capability():
    catalogue = default_catalogue()
    for cloud in CLOUDS:
        for capability in CAPABILITIES:
            assert catalogue.options_for(capability, cloud), (cloud, capability)


def test_options_carry_a_dated_price_and_a_terraform_kind():
    catalogue = default_catalogue()
    assert catalogue.price_date == "2025-06-01"
    for option in catalogue.options:
        assert option.price_date and option.terraform_kind and option.cost.unit
        if option.provider == "oss":
            assert set(option.cost.unit_price_by_cloud) == set(CLOUDS), option.id


def test_portable_open_source_options_are_offered_on_every_cloud():
    catalogue = default_catalogue()
    names = {o.id for o in catalogue.options if o.provider == "oss"}
    assert {"oss.kafka", "oss.airflow", "oss.mlflow", "oss.feast", "oss.kserve"} <= names
    for cloud in CLOUDS:
        assert any(o.id == "oss.mlflow" for o in catalogue.options_for("govern", cloud))


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def test_a_malformed_option_is_named_in_the_error(tmp_path):
    data = _copy_data(tmp_path)
    aws = data / "catalogue" / "aws.toml"
    aws.write_text(aws.read_text().replace("ops_burden = 1\ncost = { kind = \"gb_stored\"",
                                           "ops_burden = 9\ncost = { kind = \"gb_stored\"", 1))
    with pytest.raises(CatalogueError, match="aws.s3"):
        load_catalogue(data)


def test_duplicate_option_ids_are_rejected(tmp_path):
    data = _copy_data(tmp_path)
    gcp = data / "catalogue" / "gcp.toml"
    gcp.write_text(gcp.read_text().replace('id = "gcp.dataflow"', 'id = "gcp.gcs"'))
    with pytest.raises(CatalogueError, match="duplicate"):
        load_catalogue(data)


def test_a_capability_without_options_is_rejected(tmp_path):
    data = _copy_data(tmp_path)
    azure = data / "catalogue" / "azure.toml"
    azure.write_text(azure.read_text().replace('capability = "store"', 'capability = "transform"'))
    with pytest.raises(CatalogueError, match="store"):
        load_catalogue(data)


def test_a_region_lacking_an_unknown_option_is_rejected(tmp_path):
    data = _copy_data(tmp_path)
    regions = data / "regions.toml"
    regions.write_text(regions.read_text().replace('"aws.msk", ', '"aws.no_such_service", ', 1))
    with pytest.raises(CatalogueError, match="aws.no_such_service"):
        load_catalogue(data)


def test_a_regime_of_an_unknown_kind_is_rejected(tmp_path):
    data = _copy_data(tmp_path)
    regimes = data / "regimes.toml"
    regimes.write_text(regimes.read_text().replace('[ccpa]\nkind = "privacy_law"', '[ccpa]\nkind = "certificate"'))
    with pytest.raises(CatalogueError, match="regimes.toml"):
        load_catalogue(data)
