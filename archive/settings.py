"""The MinIO (S3) archive's settings: `[archive.minio]` in settings.toml, overridden by SOHOA_MINIO_* variables.

The embedded filesystem store needs none beyond the data directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MinioSettings:
    endpoint: str
    access_key: str = field(repr=False)
    secret_key: str = field(repr=False)
    bucket: str
    secure: bool
    region: str | None
    ca_file: str | None



def load_minio_settings(raw: dict[str, Any], env: Mapping[str, str]) -> MinioSettings | None:
    endpoint = env.get("SOHOA_MINIO_ENDPOINT") or raw.get("endpoint", "")
    if not endpoint:
        return None
    secure = env.get("SOHOA_MINIO_SECURE")
    return MinioSettings(
        endpoint=endpoint,
        access_key=env.get("SOHOA_MINIO_ACCESS_KEY") or raw.get("access_key", ""),
        secret_key=env.get("SOHOA_MINIO_SECRET_KEY") or raw.get("secret_key", ""),
        bucket=env.get("SOHOA_MINIO_BUCKET") or raw.get("bucket", "sohoa-archive"),
        secure=(secure.lower() not in ("0", "false", "no")) if secure else bool(raw.get("secure", True)),
        region=raw.get("region") or None,
        ca_file=env.get("SOHOA_MINIO_CA_FILE") or raw.get("ca_file") or None,
    )
