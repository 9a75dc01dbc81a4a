"""Bounded input: the one JSON parser of every request body, and bounded integers from headers/queries.

A hostile body must end as a 4xx, never as a 500 or a ``RecursionError``:

* size above ``max_bytes`` -> 413 ``body_too_large``
* not UTF-8 / not JSON / ``NaN`` / ``Infinity`` (not JSON per RFC 8259) -> 400 ``bad_json``
* nesting deeper than :data:`MAX_DEPTH` -> 400 ``too_deep`` (checked without recursion)
* a number (integer or not) outside +-2**53 -> 422 ``number_out_of_range``
* a NUL character in a string or key -> 422 ``nul_character`` (also refused in paths and queries)

The models and so the OpenAPI document say the same: free-form objects (an app's ``args``,
``constraints``) are :data:`JsonObject`, whose numbers are bounded alike.
"""

from __future__ import annotations

import json
import math
import re
from typing import Annotated, Any, Union

from pydantic import Field
from typing_extensions import TypeAliasType

MAX_DEPTH = 32
MAX_SAFE_INT = 2**53  # integers a JavaScript client reads back exactly
MAX_EVENT_ID = MAX_SAFE_INT
_MAX_INT_DIGITS = len(str(MAX_SAFE_INT)) + 1  # a sign

NO_NUL = r"^[^\u0000]*$"  # JSON Schema (ECMA 262), Python and Rust regex alike
NOT_BLANK = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"  # some non-space text, no NUL
SafeInt = Annotated[int, Field(ge=-MAX_SAFE_INT, le=MAX_SAFE_INT)]
SafeFloat = Annotated[float, Field(ge=-MAX_SAFE_INT, le=MAX_SAFE_INT, allow_inf_nan=False)]
# Any JSON value within the bounds; ``JsonObject`` types free-form fields (an app's args, constraints).
JsonValue = TypeAliasType(
    "JsonValue", Union[None, bool, SafeInt, SafeFloat, str, list["JsonValue"], dict[str, "JsonValue"]]  # noqa: UP007
)
JsonObject = dict[str, JsonValue]


class BoundsError(Exception):
    """A request input outside the bounds: rendered by the handlers as ``{"error": {...}}``."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def check_tree(value: Any, max_depth: int = MAX_DEPTH) -> None:
    """Walk a parsed body without recursion: nesting within ``max_depth``, no NUL in any string or key
    (PostgreSQL text cannot hold one: it would end as a 500 there)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise BoundsError(422, "nul_character", "strings must not contain NUL (\\u0000)")
        elif isinstance(item, (dict, list)):
            if depth > max_depth:
                raise _too_deep(max_depth)
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)


def _reject_constant(name: str) -> Any:
    raise BoundsError(400, "bad_json", f"{name} is not a JSON number; send finite numbers only")


def _parse_int(raw: str) -> int:
    if len(raw.lstrip("-")) > _MAX_INT_DIGITS or abs(value := int(raw)) > MAX_SAFE_INT:
        raise BoundsError(422, "number_out_of_range", f"numbers must lie within +-{MAX_SAFE_INT}")
    return value


def _parse_float(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value) or abs(value) > MAX_SAFE_INT:
        raise BoundsError(422, "number_out_of_range", f"numbers must lie within +-{MAX_SAFE_INT}")
    return value


def load_json(body: bytes | str, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """Parse a request body within the bounds above; an empty body is ``{}``."""
    if len(body) > max_bytes:
        raise BoundsError(413, "body_too_large", f"request body exceeds {max_bytes} bytes")
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise BoundsError(400, "bad_json", "request body is not UTF-8") from None
    if not text.strip():
        return {}
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int, parse_float=_parse_float)
    except RecursionError:  # the C decoder's own guard, far deeper than MAX_DEPTH
        raise _too_deep(max_depth) from None
    except ValueError as exc:
        raise BoundsError(400, "bad_json", f"request body is not valid JSON ({type(exc).__name__})") from None
    check_tree(value, max_depth)
    return value


def _too_deep(max_depth: int) -> BoundsError:
    return BoundsError(400, "too_deep", f"JSON nesting deeper than {max_depth} levels")


def bounded_int(raw: str, name: str, low: int = 0, high: int = MAX_SAFE_INT) -> int:
    """An integer from a header or query value, within ``[low, high]`` or a 400."""
    text = raw.strip()
    if not re.fullmatch(r"[+-]?\d{1,20}", text) or not low <= (value := int(text)) <= high:
        raise BoundsError(400, f"bad_{name}", f"{name} must be an integer from {low} to {high}")
    return value


def optional_in_schema(schema: dict[str, Any]) -> None:
    """``json_schema_extra`` of a field that may be left out but not sent as null: no ``default: null``."""
    schema.pop("default", None)


def exactly_one_of(*names: str) -> dict[str, Any]:
    """``json_schema_extra`` saying that a body carries exactly one of ``names`` (pair it with a validator)."""
    return {"oneOf": [{"required": [name]} for name in names]}
