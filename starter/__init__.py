"""The integrators' side: `MeldingClient` (typed, async) and the CLI `python -m starter`."""

from starter.client import MeldingClient

__all__ = ["MeldingClient"]
