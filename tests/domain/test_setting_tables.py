"""A settings table declared once: read typed, the environment over the file over the default, a wrong value or an
unknown key refused with a sentence; the declared tables match the defaults file the operator edits."""

from __future__ import annotations

import tomllib

import pytest

from archive.settings import SPEC as MINIO
from context.core_tables import TABLES as CORE
from domain.catalogue import ConfigError
from domain.setting_tables import Setting, read_table
from flows.settings import SPEC as WORKERS
from indexer.backends import SQLITE_SPEC as SQLITE
from indexer.settings import SPEC as ELASTIC
from service.auth_settings import AUTH_SPEC as AUTH
from service.auth_settings import LDAP_SPEC as LDAP
from service.auth_settings import OIDC_SPEC as OIDC
from service.statistics import PLAN_SPEC as PLAN
from signing.settings import SPEC as SIGNING
from tests.conftest import REPO

SPEC = (Setting("pool", str, "sohoa", "X_POOL"), Setting("chunk", int, 10, "X_CHUNK"), Setting("every", float, 1.0),
        Setting("secure", bool, True, "X_SECURE"))


def test_the_environment_wins_over_the_file_which_wins_over_the_default() -> None:
    assert read_table("t", {}, SPEC, {}) == {"pool": "sohoa", "chunk": 10, "every": 1.0, "secure": True}
    assert read_table("t", {"chunk": 4, "every": 2}, SPEC, {}) == {"pool": "sohoa", "chunk": 4, "every": 2.0,
                                                                   "secure": True}
    got = read_table("t", {"chunk": 4, "secure": True}, SPEC, {"X_CHUNK": "7", "X_SECURE": "false", "X_POOL": ""})
    assert got == {"pool": "sohoa", "chunk": 7, "every": 1.0, "secure": False}  # an empty variable is no value
    assert read_table("t", {}, SPEC, {"X_SECURE": "yes"})["secure"] is True


@pytest.mark.parametrize(("raw", "env", "said"), [
    ({"chunk": "many"}, {}, "[t] chunk must be int, not 'many'"),
    ({}, {"X_CHUNK": "many"}, "[t] chunk must be int, not 'many' (from X_CHUNK)"),
    ({"chunk": True}, {}, "[t] chunk must be int, not True"),
    ({"pool": 3}, {}, "[t] pool must be str, not 3"),
    ({"secure": "maybe?"}, {}, None),  # a word: true unless it says no
    ({"secure": 1}, {}, "[t] secure must be bool, not 1"),
    ({"pools": "x"}, {}, "[t] has no setting pools (it has: chunk, every, pool, secure)"),
])
def test_a_wrong_value_or_an_unknown_key_is_refused_with_a_sentence(raw: dict[str, object], env: dict[str, str],
                                                                     said: str | None) -> None:
    if said is None:
        assert read_table("t", raw, SPEC, env)["secure"] is True
        return
    with pytest.raises(ConfigError) as refused:
        read_table("t", raw, SPEC, env)
    assert str(refused.value) == said


@pytest.mark.parametrize(("table", "spec"), [(("workers",), WORKERS), (("archive", "minio"), MINIO),
                                             (("index", "elasticsearch"), ELASTIC), (("auth",), AUTH),
                                             (("auth", "ldap"), LDAP), (("auth", "oidc"), OIDC),
                                             (("signing",), SIGNING),
                                             *(((name,), spec) for name, spec in CORE.items()),
                                             (("plan",), PLAN), (("index", "sqlite"), SQLITE)])
def test_the_declared_tables_are_the_defaults_files_and_name_the_same_variables(
        table: tuple[str, ...], spec: tuple[Setting, ...]) -> None:
    text = (REPO / "context" / "defaults" / "settings.toml").read_text(encoding="utf-8")
    defaults = tomllib.loads(text)
    for part in table:
        defaults = defaults[part]
    defaults = {k: v for k, v in defaults.items() if not isinstance(v, dict)}  # subtables are declared apart
    assert {s.key for s in spec} == set(defaults)
    assert read_table(".".join(table), defaults, spec, {})  # the defaults read as declared
    section = text.split(f"[{'.'.join(table)}]\n", 1)[1].split("\n[", 1)[0]  # the table's own lines
    for setting in spec:
        if setting.env:
            line = next(line for line in section.splitlines() if line.startswith(f"{setting.key} "))
            assert f"env: {setting.env}" in line  # the file's comment names the same variable


def test_a_list_reads_from_the_file_or_comma_separated_from_the_environment() -> None:
    spec = (Setting("urls", tuple, (), "X_URLS"),)
    assert read_table("t", {"urls": ["https://a:9200", " https://b:9200 ", ""]}, spec, {}) == {
        "urls": ("https://a:9200", "https://b:9200")}
    assert read_table("t", {"urls": ["x"]}, spec, {"X_URLS": "https://c:9200, https://d:9200"}) == {
        "urls": ("https://c:9200", "https://d:9200")}
    with pytest.raises(ConfigError, match="urls must be tuple"):
        read_table("t", {"urls": [1, 2]}, spec, {})
