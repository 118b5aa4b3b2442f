"""Which role may run which use case, written here from what each role is for (the role guides in docs/roles/), not
read from service/permissions.py: widening or narrowing a role there fails this test."""

from __future__ import annotations

import pytest

from domain.actor import ROLES, Actor
from service.errors import Refused
from service.permissions import ALLOWED, WHAT_VI, require

MAY = {
    "clerk": {"lookup", "intake_check", "search", "show", "download_link", "verify"},
    "citizen": {"lookup", "show", "download_link", "verify"},  # their own records only (service.access)
    "reviewer": {"search", "show", "verify", "review_queue", "review_backlog", "correct"},
    "archivist": {"search", "show", "verify", "review_backlog", "statistics", "legal_hold", "extend_retention",
                  "disposition", "audit", "export", "batch_status"},
    "admin": {"verify", "manage_clients", "manage_users", "manage_labels"},  # accounts and keys, never records
    "operator": {"verify", "review_backlog", "statistics", "submit_batch", "batch_status"},  # counts, no people
    "public": {"verify"},
    "system": set(),  # scheduled flows act through their own use cases' checks, never as a person
    "console": set(ALLOWED),  # a shell on the archive machine: the data directory is theirs anyway
}


def test_every_role_and_use_case_is_decided_here() -> None:
    assert set(MAY) == set(ROLES)
    assert set().union(*MAY.values()) == set(ALLOWED)


@pytest.mark.parametrize("role", sorted(MAY))
@pytest.mark.parametrize("use_case", sorted(ALLOWED))
def test_a_role_runs_what_it_is_for_and_nothing_else(role: str, use_case: str) -> None:
    actor = Actor("x", role, personal_number="064217000001" if role == "citizen" else None)  # type: ignore[arg-type]
    if use_case in MAY[role]:
        require(actor, use_case)
        return
    with pytest.raises(Refused) as refused:
        require(actor, use_case)
    assert refused.value.code == "role_not_allowed"
    assert f"vai trò {role}" in refused.value.message and "Tài khoản x" in refused.value.message
    assert WHAT_VI[use_case] in refused.value.message  # what was refused, in words
