"""The adapters to the outside world: each implements a port of
domain/poorten.py and is constructed only at the worker's bootstrap (runtime/assembly.py).
The delivery adapters have their own room, `bezorging/`."""
