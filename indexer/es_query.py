"""The query DSL for each kind of `RecordQuery`: plain functions from the query model to request bodies.

Everything that decides whether a record matches is in filter context, so scores only order: an exact spelling of a
name scores 1 (0 otherwise) and ties fall back to newest issue first, then result code, exactly as the SQLite
backend orders them. Full text is ordered by relevance, exact spellings of names boosted far above the rest.
"""

from __future__ import annotations

from typing import Any

from domain.text import nfc
from indexer.base import LIKE_AT_LEAST, LIKE_SHARE, LIKE_TERMS, Filters, RecordQuery
from indexer.document import code_key, name_key

TEXT_EXACT_BOOST = 1000.0  # above any BM25 score a few words reach: exact spellings of names come first

LOOKUP_SORT: list[Any] = [
    "_score",
    {"issue_date": {"order": "desc", "missing": "_last"}},
    {"result_code": {"order": "asc"}},
]


def filter_clauses(f: Filters) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = [{"term": {"reusable": True}}]
    if f.type_ids:
        clauses.append({"terms": {"type_id": list(f.type_ids)}})
    if f.issuer:
        clauses.append({"term": {"issuer.key": name_key(f.issuer)}})
    if f.issued_from or f.issued_to:
        bounds = {}
        if f.issued_from:
            bounds["gte"] = f.issued_from.isoformat()
        if f.issued_to:
            bounds["lte"] = f.issued_to.isoformat()
        clauses.append({"range": {"issue_date": bounds}})
    clauses += [{"term": {"paper": key}} for key in f.paper]
    if f.valid_on:
        clauses.append({"bool": {"should": [{"term": {"permanent": True}},
                                            {"range": {"valid_until": {"gte": f.valid_on.isoformat()}}}],
                                 "minimum_should_match": 1}})
    return clauses


def _person(query: dict[str, Any]) -> dict[str, Any]:
    return {"nested": {"path": "persons", "query": query, "score_mode": "max"}}


def search_body(q: RecordQuery) -> dict[str, Any]:
    """The body of POST <alias>/_search for one lookup."""
    filters = filter_clauses(q.filters)
    kind = q.kind
    must: list[dict[str, Any]] = []
    sort: list[Any] = LOOKUP_SORT
    if kind == "personal_number":
        filters.append(_person({"term": {"persons.personal_number": (q.personal_number or "").strip()}}))
    elif kind == "old_id":
        filters.append(_person({"term": {"persons.old_id": (q.old_id or "").strip()}}))
    elif kind == "name_dob":
        assert q.name and q.dob
        must.append(_person({"bool": {
            "filter": [
                {"bool": {"should": [{"term": {"persons.dob": q.dob.isoformat()}},  # or the year, where the
                                     {"bool": {"filter": [{"term": {"persons.birth_year": q.dob.year}}],  # paper
                                               "must_not": [{"exists": {"field": "persons.dob"}}]}}],  # gives it
                          "minimum_should_match": 1}},
                {"fuzzy": {"persons.name_key": {"value": name_key(q.name), "fuzziness": 1, "prefix_length": 0,
                                                "transpositions": True, "max_expansions": 1000}}},
            ],
            "should": [{"constant_score": {"filter": {"match_phrase": {"persons.name.exact": nfc(q.name)}},
                                           "boost": 1.0}}],
        }}))
    elif kind == "code":
        code = (q.code or "").strip()
        filters.append({"bool": {"should": [{"term": {"result_code": code}}, {"term": {"dossier_code": code}}],
                                 "minimum_should_match": 1}})
    elif kind == "number":
        filters.append({"term": {"number": code_key(q.number or "")}})
    elif kind == "paper":
        pass  # the place is among the filters
    elif kind == "like":
        must.append({"more_like_this": {"fields": ["body"], "like": q.like, "min_term_freq": 1, "min_doc_freq": 1,
                                        "max_query_terms": LIKE_TERMS, "min_word_length": 2,
                                        "minimum_should_match": f"{LIKE_AT_LEAST}<{LIKE_AT_LEAST} "
                                                                f"{round(LIKE_AT_LEAST / LIKE_SHARE)}<"
                                                                f"{round(LIKE_SHARE * 100)}%"}})  # like_needed
        sort = ["_score", {"result_code": {"order": "asc"}}]
    else:
        must.append({"multi_match": {"query": q.text, "fields": ["names", "body"], "type": "cross_fields",
                                     "operator": "and"}})
        sort = ["_score", {"result_code": {"order": "asc"}}]
        return {
            "query": {"bool": {"must": must, "filter": filters, "should": [
                {"constant_score": {"filter": {"match": {"names.exact": {"query": nfc(q.text or ""),
                                                                         "operator": "and"}}},
                                    "boost": TEXT_EXACT_BOOST}}]}},
            "sort": sort, "size": q.limit, "track_total_hits": False,
        }
    return {"query": {"bool": {"must": must, "filter": filters}}, "sort": sort, "size": q.limit,
            "track_total_hits": False}


def review_body(limit: int) -> dict[str, Any]:
    return {"query": {"bool": {"filter": [{"term": {"needs_review": True}}]}},
            "sort": [{"result_code": {"order": "asc"}}], "size": limit}


def types_body() -> dict[str, Any]:
    """Counts per document type, in one aggregation; unclassified records counted under ""."""
    return {"size": 0, "track_total_hits": True,
            "aggs": {"types": {"terms": {"field": "type_id", "size": 1000, "missing": ""}}}}
