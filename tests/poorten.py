"""Free TCP ports for the servers the tests start, chosen outside the kernel's ephemeral range.

A port the kernel handed out with bind(0) and that was closed again is handed to the next
process that asks (a client's outgoing connection, a server on port 0) within moments: the
server the test starts a second later then finds it taken ("Address already in use" from the
worker's Prometheus exporter, seen in a full run). Ports below the ephemeral range
(/proc/sys/net/ipv4/ip_local_port_range, 32768 and up by default) are never handed out that
way. Each pytest-xdist worker draws from its own slice, so two workers never pick the same one.
"""

from __future__ import annotations

import os
import random
import socket

ONDER, BOVEN = 20000, 32000
_uitgegeven: set[int] = set()


def _plak() -> range:
    """This process's slice of [ONDER, BOVEN): by xdist worker number (gw0, gw1, …)."""
    werker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    aantal = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    nummer = int(werker) if werker.isdigit() else 0
    breedte = (BOVEN - ONDER) // max(aantal, 1)
    begin = ONDER + nummer * breedte
    return range(begin, begin + breedte)


def _vrij(poort: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("0.0.0.0", poort))
        except OSError:
            return False
    return True


def vrije_poort() -> int:
    """A TCP port nobody listens on now and no other test of this run was given."""
    plak = _plak()
    for _ in range(1000):
        poort = random.choice(plak)
        if poort not in _uitgegeven and _vrij(poort):
            _uitgegeven.add(poort)
            return poort
    raise RuntimeError(f"geen vrije poort in {plak.start}-{plak.stop - 1}")
