from pathlib import Path

from core.config import load_settings


def test_defaults_follow_the_plan():
    settings = load_settings({})
    assert settings.cloud == "gcp"
    assert settings.region == "europe-west1"


def test_environment_overrides_defaults():
    settings = load_settings({"APP_REGION": "elsewhere-1", "APP_DATA_DIR": "/tmp/data"})
    assert settings.region == "elsewhere-1"
    assert settings.raw_dir == Path("/tmp/data/raw")
