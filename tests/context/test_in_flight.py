"""Captures in flight: a look-alike waits for the first to land; a landing is seen by whoever was not looking."""

from __future__ import annotations

from context.in_flight import InFlight


def test_a_rival_in_flight_is_waited_for_until_it_lands() -> None:
    flights: InFlight[str] = InFlight()
    assert flights.check_in("a", "quyết định 12", lambda other: False) is None
    landed = flights.check_in("b", "quyết định 12, quét lại", lambda other: other.startswith("quyết định 12"))
    assert landed is not None and not landed.is_set()
    assert flights.landings == 0

    flights.land("a")

    assert landed.is_set() and flights.landings == 1
    assert flights.check_in("b", "quyết định 12, quét lại", lambda other: True) is None  # nothing left in flight
    flights.land("never-registered")
    assert flights.landings == 1
