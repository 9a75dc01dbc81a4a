"""Worker package of flight_telemetry (shipped to workers; needs polars and numpy only).

``stats`` and ``synthetic`` import nothing from agilab: benchmarks and tests use them directly.
"""
