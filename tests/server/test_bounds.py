"""``load_json`` and ``bounded_int``: every hostile input becomes a ``BoundsError`` with a 4xx status."""

import json

import pytest

from agilab_lab.server.bounds import MAX_DEPTH, MAX_SAFE_INT, BoundsError, bounded_int, load_json


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(("body", "status", "code"), [
    (nested(MAX_DEPTH + 1), 400, "too_deep"),
    ('{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1), 400, "too_deep"),
    (nested(200_000), 400, "too_deep"),  # deeper than the interpreter's recursion limit
    ('{"timeout_s": NaN}', 400, "bad_json"),
    ('{"timeout_s": Infinity}', 400, "bad_json"),
    ('{"timeout_s": -Infinity}', 400, "bad_json"),
    ('{"timeout_s": 1e400}', 422, "number_out_of_range"),
    ('{"budget": 1.5e300}', 422, "number_out_of_range"),  # JSON Schema cannot tell 1.5e300 from an integer
    (json.dumps({"workers": MAX_SAFE_INT + 1}), 422, "number_out_of_range"),
    (json.dumps({"workers": -MAX_SAFE_INT - 1}), 422, "number_out_of_range"),
    ('{"id": ' + "9" * 5000 + "}", 422, "number_out_of_range"),
    (b"\xff\xfe garbage", 400, "bad_json"),
    ('{"name": "a\\u0000b"}', 422, "nul_character"),  # PostgreSQL text cannot hold a NUL
    ('{"args": {"k\\u0000": 1}}', 422, "nul_character"),
    ('[[["\\u0000"]]]', 422, "nul_character"),
    ("{not json", 400, "bad_json"),
    ('"' + '\\"' * 100_000, 400, "bad_json"),  # an unterminated string stays linear
])
def test_hostile_bodies_are_refused_with_a_4xx(body, status, code):
    with pytest.raises(BoundsError) as err:
        load_json(body if isinstance(body, bytes) else body.encode(), max_bytes=10**7)
    assert (err.value.status, err.value.code) == (status, code)
    assert "Traceback" not in err.value.message


def test_a_body_over_the_size_limit_is_a_413_before_parsing():
    with pytest.raises(BoundsError) as err:
        load_json(b"[" * 1001, max_bytes=1000)
    assert (err.value.status, err.value.code) == (413, "body_too_large")
    assert load_json(b"[" * 16 + b"]" * 16, max_bytes=32) is not None


def test_bodies_within_the_bounds_parse():
    assert load_json(nested(MAX_DEPTH).encode(), 10**6) is not None
    assert load_json(json.dumps({"n": MAX_SAFE_INT, "m": -MAX_SAFE_INT, "x": 1.5e15, "t": 1e-300}).encode(),
                     10**6) == {"n": MAX_SAFE_INT, "m": -MAX_SAFE_INT, "x": 1.5e15, "t": 1e-300}
    assert load_json(b"", 10) == {} and load_json(b"  \n", 10) == {}
    assert load_json(json.dumps({"s": "[[[[" * 100}).encode(), 10**6) == {"s": "[[[[" * 100}  # brackets in strings


@pytest.mark.parametrize("raw", ["-1", str(MAX_SAFE_INT + 1), "9" * 40, "1e3", "0x10", "", "abc", "1_000", " "])
def test_bounded_int_refuses_out_of_range_and_non_decimal_values(raw):
    with pytest.raises(BoundsError) as err:
        bounded_int(raw, "last_event_id")
    assert (err.value.status, err.value.code) == (400, "bad_last_event_id")


def test_bounded_int_accepts_the_range():
    assert [bounded_int(v, "x") for v in ("0", "42", f" {MAX_SAFE_INT} ")] == [0, 42, MAX_SAFE_INT]


@pytest.mark.parametrize("fields", [
    {"workers": 1_000_000}, {"workers": 0}, {"workers": -1},
    {"mode": "dask", "workers": {"host": 10**6}}, {"mode": "dask", "workers": {}},
    {"timeout_s": float("inf")}, {"timeout_s": float("nan")}, {"timeout_s": "Infinity"}, {"timeout_s": 10**9},
    {"timeout_s": 0}, {"retries": 50}, {"scheduler": "tcp://" + "h" * 600, "mode": "dask"},
])
def test_run_requests_outside_the_bounds_are_refused_for_every_caller(fields):
    from agilab_lab.runtime.errors import BadArgs
    from agilab_lab.runtime.requests import RunRequest

    with pytest.raises(BadArgs):
        RunRequest.parse({"app": "minimal_app", **fields})


def test_run_requests_inside_the_bounds_pass():
    from agilab_lab.runtime.requests import MAX_WORKERS, RunRequest

    request = RunRequest.parse({"app": "minimal_app", "mode": "pool", "workers": MAX_WORKERS, "timeout_s": 3600})
    assert request.workers == MAX_WORKERS and request.timeout_s == 3600
