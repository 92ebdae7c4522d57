"""VendPoint reference central vending server (FastAPI + SQLite).

It implements the vending API contract in ``docs/api.md``: terminal activation, meter lookup,
quotes, idempotent sales, offline batch upload, reversals, engineering tokens, signed tariffs,
the SSE event stream and Z-report reconciliation. Run it with ``python -m vendserver serve``.
"""

API_VERSION = "1"
