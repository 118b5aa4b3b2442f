"""Who is acting: every use case is given one, and every audit event names one (NĐ 13/2023: each processing of
personal data is attributable). Nothing reads it from the environment; the face that authenticated the person (the
command line, the HTTP API) builds it and hands it down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["clerk", "reviewer", "archivist", "admin", "citizen", "operator", "console", "system", "public"]
ROLES: tuple[Role, ...] = ("clerk", "reviewer", "archivist", "admin", "citizen", "operator", "console", "system",
                           "public")
STAFF_ROLES: tuple[Role, ...] = ("clerk", "reviewer", "archivist", "admin", "operator")  # what an account may be
# clerk: lookups with a purpose and the signed copies they return; reviewer: the review queue and corrections;
# archivist: holds, retention, disposition, fixity, audits; admin: accounts and API clients; citizen: their own
# records only; operator: the digitising officer running a batch (and signing it); console: a person with a shell on
# the archive machine, who can read the data directory anyway; system: a scheduled flow (fixity, signature upkeep);
# public: anyone, not signed in, verifying a copy they were handed (nothing else).


@dataclass(frozen=True)
class Actor:
    identity: str  # the account: a login, an LDAP uid, an OIDC subject, an API client id, a flow's name
    role: Role
    name: str = ""  # as shown to people, where known
    personal_number: str | None = None  # a citizen's own, from the identity provider

    def __post_init__(self) -> None:
        if not self.identity.strip():
            raise ValueError("an actor needs an identity")
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == "citizen" and not self.personal_number:
            raise ValueError("a citizen actor carries their own personal number")

    @classmethod
    def flow(cls, name: str) -> Actor:
        """A scheduled flow acting on its own (fixity checks, signature renewal)."""
        return cls(name, "system")


PUBLIC = Actor("public", "public", "Người dùng chưa đăng nhập")  # the verification page's visitor
