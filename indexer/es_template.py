"""The Elasticsearch index template: how each field of `IndexedRecord` is analysed.

Codes and numbers are `keyword`s. A số/ký hiệu goes through a normaliser (spaces removed, any dash a hyphen, lower
case, ASCII folding which maps đ -> d) so "12/qd - ub" finds "12/QĐ-UB". Names and OCR text use a folded analyzer
(lowercase + asciifolding); names also keep a sub-field with their diacritics, to rank exact spellings first. The
Python side of these normalisers is in indexer/document.py: queries are sent already normalised, so both backends
agree.
"""

from __future__ import annotations

from typing import Any

from indexer.document import DASHES, SPACES

SCHEMA_VERSION = 3  # bump when the mappings change: `sohoa reindex` then builds an index with the new ones

SETTINGS: dict[str, Any] = {
    "analysis": {
        # A mapping char filter, not pattern_replace or trim: normalisers accept those only from 8.6 or so.
        "char_filter": {
            "sohoa_code_chars": {"type": "mapping", "mappings": [f"\\u{ord(c):04x}=>-" for c in DASHES]
                                 + [f"\\u{ord(c):04x}=>" for c in SPACES]},
        },
        "analyzer": {
            "sohoa_folded": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
            "sohoa_spelled": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
        },
        "normalizer": {
            "sohoa_folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]},
            "sohoa_code": {"type": "custom", "char_filter": ["sohoa_code_chars"],
                           "filter": ["lowercase", "asciifolding"]},
        },
    },
}

_KEYWORD = {"type": "keyword"}
_DATE = {"type": "date", "format": "strict_date"}
_NAME = {"type": "text", "analyzer": "sohoa_folded",
         "fields": {"exact": {"type": "text", "analyzer": "sohoa_spelled"}}}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "_source": {"excludes": ["body"]},  # OCR text is searched, never shown; the archive keeps it
    "_meta": {"sohoa_schema": SCHEMA_VERSION},
    "properties": {
        "result_code": _KEYWORD,
        "dossier_code": _KEYWORD,
        "content_hash": _KEYWORD,
        "version": {"type": "integer"},
        "procedure_code": _KEYWORD,
        "agency_code": _KEYWORD,
        "type_id": _KEYWORD,
        "type_name": {"type": "keyword", "index": False},
        "number": {"type": "keyword", "normalizer": "sohoa_code"},
        "paper": _KEYWORD,  # place keys: "box:12"
        "issue_date": _DATE,
        "issuer": {"type": "text", "analyzer": "sohoa_folded",
                   "fields": {"key": {"type": "keyword", "normalizer": "sohoa_folded"}}},
        "valid_until": _DATE,
        "permanent": {"type": "boolean"},
        "validity_rule": _KEYWORD,
        "validity_note": {"type": "keyword", "index": False},
        "location": {"type": "keyword", "index": False},
        "needs_review": {"type": "boolean"},
        "reusable": {"type": "boolean"},
        "persons": {
            "type": "nested",
            "properties": {
                "role": _KEYWORD,
                "name": _NAME,
                "name_key": {"type": "keyword", "normalizer": "sohoa_folded"},
                "dob": _DATE,
                "personal_number": _KEYWORD,
                "old_id": _KEYWORD,
                "birth_year": {"type": "integer"},
            },
        },
        "names": _NAME,
        "body": {"type": "text", "analyzer": "sohoa_folded"},
    },
}


def index_template(prefix: str, shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """The body of PUT _index_template/<prefix>-records: every versioned index gets these settings and mappings,
    with the shards and replicas the installation configured."""
    return {
        "index_patterns": [f"{prefix}-records-*"],
        "priority": 200,
        "template": {"settings": {"number_of_shards": shards, "number_of_replicas": replicas, **SETTINGS},
                     "mappings": MAPPINGS},
        "_meta": {"sohoa_schema": SCHEMA_VERSION, "description": "sohoa records, one document per result"},
    }
