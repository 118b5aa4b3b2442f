"""Sign-in against the province's LDAP directory: find the person by their login, bind as them with their password,
and give them the sohoa role of the first configured group they belong to."""

from __future__ import annotations

import ldap3
from ldap3.core.exceptions import LDAPException, LDAPSocketOpenError
from ldap3.utils.conv import escape_filter_chars

from domain.actor import Actor
from service.auth_settings import LdapSettings
from service.errors import ServiceError


class DirectoryUnavailable(ServiceError):
    status = 503


def _server(ldap: LdapSettings) -> ldap3.Server:
    return ldap3.Server(ldap.url, connect_timeout=ldap.timeout_s, get_info=ldap3.NONE)


def ldap_actor(ldap: LdapSettings, username: str, password: str) -> tuple[Actor | None, str]:
    """The actor for a right login and password with a mapped group, else None and why (for the audit log)."""
    if not password:  # an empty password is an unauthenticated bind, which LDAP servers accept: never a sign-in
        return None, "empty password"
    server = _server(ldap)
    try:
        reader = ldap3.Connection(server, user=ldap.bind_dn or None, password=ldap.bind_password or None,
                                  receive_timeout=ldap.timeout_s, raise_exceptions=False)
        if not reader.bind():
            raise DirectoryUnavailable("directory_bind_failed")
        query = ldap.user_filter.format(username=escape_filter_chars(username))
        reader.search(ldap.user_base, query, attributes=["cn", "displayName"], size_limit=2)
        if len(reader.entries) != 1:
            return None, "no such user" if not reader.entries else "ambiguous user"
        entry = reader.entries[0]
        dn = entry.entry_dn
        name = str(entry.displayName.value or entry.cn.value or username) if "displayName" in entry \
            else str(entry.cn.value or username)
        person = ldap3.Connection(server, user=dn, password=password, receive_timeout=ldap.timeout_s,
                                  raise_exceptions=False)
        if not person.bind():
            return None, "wrong password"
        person.unbind()
        groups: set[str] = set()
        if ldap.group_base:
            reader.search(ldap.group_base, ldap.group_filter.format(dn=escape_filter_chars(dn),
                                                                    username=escape_filter_chars(username)),
                          attributes=["cn"])
            groups = {str(g.cn.value) for g in reader.entries}
        reader.unbind()
    except LDAPSocketOpenError as e:
        raise DirectoryUnavailable("directory_unavailable", url=ldap.url, reason=e) from e
    except LDAPException as e:
        raise DirectoryUnavailable("directory_error", reason=e) from e
    role = next((r for g, r in ldap.roles.items() if g in groups), None)
    if role is None:
        return None, f"no sohoa group (member of: {', '.join(sorted(groups)) or 'none'})"
    return Actor(f"ldap:{username}", role, name), ""
