"""The Elasticsearch index's settings: `[index.elasticsearch]` in settings.toml, overridden by SOHOA_ES_* variables.

The embedded SQLite index needs none beyond the data directory.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from domain.catalogue import ConfigError
from domain.setting_tables import Setting, read_table


@dataclass(frozen=True)
class ElasticSettings:
    urls: tuple[str, ...]
    username: str = ""
    password: str = field(default="", repr=False)
    api_key: str = field(default="", repr=False)
    ca_file: str | None = None
    index_prefix: str = "sohoa"
    request_timeout: float = 10.0
    max_retries: int = 3
    shards: int = 1  # primary shards of each versioned index
    replicas: int = 0  # copies of each shard on other nodes: 0 keeps a one-node trial green, 1 or more in production



def _split_credentials(urls: list[str]) -> tuple[tuple[str, ...], tuple[str, str]]:
    """URLs without a user:password written into them, and that user and password: the URLs go into messages, logs
    and the outbox, the secret only into the Authorization header."""
    bare, user, password = [], "", ""
    for url in urls:
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None:
            user = user or unquote(parts.username or "")
            password = password or unquote(parts.password or "")
            host = parts.hostname or ""
            netloc = f"[{host}]" if ":" in host else host
            netloc += f":{parts.port}" if parts.port else ""
            url = urlunsplit(parts._replace(netloc=netloc))
        bare.append(url)
    return tuple(bare), (user, password)


SPEC = (  # the [index.elasticsearch] table
    Setting("urls", tuple, (), "SOHOA_ES_URL", "the cluster's nodes; none: no Elasticsearch index"),
    Setting("username", str, "", "SOHOA_ES_USERNAME", "basic authentication"),
    Setting("password", str, "", "SOHOA_ES_PASSWORD"),
    Setting("api_key", str, "", "SOHOA_ES_API_KEY", "instead of username and password (base64 id:key)"),
    Setting("ca_file", str, "", "SOHOA_ES_CA_FILE", "the CA certificate of the cluster's TLS certificate"),
    Setting("index_prefix", str, "sohoa", "SOHOA_ES_INDEX_PREFIX", "several installations can share a cluster"),
    Setting("request_timeout_s", float, 10.0),
    Setting("max_retries", int, 3, doc="for 429/502/503/504 and timeouts, with backoff"),
    Setting("shards", int, 1, "SOHOA_ES_SHARDS", "primary shards of each versioned index"),
    Setting("replicas", int, 0, "SOHOA_ES_REPLICAS", "0 keeps a one-node trial green; 1 or more in production"),
)


def load_elastic_settings(raw: dict[str, Any], env: Mapping[str, str]) -> ElasticSettings | None:
    values = read_table("index.elasticsearch", raw, SPEC, env)
    if not values["urls"]:
        return None
    prefix = values["index_prefix"]
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]{0,100}", prefix):  # Elasticsearch index names: lower case, no spaces
        raise ConfigError(f"Elasticsearch index_prefix must be lower-case letters, digits, '-' or '_': {prefix!r}")
    urls_without, from_url = _split_credentials(list(values["urls"]))
    settings = ElasticSettings(
        urls=urls_without, username=values["username"] or from_url[0], password=values["password"] or from_url[1],
        api_key=values["api_key"], ca_file=values["ca_file"] or None, index_prefix=prefix,
        request_timeout=values["request_timeout_s"], max_retries=values["max_retries"], shards=values["shards"],
        replicas=values["replicas"])
    if settings.shards < 1 or settings.replicas < 0:
        raise ConfigError(f"[index.elasticsearch]: shards must be 1 or more and replicas 0 or more "
                          f"(shards={settings.shards}, replicas={settings.replicas})")
    return settings
