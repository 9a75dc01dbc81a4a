"""Reproducible zips: same files, same bytes; unsafe archives are refused."""

from __future__ import annotations

import zipfile

import pytest

from agilab_lab.repogen import generate, write_zip
from agilab_lab.repogen.zipper import UnsafeArchiveError, extract_zip, read_tree, read_zip

from .plans import make_spec


def test_same_spec_gives_the_same_zip_sha256(tmp_path):
    first = write_zip(generate(make_spec("azure", "rag")), tmp_path / "a" / "repo.zip")
    second = write_zip(generate(make_spec("azure", "rag")), tmp_path / "b" / "repo.zip")
    assert first == second


def test_a_different_spec_gives_a_different_zip(tmp_path):
    first = write_zip(generate(make_spec("azure", "rag")), tmp_path / "a.zip")
    second = write_zip(generate(make_spec("azure", "rag", budget=1.0)), tmp_path / "b.zip")
    assert first != second


def test_entries_are_sorted_with_fixed_time_and_mode(tmp_path):
    files = generate(make_spec("aws", "batch"))
    write_zip(files, tmp_path / "repo.zip")
    with zipfile.ZipFile(tmp_path / "repo.zip") as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(files)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert read_zip(tmp_path / "repo.zip") == files


def test_extract_and_read_tree_round_trip(tmp_path):
    files = generate(make_spec("gcp", "training"))
    write_zip(files, tmp_path / "repo.zip")
    assert read_tree(extract_zip(tmp_path / "repo.zip", tmp_path / "out")) == files


@pytest.mark.parametrize("name", ["../evil.py", "/etc/passwd", "a/../../b"])
def test_unsafe_entries_are_refused(tmp_path, name):
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as archive:
        archive.writestr(name, b"x")
    with pytest.raises(UnsafeArchiveError):
        extract_zip(tmp_path / "bad.zip", tmp_path / "out")
    with pytest.raises(UnsafeArchiveError):
        write_zip({name: b"x"}, tmp_path / "out.zip")
