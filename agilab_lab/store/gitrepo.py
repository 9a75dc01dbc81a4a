"""One git repository per project: each generated decision set is a commit, tagged by version.

``<home>/projects/<project_id>/repo`` holds the generated files of every version. Tags
``v<version>`` and ``ds/<decision_set_id>`` name the commits, so a diff between two decision
sets is a git diff plus a comparison of their ``reports/plan.json`` and
``reports/cost_estimate.json``.
"""

from __future__ import annotations

import fcntl
import json
import re
from contextlib import contextmanager
from pathlib import Path

import git

AUTHOR = git.Actor("agilab-lab", "agilab-lab@localhost")
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
PLAN_FILE = "reports/plan.json"
COST_FILE = "reports/cost_estimate.json"


class VersionNotFoundError(LookupError):
    """No commit carries the requested version or decision set."""


def _check_id(kind: str, value: str) -> str:
    if not SAFE_ID.match(value or "") or ".." in value:
        raise ValueError(f"invalid {kind}: {value!r}")
    return value


def repo_path(home: Path, project_id: str) -> Path:
    return Path(home) / "projects" / _check_id("project id", project_id) / "repo"


class ProjectRepo:
    """The git history of one project's generated repositories."""

    def __init__(self, home: Path, project_id: str):
        self.project_id = project_id
        self.path = repo_path(home, project_id)

    @contextmanager
    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with (self.path.parent / ".repo.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _repo(self) -> git.Repo:
        if (self.path / ".git").is_dir():
            return git.Repo(self.path)
        repo = git.Repo.init(self.path, initial_branch="main")
        with repo.config_writer() as config:
            config.set_value("user", "name", AUTHOR.name)
            config.set_value("user", "email", AUTHOR.email)
        return repo

    def commit_version(self, files: dict[str, bytes], *, version: int, decision_set_id: str,
                       message: str | None = None) -> str:
        """Make the tree exactly ``files``, commit it and tag it; returns the commit sha.

        Committing the same files again for the same version reuses the existing commit.
        """
        _check_id("decision set id", decision_set_id)
        with self._locked():
            repo = self._repo()
            self._replace_tree(repo, files)
            if repo.head.is_valid() and not repo.index.diff("HEAD") and self._has_tag(repo, version):
                commit = repo.head.commit
            else:
                commit = repo.index.commit(
                    message or f"v{version}: decision set {decision_set_id}",
                    author=AUTHOR, committer=AUTHOR)
            repo.create_tag(f"v{version}", ref=commit, force=True)
            repo.create_tag(f"ds/{decision_set_id}", ref=commit, force=True)
            return commit.hexsha

    def _has_tag(self, repo: git.Repo, version: int) -> bool:
        return f"v{version}" in {t.name for t in repo.tags}

    def _replace_tree(self, repo: git.Repo, files: dict[str, bytes]) -> None:
        tracked = {entry[0] for entry in repo.index.entries} if repo.head.is_valid() else set()
        stale = sorted(tracked - set(files))
        if stale:
            repo.index.remove(stale, working_tree=True)
        for name, content in files.items():
            target = self.path / name
            if self.path.resolve() not in target.resolve().parents:
                raise ValueError(f"unsafe path in generated files: {name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        repo.index.add(sorted(files))

    def versions(self) -> list[int]:
        if not (self.path / ".git").is_dir():
            return []
        repo = git.Repo(self.path)
        return sorted(int(t.name[1:]) for t in repo.tags if re.fullmatch(r"v\d+", t.name))

    def _commit(self, repo: git.Repo, ref: int | str) -> git.Commit:
        """A version number, a tag (``v2``, ``ds/<id>``) or a decision set id."""
        if isinstance(ref, int):
            candidates = [f"v{ref}"]
        else:
            candidates = [ref, f"ds/{ref}"] + ([f"v{ref}"] if ref.isdigit() else [])
        tags = {t.name for t in repo.tags}
        for candidate in candidates:
            if candidate in tags:
                return repo.tags[candidate].commit
        raise VersionNotFoundError(f"project {self.project_id} has no version {ref!r}")

    def read(self, ref: int | str, path: str) -> bytes | None:
        """One file at a version (None when absent)."""
        repo = git.Repo(self.path)
        try:
            return (self._commit(repo, ref).tree / path).data_stream.read()
        except KeyError:
            return None

    def diff(self, a: int | str, b: int | str) -> dict:
        """Per-file unified diffs, plan changes and cost delta from version ``a`` to ``b``."""
        old, new = self._pair(a, b)
        return version_diff(str(a), str(b), _files(old, new), (_json_at(old, PLAN_FILE), _json_at(new, PLAN_FILE)),
                            (_json_at(old, COST_FILE).get("monthly_usd"), _json_at(new, COST_FILE).get("monthly_usd")))

    def file_diffs(self, a: int | str, b: int | str) -> list[dict]:
        """Only the per-file unified diffs from version ``a`` to ``b``."""
        return _files(*self._pair(a, b))

    def _pair(self, a: int | str, b: int | str) -> tuple[git.Commit, git.Commit]:
        if not (self.path / ".git").is_dir():
            raise VersionNotFoundError(f"project {self.project_id} has no generated versions")
        repo = git.Repo(self.path)
        return self._commit(repo, a), self._commit(repo, b)


def _files(old: git.Commit, new: git.Commit) -> list[dict]:
    return sorted((_file_change(d) for d in old.diff(new, create_patch=True, no_renames=True)),
                  key=lambda f: f["path"])


def version_diff(a: str, b: str, files: list[dict], plans: tuple[dict, dict],
                 monthly_usd: tuple[float | None, float | None]) -> dict:
    """The one ``diff --json`` object (DESIGN.md), for the CLI and for REST: files, plan changes
    and the monthly cost delta (``cost_delta_pct`` 0.0 when the old cost is zero)."""
    cost_old, cost_new = float(monthly_usd[0] or 0.0), float(monthly_usd[1] or 0.0)
    delta = round(cost_new - cost_old, 2)
    return {"from": a, "to": b, "files": files, "plan_changes": plan_changes(*plans),
            "cost_delta_usd": delta, "cost_delta_pct": round(100.0 * delta / cost_old, 2) if cost_old else 0.0}


def _file_change(diff: git.Diff) -> dict:
    # With create_patch=True GitPython leaves change_type None: use the flags.
    if diff.new_file:
        change, path, old, new = "added", diff.b_path, "/dev/null", f"b/{diff.b_path}"
    elif diff.deleted_file:
        change, path, old, new = "deleted", diff.a_path, f"a/{diff.a_path}", "/dev/null"
    else:
        change, path, old, new = "modified", diff.b_path, f"a/{diff.a_path}", f"b/{diff.b_path}"
    body = diff.diff.decode("utf-8", errors="replace") if isinstance(diff.diff, bytes) else ""
    return {"path": path, "change": change, "patch": f"--- {old}\n+++ {new}\n{body}"}


def _json_at(commit: git.Commit, path: str) -> dict:
    try:
        return json.loads((commit.tree / path).data_stream.read())
    except KeyError:
        return {}


def plan_changes(old: dict, new: dict) -> list[dict]:
    """Components added, removed or changed (by capability), plus cloud and region moves."""
    changes = [{"capability": key, "from": old.get(key), "to": new.get(key)}
               for key in ("cloud", "region") if old.get(key) != new.get(key)]
    before = {c["capability"]: c["service"] for c in old.get("components", [])}
    after = {c["capability"]: c["service"] for c in new.get("components", [])}
    for capability in sorted(before.keys() | after.keys()):
        if before.get(capability) != after.get(capability):
            changes.append({"capability": capability, "from": before.get(capability),
                            "to": after.get(capability)})
    return changes


def find_decision_set(home: Path, decision_set_id: str) -> tuple[str, int] | None:
    """(project id, version) of a generated decision set, found by its tag across projects."""
    _check_id("decision set id", decision_set_id)
    for repo_dir in sorted((Path(home) / "projects").glob("*/repo")):
        if not (repo_dir / ".git").is_dir():
            continue
        repo = git.Repo(repo_dir)
        tags = {t.name: t for t in repo.tags}
        if f"ds/{decision_set_id}" in tags:
            commit = tags[f"ds/{decision_set_id}"].commit
            versions = [int(n[1:]) for n, t in tags.items()
                        if re.fullmatch(r"v\d+", n) and t.commit == commit]
            return repo_dir.parent.name, max(versions) if versions else 0
    return None
