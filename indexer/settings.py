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


def load_elastic_settings(raw: dict[str, Any], env: Mapping[str, str]) -> ElasticSettings | None:
    urls = env.get("SOHOA_ES_URL")
    url_list = [u.strip() for u in urls.split(",")] if urls else list(raw.get("urls", []))
    if not [u for u in url_list if u]:
        return None
    prefix = env.get("SOHOA_ES_INDEX_PREFIX") or raw.get("index_prefix", "sohoa")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]{0,100}", prefix):  # Elasticsearch index names: lower case, no spaces
        raise ConfigError(f"Elasticsearch index_prefix must be lower-case letters, digits, '-' or '_': {prefix!r}")
    urls_without, from_url = _split_credentials([u for u in url_list if u])
    try:
        settings = ElasticSettings(
            urls=urls_without,
            username=env.get("SOHOA_ES_USERNAME") or raw.get("username", "") or from_url[0],
            password=env.get("SOHOA_ES_PASSWORD") or raw.get("password", "") or from_url[1],
            api_key=env.get("SOHOA_ES_API_KEY") or raw.get("api_key", ""),
            ca_file=env.get("SOHOA_ES_CA_FILE") or raw.get("ca_file") or None,
            index_prefix=prefix,
            request_timeout=float(raw.get("request_timeout_s", 10)),
            max_retries=int(raw.get("max_retries", 3)),
            shards=int(env.get("SOHOA_ES_SHARDS") or raw.get("shards", 1)),
            replicas=int(env.get("SOHOA_ES_REPLICAS") or raw.get("replicas", 0)),
        )
    except (TypeError, ValueError) as e:
        raise ConfigError(f"[index.elasticsearch]: {e}") from e
    if settings.shards < 1 or settings.replicas < 0:
        raise ConfigError(f"[index.elasticsearch]: shards must be 1 or more and replicas 0 or more "
                          f"(shards={settings.shards}, replicas={settings.replicas})")
    return settings
