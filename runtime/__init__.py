"""The process around the code: configuration from the environment, logging, connecting to
Temporal and PostgreSQL, building and running the worker, the embedded servers of `make run`,
and leaving the process. `worker.py` and `stack.py` are short entry points over these modules.
"""
