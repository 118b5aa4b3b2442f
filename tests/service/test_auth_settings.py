"""Sign-in settings are read and checked like the rest of the configuration; single sign-on never sends a person
off the site after signing in."""

import pytest

from context.settings import DEFAULTS, _read_toml
from domain.catalogue import ConfigError
from service.auth_settings import parse_auth_settings
from service.oidc_login import _local_path


def test_the_defaults_ask_for_https_cookies_and_configure_no_directory_or_provider() -> None:
    auth = parse_auth_settings(_read_toml(DEFAULTS / "settings.toml"), {})
    assert auth.cookie_secure and auth.ldap is None and auth.oidc is None
    assert (auth.max_failures, auth.lockout_seconds, auth.idle_seconds) == (5, 900, 1800)


def test_a_group_mapped_to_an_unknown_role_and_a_provider_without_a_client_are_refused() -> None:
    raw = _read_toml(DEFAULTS / "settings.toml")
    raw["auth"]["ldap"] = {"url": "ldap://x", "user_base": "ou=p", "roles": {"g": "superuser"}}
    with pytest.raises(ConfigError, match="superuser"):
        parse_auth_settings(raw, {})
    raw["auth"]["ldap"] = {}
    with pytest.raises(ConfigError, match="client_id"):
        parse_auth_settings(raw, {"SOHOA_OIDC_ISSUER": "https://id.example.gov.vn"})


@pytest.mark.parametrize(("asked", "goes"), [("/v1/auth/me", "/v1/auth/me"), ("//evil.example/x", "/"),
                                             ("/\\evil.example", "/"), ("https://evil.example", "/"), ("", "/")])
def test_after_single_sign_on_only_a_path_of_this_site_is_followed(asked: str, goes: str) -> None:
    assert _local_path(asked) == goes
