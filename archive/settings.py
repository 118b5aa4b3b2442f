"""The MinIO (S3) archive's settings: `[archive.minio]` in settings.toml, overridden by SOHOA_MINIO_* variables.

The embedded filesystem store needs none beyond the data directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.setting_tables import Setting, read_table


@dataclass(frozen=True)
class MinioSettings:
    endpoint: str
    access_key: str = field(repr=False)
    secret_key: str = field(repr=False)
    bucket: str
    secure: bool
    region: str | None
    ca_file: str | None



SPEC = (  # the [archive.minio] table
    Setting("endpoint", str, "", "SOHOA_MINIO_ENDPOINT", "host:port; empty: no MinIO archive"),
    Setting("access_key", str, "", "SOHOA_MINIO_ACCESS_KEY"),
    Setting("secret_key", str, "", "SOHOA_MINIO_SECRET_KEY"),
    Setting("bucket", str, "sohoa-archive", "SOHOA_MINIO_BUCKET", "made with Object Lock if missing"),
    Setting("secure", bool, True, "SOHOA_MINIO_SECURE", "TLS"),
    Setting("region", str, ""),
    Setting("ca_file", str, "", "SOHOA_MINIO_CA_FILE", "the CA certificate of a private TLS certificate"),
)


def load_minio_settings(raw: dict[str, Any], env: Mapping[str, str]) -> MinioSettings | None:
    values = read_table("archive.minio", raw, SPEC, env)
    if not values["endpoint"]:
        return None
    return MinioSettings(**{**values, "region": values["region"] or None, "ca_file": values["ca_file"] or None})
