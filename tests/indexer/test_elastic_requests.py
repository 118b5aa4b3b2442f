"""The Elasticsearch backend at the request level: what the real client sends, and how answers are read.

The client talks HTTP to the recording double (tests/indexer/es_double.py); these tests assert the exact template,
index creation, bulk lines and query DSL, and feed back Elasticsearch-shaped errors: bulk item failures, 429, 503,
401 and a cluster that cannot be reached.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import date

import pytest

from indexer.base import Filters, IndexUnavailable, RecordQuery
from indexer.elastic import ElasticIndex
from indexer.es_template import MAPPINGS
from tests.conftest import free_port
from tests.indexer.conftest import LAN_DOB, MARRIAGE, STATUS_NEW, STATUS_OLD, es_settings, sample_records
from tests.indexer.es_double import EsDouble

PREFIX = "sohoa-req"
ALIAS = f"{PREFIX}-records"
VERSIONED = rf"/{ALIAS}-\d{{20}}"


@pytest.fixture
def double(es_double: EsDouble) -> Iterator[EsDouble]:
    es_double.reset()
    yield es_double


def index_on(double: EsDouble, **extra: object) -> ElasticIndex:
    return ElasticIndex(es_settings(double.url, PREFIX, **extra))  # type: ignore[attr-defined]


def test_before_anything_is_written_lookups_find_nothing_without_changing_the_cluster(double: EsDouble) -> None:
    index = index_on(double)
    assert index.find(RecordQuery(personal_number="064190000001")) == [] and index.count() == 0
    assert index.get(MARRIAGE) is None and index.count_by_type() == {} and index.review_queue() == []
    assert {r.method for r in double.requests} <= {"GET", "POST", "HEAD"}  # a read-only account is enough


def test_the_first_write_installs_the_template_and_a_versioned_index_behind_the_alias(double: EsDouble) -> None:
    index_on(double).upsert(sample_records()[0])
    [template] = double.sent("PUT", f"/_index_template/{ALIAS}")
    body = template.body
    assert body["index_patterns"] == [f"{ALIAS}-*"]
    assert (body["template"]["settings"]["number_of_shards"], body["template"]["settings"]["number_of_replicas"]) \
        == (1, 0)  # the defaults: a one-node trial stays green
    analysis = body["template"]["settings"]["analysis"]
    assert analysis["analyzer"]["sohoa_folded"] == {"type": "custom", "tokenizer": "standard",
                                                    "filter": ["lowercase", "asciifolding"]}
    assert analysis["normalizer"]["sohoa_code"] == {"type": "custom", "char_filter": ["sohoa_code_chars"],
                                                    "filter": ["lowercase", "asciifolding"]}
    mappings = analysis["char_filter"]["sohoa_code_chars"]["mappings"]
    assert "\\u0020=>" in mappings and "\\u2013=>-" in mappings  # spaces dropped, an en dash read as "-"
    for normalizer in analysis["normalizer"].values():  # what every Elasticsearch 8.x accepts in a normaliser
        assert set(normalizer["filter"]) <= {"lowercase", "asciifolding"}
    props = body["template"]["mappings"]["properties"]
    assert body["template"]["mappings"]["dynamic"] == "strict"
    for name in ("result_code", "dossier_code", "procedure_code", "agency_code", "type_id"):
        assert props[name] == {"type": "keyword"}, name
    persons = props["persons"]
    assert persons["type"] == "nested"
    assert persons["properties"]["personal_number"] == persons["properties"]["old_id"] == {"type": "keyword"}
    assert persons["properties"]["name"] == {"type": "text", "analyzer": "sohoa_folded",
                                             "fields": {"exact": {"type": "text", "analyzer": "sohoa_spelled"}}}
    assert props["number"] == {"type": "keyword", "normalizer": "sohoa_code"}
    assert props["body"]["analyzer"] == "sohoa_folded" and props["names"]["fields"]["exact"]
    for name in ("issue_date", "valid_until"):
        assert props[name]["type"] == "date"
    assert persons["properties"]["dob"]["type"] == "date"
    [create] = [r for r in double.requests if r.method == "PUT" and re.fullmatch(VERSIONED, r.path)]
    assert create.body == {"aliases": {ALIAS: {"is_write_index": True}}}
    assert double.sent("HEAD", f"/_alias/{ALIAS}")
    index_on(double).upsert(sample_records()[1])  # another process: the alias exists, no second index
    assert len([r for r in double.requests if r.method == "PUT" and re.fullmatch(VERSIONED, r.path)]) == 1


def test_bulk_lines_carry_the_record_as_the_mappings_expect(double: EsDouble) -> None:
    index = index_on(double)
    records = sample_records()
    assert index.upsert_many(records) == []
    [bulk] = double.sent("PUT", "/_bulk") + double.sent("POST", "/_bulk")
    assert len(bulk.body) == 2 * len(records)
    assert bulk.body[0] == {"index": {"_index": ALIAS, "_id": MARRIAGE}}
    doc = bulk.body[1]
    assert doc["result_code"] == MARRIAGE and doc["dossier_code"] == MARRIAGE.rsplit("-", 1)[0]
    assert doc["agency_code"] == "000.00.00.H49" and doc["type_id"] == "ket_hon"
    assert doc["issue_date"] == "2020-03-04" and doc["valid_until"] is None and doc["permanent"] is True
    assert doc["reusable"] is True and doc["needs_review"] is False
    assert doc["persons"][1] == {"role": "husband", "name": "ĐẶNG VĂN ĐẠT", "name_key": "dang van dat",
                                 "dob": "1988-01-02", "personal_number": "064088000002", "old_id": None,
                                 "birth_year": None}
    assert doc["names"] == "NGUYỄN THỊ HỒNG NHUNG ĐẶNG VĂN ĐẠT" and "Đắk Pơ" in doc["body"]
    assert set(doc) <= set(MAPPINGS["properties"])
    unsigned = next(line for line in bulk.body if line.get("result_code", "").endswith("0006-KQ1"))
    assert unsigned["reusable"] is False


def test_each_lookup_sends_its_query_dsl(double: EsDouble) -> None:
    index = index_on(double)
    index.find(RecordQuery(name="Trần Thị Lan", dob=LAN_DOB, filters=Filters(valid_on=date(2026, 11, 22),
                                                                             type_ids=("tinh_trang_hon_nhan",))))
    [search] = double.sent("POST", f"/{ALIAS}/_search")
    assert search.body == {
        "query": {"bool": {
            "must": [{"nested": {"path": "persons", "score_mode": "max", "query": {"bool": {
                "filter": [
                    {"bool": {"should": [  # the day, or the year where the paper gives only a year
                        {"term": {"persons.dob": "1978-09-02"}},
                        {"bool": {"filter": [{"term": {"persons.birth_year": 1978}}],
                                  "must_not": [{"exists": {"field": "persons.dob"}}]}}],
                        "minimum_should_match": 1}},
                    {"fuzzy": {"persons.name_key": {"value": "tran thi lan", "fuzziness": 1, "prefix_length": 0,
                                                    "transpositions": True, "max_expansions": 1000}}}],
                "should": [{"constant_score": {"filter": {"match_phrase": {"persons.name.exact": "Trần Thị Lan"}},
                                               "boost": 1.0}}]}}}}],
            "filter": [
                {"term": {"reusable": True}},
                {"terms": {"type_id": ["tinh_trang_hon_nhan"]}},
                {"bool": {"should": [{"term": {"permanent": True}},
                                     {"range": {"valid_until": {"gte": "2026-11-22"}}}],
                          "minimum_should_match": 1}}]}},
        "sort": ["_score", {"issue_date": {"order": "desc", "missing": "_last"}}, {"result_code": {"order": "asc"}}],
        "size": 500, "track_total_hits": False,
    }
    index.find(RecordQuery(personal_number="064190000001"))
    index.find(RecordQuery(number=" 12/QĐ – UBND"))
    index.find(RecordQuery(code=MARRIAGE, filters=Filters(issuer="UBND Xã  Ia Kênh", issued_from=date(2020, 1, 1))))
    _, by_number, by_code = [r.body for r in double.sent("POST", f"/{ALIAS}/_search")][-3:]
    person = double.sent("POST", f"/{ALIAS}/_search")[1].body["query"]["bool"]["filter"][1]
    assert person == {"nested": {"path": "persons", "score_mode": "max",
                                 "query": {"term": {"persons.personal_number": "064190000001"}}}}
    assert by_number["query"]["bool"]["filter"][1] == {"term": {"number": "12/qd-ubnd"}}
    assert by_code["query"]["bool"]["filter"][1:] == [
        {"term": {"issuer.key": "ubnd xa ia kenh"}}, {"range": {"issue_date": {"gte": "2020-01-01"}}},
        {"bool": {"should": [{"term": {"result_code": MARRIAGE}}, {"term": {"dossier_code": MARRIAGE}}],
                  "minimum_should_match": 1}}]
    index.find(RecordQuery(text="Đắk Pơ", limit=20))
    text = double.sent("POST", f"/{ALIAS}/_search")[-1].body
    assert text["query"]["bool"]["must"] == [{"multi_match": {"query": "Đắk Pơ", "fields": ["names", "body"],
                                                              "type": "cross_fields", "operator": "and"}}]
    assert text["size"] == 20 and text["sort"][0] == "_score"


def test_counts_per_type_come_from_a_terms_aggregation(double: EsDouble) -> None:
    index = index_on(double)
    index.upsert_many(sample_records())
    assert index.count_by_type()["tinh_trang_hon_nhan"] == 2
    search = double.sent("POST", f"/{ALIAS}/_search")[-1]
    assert search.body["aggs"] == {"types": {"terms": {"field": "type_id", "size": 1000, "missing": ""}}}
    assert search.body["size"] == 0


def test_a_refused_bulk_item_is_reported_and_a_429_item_is_retried(double: EsDouble) -> None:
    index = index_on(double)
    records = sample_records()
    double.reject_item(STATUS_OLD, 400, "document_parsing_exception", "failed to parse field [issue_date]")
    double.reject_item(STATUS_NEW, 429, "es_rejected_execution_exception", "rejected execution of bulk")
    failures = index.upsert_many(records)
    assert failures == [(STATUS_OLD, "400 document_parsing_exception: failed to parse field [issue_date]")]
    bulks = [r for r in double.requests if r.path == "/_bulk"]
    assert len(bulks) == 2 and bulks[1].body == [{"index": {"_index": ALIAS, "_id": STATUS_NEW}},
                                                 records[2].source()]  # only the 429 item is sent again
    index.refresh()
    assert index.get(STATUS_NEW) is not None and index.get(STATUS_OLD) is None


def test_503_and_429_answers_are_retried_then_reported_in_vietnamese(double: EsDouble) -> None:
    index = index_on(double, max_retries=2)
    index.upsert_many(sample_records())
    index.refresh()
    searches = len(double.sent("POST", f"/{ALIAS}/_search"))
    double.fail(503, times=1, when=lambda m, p: p.endswith("/_search"))
    double.fail(429, times=1, when=lambda m, p: p.endswith("/_search"))
    assert [h.result_code for h in index.find(RecordQuery(old_id="230987654"))] == [STATUS_NEW, STATUS_OLD]
    assert len(double.sent("POST", f"/{ALIAS}/_search")) == searches + 3
    double.fail(503, times=10, when=lambda m, p: p.endswith("/_search"))
    with pytest.raises(IndexUnavailable) as refused:
        index.find(RecordQuery(old_id="230987654"))
    assert re.search(r"trả lỗi 503 .* sau 2 lần thử lại", refused.value.vietnamese)


def test_credentials_are_sent_and_a_refusal_is_explained(double: EsDouble) -> None:
    index_on(double, username="sohoa", password="mật-khẩu").count()
    assert double.requests
    sent = double.requests[-1].headers
    assert sent["authorization"] == "Basic " + base64.b64encode("sohoa:mật-khẩu".encode()).decode()
    double.reset()
    index = index_on(double, api_key="aWQ6a2V5")
    double.fail(401)
    with pytest.raises(IndexUnavailable) as refused:
        index.count()
    assert re.search("từ chối thông tin đăng nhập", refused.value.vietnamese)
    assert double.requests[-1].headers["authorization"] == "ApiKey aWQ6a2V5"


def test_a_cluster_that_cannot_be_reached_gives_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    index = ElasticIndex(es_settings(url, PREFIX, max_retries=1))
    with pytest.raises(IndexUnavailable) as refused:
        index.find(RecordQuery(personal_number="064190000001"))
    assert re.search(f"Không kết nối được máy chủ tìm kiếm Elasticsearch tại {url}", refused.value.vietnamese)


def test_reindex_fills_a_new_index_then_moves_the_alias_in_one_request(double: EsDouble) -> None:
    index = index_on(double)
    index.upsert_many(sample_records())
    [old] = index.indices()
    build = index.start_build()
    build.add(iter(sample_records()))
    [create] = [r for r in double.requests if r.method == "PUT" and r.path == f"/{build.name}"]
    assert create.body == {"settings": {"refresh_interval": "-1", "number_of_replicas": 0}}  # copies come later
    [bulk] = [r for r in double.requests if r.path == "/_bulk"][-1:]
    assert bulk.body[0] == {"index": {"_index": build.name, "_id": MARRIAGE}}
    assert index.indices() == [old]  # lookups still on the old index
    build.publish()
    [settings] = double.sent("PUT", f"/{build.name}/_settings")
    assert settings.body == {"refresh_interval": None, "number_of_replicas": 0}  # the configured copies
    [swap] = double.sent("POST", "/_aliases")
    assert swap.body == {"actions": [{"remove": {"index": old, "alias": ALIAS}},
                                     {"add": {"index": build.name, "alias": ALIAS, "is_write_index": True}}]}
    assert double.sent("DELETE", f"/{old}") and index.indices() == [build.name]
    order = [(r.method, r.path) for r in double.requests
             if r.path in (f"/{build.name}/_refresh", "/_aliases") or (r.method, r.path) == ("DELETE", f"/{old}")]
    assert order == [("POST", f"/{build.name}/_refresh"), ("POST", "/_aliases"), ("DELETE", f"/{old}")]


def test_a_build_with_refused_records_is_not_published(double: EsDouble) -> None:
    index = index_on(double)
    index.upsert_many(sample_records())
    [old] = index.indices()
    build = index.start_build()
    double.reject_item(MARRIAGE, 400, "document_parsing_exception", "bad")
    with pytest.raises(IndexUnavailable) as refused:
        build.add(iter(sample_records()))
    assert re.search("từ chối 1 hồ sơ", refused.value.vietnamese)
    build.abandon()
    assert index.indices() == [old] and build.name not in double.indices


def test_shards_and_replicas_come_from_the_settings_and_a_rebuild_adds_its_copies_last(double: EsDouble) -> None:
    index = index_on(double, shards=3, replicas=2)
    index.upsert(sample_records()[0])
    [template] = double.sent("PUT", f"/_index_template/{ALIAS}")
    settings = template.body["template"]["settings"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == (3, 2)
    build = index.start_build()
    build.add(iter(sample_records()))
    build.publish()
    [published] = double.sent("PUT", f"/{build.name}/_settings")
    assert published.body == {"refresh_interval": None, "number_of_replicas": 2}
