"""Captures being read and archived at this moment by this process's workers.

A second capture is found through the index, which holds a record only once it is archived; two captures of one
paper in one batch (a page fed twice, a rescan beside the first scan) are read at the same moment by two workers,
and neither would see the other. Each capture that found no twin is registered here until its record is indexed or
has failed, and a capture that looks like one in flight waits for it and then asks the index again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Flight(Generic[T]):
    what: T
    landed: threading.Event = field(default_factory=threading.Event)


class InFlight(Generic[T]):
    """Things registered under a key, each with an event set when its owner releases it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight[T]] = {}
        self.landings = 0  # how many have landed: a caller can tell whether any landed while it was not looking

    def check_in(self, key: str, what: T, rival_of: Callable[[T], bool]) -> threading.Event | None:
        """Register `what` under `key` unless another registered thing is its rival; then return the rival's event
        (set when it lands) and register nothing."""
        with self._lock:
            for flight in self._flights.values():
                if rival_of(flight.what):
                    return flight.landed
            self._flights[key] = _Flight(what)
            return None

    def land(self, key: str) -> None:
        """The owner of `key` is done (archived and indexed, or failed); nothing when it was never registered."""
        with self._lock:
            flight = self._flights.pop(key, None)
            self.landings += flight is not None
        if flight is not None:
            flight.landed.set()
