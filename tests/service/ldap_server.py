"""A throwaway OpenLDAP directory (Debian's slapd) on 127.0.0.1 for the sign-in tests: people and groups of a
province, with passwords, in a temporary folder; stopped by the pid in its pidfile."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import ldap3

SUFFIX = "dc=khanhhoa,dc=gov,dc=vn"
ROOT_DN, ROOT_PW = f"cn=admin,{SUFFIX}", "root-secret"
PEOPLE, GROUPS = f"ou=people,{SUFFIX}", f"ou=groups,{SUFFIX}"
SLAPD = Path("/usr/sbin/slapd")


@dataclass(frozen=True)
class Directory:
    url: str
    folder: Path

    def add_person(self, uid: str, name: str, password: str, groups: tuple[str, ...] = ()) -> str:
        dn = f"uid={uid},{PEOPLE}"
        with ldap3.Connection(self.url, ROOT_DN, ROOT_PW, auto_bind=True) as c:
            c.add(dn, ["inetOrgPerson"], {"cn": name, "sn": name.split()[-1], "displayName": name,
                                          "userPassword": password})
            for group in groups:
                gdn = f"cn={group},{GROUPS}"
                if not c.search(gdn, "(objectClass=*)", search_scope=ldap3.BASE):
                    c.add(gdn, ["groupOfNames"], {"member": dn})
                else:
                    c.modify(gdn, {"member": [(ldap3.MODIFY_ADD, [dn])]})
        return dn


CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile {folder}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_pw}
directory {folder}/db
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
"""


@contextmanager
def running_directory(folder: Path, port: int) -> Iterator[Directory]:
    (folder / "db").mkdir(parents=True)
    conf = folder / "slapd.conf"
    conf.write_text(CONFIG.format(folder=folder, suffix=SUFFIX, root_dn=ROOT_DN, root_pw=ROOT_PW))
    url = f"ldap://127.0.0.1:{port}"
    subprocess.run([str(SLAPD), "-f", str(conf), "-h", f"{url}/"], check=True, capture_output=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with ldap3.Connection(url, ROOT_DN, ROOT_PW, auto_bind=True) as c:
                    c.add(SUFFIX, ["dcObject", "organization"], {"dc": "khanhhoa", "o": "UBND tỉnh Khánh Hòa"})
                    c.add(PEOPLE, ["organizationalUnit"], {"ou": "people"})
                    c.add(GROUPS, ["organizationalUnit"], {"ou": "groups"})
                break
            except ldap3.core.exceptions.LDAPException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield Directory(url, folder)
    finally:
        pidfile = folder / "slapd.pid"
        if pidfile.exists():
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
            for _ in range(50):
                if not pidfile.exists():
                    break
                time.sleep(0.1)
        shutil.rmtree(folder / "db", ignore_errors=True)


def available() -> bool:
    return SLAPD.exists()
