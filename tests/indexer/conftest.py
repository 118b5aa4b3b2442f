"""The index backends the shared contract suite runs on: SQLite; Elasticsearch through the real client against the
recording double (tests/indexer/es_double.py); and a live cluster when SOHOA_ES_URL is set."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from archive.base import SIGNED_PDF
from domain.records import Manifest, Person
from indexer.base import Index
from indexer.document import IndexedRecord
from indexer.elastic import ElasticIndex
from indexer.settings import ElasticSettings
from indexer.sqlite import SqliteIndex
from tests.archive.records import files, manifest_for
from tests.conftest import LIVE_ES
from tests.indexer.es_double import EsDouble

BACKENDS = ["sqlite", "elasticsearch", "live-elasticsearch"]


@pytest.fixture(scope="session")
def es_double() -> Iterator[EsDouble]:
    double = EsDouble()
    double.url = double.start()  # type: ignore[attr-defined]
    yield double
    double.stop()


def es_settings(url: str, prefix: str, **extra: object) -> ElasticSettings:
    return ElasticSettings(urls=(url,), index_prefix=prefix, request_timeout=5, **extra)  # type: ignore[arg-type]


def live_settings(prefix: str) -> ElasticSettings:
    return ElasticSettings(
        urls=tuple(u.strip() for u in LIVE_ES["SOHOA_ES_URL"].split(",")), index_prefix=prefix,
        username=LIVE_ES.get("SOHOA_ES_USERNAME", ""), password=LIVE_ES.get("SOHOA_ES_PASSWORD", ""),
        api_key=LIVE_ES.get("SOHOA_ES_API_KEY", ""), ca_file=LIVE_ES.get("SOHOA_ES_CA_FILE") or None)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Index]:
    """An empty index on each backend."""
    if request.param == "sqlite":
        yield SqliteIndex(tmp_path / "index")
        return
    prefix = f"sohoa-test-{uuid.uuid4().hex[:8]}"
    if request.param == "elasticsearch":
        double: EsDouble = request.getfixturevalue("es_double")
        double.reset()
        yield ElasticIndex(es_settings(double.url, prefix))  # type: ignore[attr-defined]
        return
    if "SOHOA_ES_URL" not in LIVE_ES:
        pytest.skip("live Elasticsearch: set SOHOA_ES_URL (and SOHOA_ES_USERNAME/PASSWORD or API_KEY, CA_FILE)")
    index = ElasticIndex(live_settings(prefix))
    yield index
    index.client.options(ignore_status=404).indices.delete(index=f"{prefix}-records-*")
    index.client.options(ignore_status=404).indices.delete_index_template(name=f"{prefix}-records")


# --- the records every backend is loaded with -------------------------------------------------------------------


def _record(seed: str, code: str, *, type_id: str | None, type_name: str | None, persons: list[Person],
            issued: date | None, valid_until: date | None = None, rule: str = "permanent", number: str | None = None,
            issuer: str | None = None, text: str = "", review: bool = False, signed: bool = True) -> IndexedRecord:
    data = files(seed.encode())
    if not signed:
        del data[SIGNED_PDF]
    m: Manifest = manifest_for(data, code, type_id=type_id or "khai_sinh")
    m.classification.type_id, m.classification.type_name = type_id, type_name
    m.persons = persons
    m.fields.issue_date, m.fields.valid_until, m.fields.validity_rule = issued, valid_until, rule
    m.fields.number, m.fields.issuer = number, issuer
    if review:
        from domain.records import Note

        m.review = [Note(code="low_confidence", message="Độ tin cậy phân loại thấp")]
    return IndexedRecord.of(m, text, f"/archive/{seed}")


AGENCY = "000.00.00.H49"
MARRIAGE = f"{AGENCY}-200304-0001-KQ1"
STATUS_OLD = f"{AGENCY}-260301-0002-KQ1"
STATUS_NEW = f"{AGENCY}-261001-0003-KQ1"
BIRTH_LAN = f"{AGENCY}-000101-0004-KQ1"
OCR_LAM = f"{AGENCY}-100505-0005-KQ1"
UNSIGNED = f"{AGENCY}-261101-0006-KQ1"
OCR_LAMM = f"{AGENCY}-100506-0007-KQ1"
UNTYPED = f"{AGENCY}-261102-0008-KQ1"
LAN_DOB = date(1978, 9, 2)


def sample_records() -> list[IndexedRecord]:
    lan = "TRẦN THỊ LAN"
    return [
        _record("marriage", MARRIAGE, type_id="ket_hon", type_name="Giấy chứng nhận kết hôn", issued=date(2020, 3, 4),
                number="15/2020/KH", issuer="UBND xã Ia Kênh",
                text="GIẤY CHỨNG NHẬN KẾT HÔN\nNơi cư trú: xã Đắk Pơ, tỉnh Gia Lai",
                persons=[Person(role="wife", name="NGUYỄN THỊ HỒNG NHUNG", dob=date(1990, 5, 1),
                                personal_number="064190000001"),
                         Person(role="husband", name="ĐẶNG VĂN ĐẠT", dob=date(1988, 1, 2),
                                personal_number="064088000002")]),
        _record("status-old", STATUS_OLD, type_id="tinh_trang_hon_nhan",
                type_name="Giấy xác nhận tình trạng hôn nhân", issued=date(2026, 3, 1),
                valid_until=date(2026, 8, 31), rule="6 months", number="102/XN-UBND", issuer="UBND phường Hội Phú",
                text="GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", persons=[Person(role="subject", name=lan, dob=LAN_DOB,
                                                                          old_id="230987654")]),
        _record("status-new", STATUS_NEW, type_id="tinh_trang_hon_nhan",
                type_name="Giấy xác nhận tình trạng hôn nhân", issued=date(2026, 10, 1),
                valid_until=date(2027, 3, 31), rule="6 months", number="215/XN-UBND", issuer="UBND phường Hội Phú",
                text="GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", persons=[Person(role="subject", name=lan, dob=LAN_DOB,
                                                                          old_id="230987654")]),
        _record("birth-lan", BIRTH_LAN, type_id="khai_sinh", type_name="Giấy khai sinh", issued=date(2000, 1, 1),
                number="7/KS", issuer="UBND xã Ia Kênh", text="GIẤY KHAI SINH",
                persons=[Person(role="registrant", name="TRẦN THỊ LÂN", dob=LAN_DOB)]),
        _record("ocr-lam", OCR_LAM, type_id="khai_sinh", type_name="Giấy khai sinh", issued=date(2010, 5, 5),
                text="GIẤY KHAI SINH", review=True,
                persons=[Person(role="registrant", name="TRAN THI LAM", dob=LAN_DOB)]),
        _record("unsigned", UNSIGNED, type_id="khai_sinh", type_name="Giấy khai sinh", issued=date(2026, 11, 1),
                text="GIẤY KHAI SINH", signed=False,
                persons=[Person(role="registrant", name="NGUYỄN THỊ HỒNG NHUNG", dob=date(1990, 5, 1),
                                personal_number="064190000001")]),
        _record("ocr-lamm", OCR_LAMM, type_id="khai_sinh", type_name="Giấy khai sinh", issued=date(2010, 5, 6),
                text="GIẤY KHAI SINH", persons=[Person(role="registrant", name="TRAN THI LAMM", dob=LAN_DOB)]),
        _record("untyped", UNTYPED, type_id=None, type_name=None, issued=None, text="TỜ KHAI ĐĂNG KÝ",
                number="09 / TK – UBND",  # as OCR read it: spaces and an en dash
                persons=[Person(role="subject", name="LÊ VĂN TÁM", dob=date(1970, 1, 1),
                                personal_number="064070000003")]),
    ]


@pytest.fixture
def loaded(backend: Index) -> Index:
    assert backend.upsert_many(sample_records()) == []
    backend.refresh()
    return backend
