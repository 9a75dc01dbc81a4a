"""An app's settings file: seeded from the versioned default, edited in place with tomlkit.

The working copy lives at ``<home>/apps/<app>/app_settings.toml``; its ``[args]`` table holds the
app's arguments. Edits keep comments and layout, and are validated against the manager's
``Args`` before anything is written.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .apps import AppSpec
from .errors import BadArgs


class AppSettings:
    """Read, validate and update one app's working settings."""

    def __init__(self, spec: AppSpec, home: Path):
        self.spec = spec
        self.path = home / "apps" / spec.name / "app_settings.toml"

    def ensure_seeded(self) -> Path:
        """Copy the versioned default into the home on first use."""
        if not self.path.is_file():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.spec.default_settings.is_file():
                shutil.copyfile(self.spec.default_settings, self.path)
            else:
                self.path.write_text("[args]\n")
        return self.path

    def text(self) -> str:
        return self.ensure_seeded().read_text()

    def document(self):
        """The file as a comment-preserving ``tomlkit`` document (for edits)."""
        import tomlkit  # ~15 ms of imports: only edits need it, reads use tomllib

        try:
            return tomlkit.parse(self.text())
        except tomlkit.exceptions.ParseError as exc:
            raise BadArgs(f"{self.path} is not valid TOML: {exc}") from exc

    def args(self) -> dict[str, Any]:
        """The ``[args]`` table as plain Python values."""
        try:
            return dict(tomllib.loads(self.text()).get("args", {}))
        except tomllib.TOMLDecodeError as exc:
            raise BadArgs(f"{self.path} is not valid TOML: {exc}") from exc

    def validate(self, overrides: dict[str, Any] | None = None) -> BaseModel:
        """The manager's ``Args`` from the settings merged with ``overrides`` (BadArgs if invalid)."""
        args_model = self.spec.manager_class().Args
        unknown = sorted(set(overrides or {}) - set(args_model.model_fields))
        if unknown:
            known = ", ".join(args_model.model_fields)
            raise BadArgs(f"unknown argument(s) {', '.join(unknown)} for {self.spec.name} (known: {known})")
        try:
            return args_model.model_validate({**self.args(), **(overrides or {})})
        except ValidationError as exc:
            raise BadArgs.from_validation(exc) from exc

    def update(self, values: dict[str, Any]) -> BaseModel:
        """Set ``[args]`` values, keeping comments; nothing is written unless the result validates."""
        import tomlkit

        validated = self.validate(values)
        doc = self.document()
        table = doc.setdefault("args", tomlkit.table())
        dumped = validated.model_dump(mode="json")
        for key in values:
            table[key] = dumped[key]
        self.path.write_text(tomlkit.dumps(doc))
        return validated

    def replace_text(self, text: str) -> BaseModel:
        """Replace the whole file (the Lab editor's save); validated before it is written."""
        import tomlkit

        try:
            doc = tomlkit.parse(text)
        except tomlkit.exceptions.ParseError as exc:
            raise BadArgs(f"settings are not valid TOML: {exc}") from exc
        args_model = self.spec.manager_class().Args
        try:
            validated = args_model.model_validate(dict(doc.get("args", {}).unwrap()))
        except ValidationError as exc:
            raise BadArgs.from_validation(exc) from exc
        self.ensure_seeded()
        self.path.write_text(text)
        return validated
