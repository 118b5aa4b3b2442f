"""Who is acting: an account with a role from the table, a citizen with their own number, a flow as itself."""

from __future__ import annotations

import pytest

from domain.actor import PUBLIC, ROLES, STAFF_ROLES, Actor


def test_a_flow_acts_as_the_system_under_its_own_name() -> None:
    flow = Actor.flow("sohoa-fixity")
    assert (flow.identity, flow.role, flow.name, flow.personal_number) == ("sohoa-fixity", "system", "", None)


@pytest.mark.parametrize(("identity", "role", "number", "said"), [
    ("", "clerk", None, "an actor needs an identity"), ("   ", "clerk", None, "an actor needs an identity"),
    ("x", "mayor", None, "unknown role 'mayor'"),
    ("x", "citizen", None, "a citizen actor carries their own personal number"),
    ("x", "citizen", "", "a citizen actor carries their own personal number"),
])
def test_an_actor_without_identity_role_or_a_citizens_number_is_no_actor(identity: str, role: str,
                                                                          number: str | None, said: str) -> None:
    with pytest.raises(ValueError) as refused:
        Actor(identity, role, personal_number=number)  # type: ignore[arg-type]
    assert str(refused.value) == said


def test_staff_roles_are_roles_and_no_citizen_or_machine_is_staff() -> None:
    assert set(STAFF_ROLES) <= set(ROLES)
    assert not {"citizen", "console", "system", "public"} & set(STAFF_ROLES)
    assert (PUBLIC.identity, PUBLIC.role) == ("public", "public")
    assert Actor("cd", "citizen", personal_number="064217000001").personal_number == "064217000001"
