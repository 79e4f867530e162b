"""Benchmarks that run the real stack (Temporal dev server, embedded PostgreSQL, the worker).

.venv/bin/python -m bench.doorvoer [--meldingen N] [--gelijktijdig C] [--json]
"""
