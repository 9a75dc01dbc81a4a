"""``new-app --from-design``: a generated repository's pipeline runs as an app in every mode."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from agilab_lab.cli import main
from agilab_lab.runtime.bridge import DesignRef, create_app_from_design, find_entry
from agilab_lab.runtime.errors import BadArgs

FORECAST = Path(__file__).parents[1] / "agents" / "evals" / "nightly_forecast.md"


@pytest.fixture
def forecast_design(agi):
    from agilab_lab.agents.designer import Designer

    designer = Designer(agi.lab)
    project = designer.create_project("nightly forecast")
    ds = designer.design(project.id, text=FORECAST.read_text(), auto_approve=True)
    assert ds.status == "generated", ds.error
    return ds


@pytest.mark.timeout(900)
def test_a_forecasting_design_runs_as_an_app_in_every_mode(agi, forecast_design, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("agilab_lab.core.Lab.open", classmethod(lambda cls, *a, **k: agi.lab))
    assert main(["new-app", "nightly", "--from-design", forecast_design.id, "--dir", str(tmp_path)]) == 0
    app_dir = Path(capsys.readouterr().out.strip())
    assert (app_dir / "nightly_worker" / "repo" / "ml" / "pipelines" / "sample_data.py").is_file()
    assert "numpy" in (app_dir / "nightly_worker" / "requirements.txt").read_text()

    local = agi.run("nightly", mode="local", partitions=3)
    assert local.status == "succeeded", local.error
    assert local.result["partitions"] == 3 and local.result["rows"] > 0 and local.result["metrics_mean"]
    assert any(a.path == "partitions.json" for a in local.artifacts)
    for mode in ("pool", "dask"):
        record = agi.run("nightly", mode=mode, workers=2, partitions=3)
        assert record.status == "succeeded", record.error
        assert record.result == local.result, mode
    assert [r.app for r in agi.list_runs(app="nightly")] == ["nightly"] * 3


def test_a_design_without_a_repository_is_refused(agi, capsys, monkeypatch, tmp_path):
    from agilab_lab.agents.designer import Designer

    monkeypatch.setattr("agilab_lab.core.Lab.open", classmethod(lambda cls, *a, **k: agi.lab))
    designer = Designer(agi.lab)
    ds = designer.new_decision_set(designer.create_project("p").id, text="Fraud scoring on AWS.")
    assert main(["new-app", "fraud", "--from-design", ds.id, "--dir", str(tmp_path)]) == 2
    assert "approve it" in capsys.readouterr().err
    assert main(["new-app", "fraud", "--from-design", "nope", "--dir", str(tmp_path)]) == 2
    assert "no decision set 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "fraud").exists()


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_a_repository_without_a_pipeline_is_refused(tmp_path, home):
    repo = _zip(tmp_path / "r.zip", {"ml/__init__.py": "", "ml/pipelines/__init__.py": "",
                                     "ml/pipelines/sample_data.py": "def write_sample(path):\n    pass\n"})
    design = DesignRef(id="d", project="p", version=1, zip_path=repo)
    with pytest.raises(BadArgs, match="no training or batch pipeline"):
        create_app_from_design(design, "app_x", tmp_path / "apps", home)
    assert not (tmp_path / "apps" / "app_x").exists()


def test_unsafe_zip_members_are_refused(tmp_path, home):
    repo = _zip(tmp_path / "r.zip", {"../evil.py": "x = 1\n"})
    with pytest.raises(BadArgs, match="unsafe path"):
        create_app_from_design(DesignRef("d", "p", 1, repo), "app_y", tmp_path / "apps", home)


def test_the_pipeline_entry_is_preferred_over_the_training_step(tmp_path):
    (tmp_path / "ml" / "pipelines").mkdir(parents=True)
    (tmp_path / "ml" / "training").mkdir()
    (tmp_path / "ml" / "pipelines" / "sample_data.py").write_text("def write_sample(path):\n    pass\n")
    (tmp_path / "ml" / "training" / "train.py").write_text("def train(table, model_path):\n    pass\n")
    assert find_entry(tmp_path).module == "ml.training.train"
    (tmp_path / "ml" / "pipelines" / "run.py").write_text("def run(table, model_path, out_dir):\n    pass\n")
    assert (find_entry(tmp_path).module, find_entry(tmp_path).function) == ("ml.pipelines.run", "run")


async def test_the_rest_route_refuses_unknown_and_ungenerated_designs(jp_fetch, home):
    import json

    from tornado.httpclient import HTTPClientError

    from agilab_lab.agents.designer import Designer
    from agilab_lab.core import Lab

    designer = Designer(Lab.open())
    ds = designer.new_decision_set(designer.create_project("p").id, text="Fraud scoring on AWS.")
    for ds_id, body, status, code in [("nope", {"name": "x"}, 404, "decision_set_not_found"),
                                      (ds.id, {"name": "x"}, 409, "not_generated"),
                                      (ds.id, {"name": "../x"}, 422, None)]:
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("agilab-lab", "api", "decision-sets", ds_id, "app", method="POST", body=json.dumps(body))
        assert err.value.code == status
        assert code is None or json.loads(err.value.response.body)["error"]["code"] == code
