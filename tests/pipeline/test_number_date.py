"""The document's own number and issue date: believed on print read surely or on two independent readings that agree
(two readers, or the same value written in two places), flagged with every reading otherwise, and never a date the
paper makes impossible."""

from __future__ import annotations

from datetime import date

from context.settings import load_catalogue
from pipeline.fields import Extracted, extract
from pipeline.second_reading import FigureReading

CATALOGUE = load_catalogue()
HEAD = ["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH BẠC LIÊU Độc lập - Tự do - Hạnh phúc",
        "Số: {number}", "Bạc Liêu, ngày {day} tháng 02 năm 2025", "QUYẾT ĐỊNH", "Về việc công bố thủ tục hành chính"]
ANNEX = ["Phụ lục", "DANH MỤC THỦ TỤC HÀNH CHÍNH",
         "(Ban hành kèm theo Quyết định số {number} ngày {day} tháng 02 năm 2025 của Chủ tịch UBND tỉnh)"]


def second(slot: str, value: str, confidence: float = 95.0, page: int = 0) -> FigureReading:
    return FigureReading(slot, value, confidence, "ppocr-v4", page, (10, 10, 60, 40), value)


def read(number: str, day: str, *, weak: set[str], seconds: dict[int, list[FigureReading]] | None = None,
         annex: tuple[str, str] | None = None, signed_on: date | None = None,
         today: date = date(2026, 1, 1)) -> Extracted:
    lines = [line.format(number=number, day=day) for line in HEAD]
    pages = [0] * len(lines)
    if annex:
        lines += [line.format(number=annex[0], day=annex[1]) for line in ANNEX]
        pages += [1] * len(ANNEX)
    confidences = [[30.0 if w in weak else 95.0 for w in line.split(" ")] for line in lines]
    inked = [[w in weak for w in line.split(" ")] for line in lines]
    return extract(lines, CATALOGUE.labels_for("quyet_dinh"), title_index=4, confidences=confidences, inked=inked,
                   line_pages=pages, second=seconds or {}, signed_on=signed_on, today=today)


def test_a_handwritten_number_and_day_two_readers_agree_on_are_believed() -> None:
    got = read("209/QĐ-UBND", "18", weak={"209/QĐ-UBND", "18"},
               seconds={2: [second("number", "209")], 3: [second("day", "18"), second("month", "02"),
                                                          second("year", "2025")]})
    assert (got.number, got.issue_date) == ("209/QĐ-UBND", date(2025, 2, 18))
    assert not got.doubts
    assert got.evidence["number"].confirmed and got.evidence["issue_date"].confirmed
    assert {r.reader for r in got.evidence["number"].readings} == {"tesseract", "ppocr-v4"}


def test_readings_that_differ_are_shown_and_the_figures_kept_flagged() -> None:
    got = read("4HØ/QĐ-UBND", "18", weak={"4HØ/QĐ-UBND"}, seconds={2: [second("number", "440", 62.0)]})
    assert got.number == "440/QĐ-UBND"  # the reading in figures, pre-filled for the person
    doubt = got.doubts["number"]
    assert "4HØ" in doubt and "440" in doubt and "viết tay" in doubt
    assert not got.evidence["number"].confirmed


def test_a_number_read_once_is_not_believed_however_sure_the_reader() -> None:
    got = read("Ø/QĐ-UBND", "18", weak={"Ø/QĐ-UBND"}, seconds={2: [second("number", "209", 99.0)]})
    assert got.number == "209/QĐ-UBND" and "number" in got.doubts


def test_the_same_number_and_day_in_an_annex_header_confirm_them() -> None:
    got = read("20/QĐ-UBND", "4$", weak={"20/QĐ-UBND", "4$", "210/QĐ-UBND", "18"}, annex=("210/QĐ-UBND", "18"),
               seconds={2: [second("number", "210")], 3: [second("day", "18")],
                        8: [second("number", "210", page=1), second("day", "18", page=1)]})
    assert (got.number, got.issue_date) == ("210/QĐ-UBND", date(2025, 2, 18))
    assert not got.doubts
    places = {r.place for r in got.evidence["number"].readings if r.value == "210"}
    assert places == {"đầu văn bản", "phụ lục trang 2"}


def test_an_annex_citing_another_form_of_number_is_no_repetition() -> None:
    got = read("209/QĐ-UBND", "18", weak={"209/QĐ-UBND"}, annex=("209/KH-UBND", "18"),
               seconds={2: [second("number", "208")]})
    assert "number" in got.doubts  # 209 (Tesseract) and 208 (second reader) disagree; the plan's 209 says nothing


def test_a_date_after_the_file_was_signed_cannot_be_and_another_reading_is_taken() -> None:
    got = read("209/QĐ-UBND", "18", weak={"18"}, seconds={3: [second("day", "19")]}, signed_on=date(2025, 2, 18))
    assert got.issue_date == date(2025, 2, 18)
    assert "sau ngày tệp được ký số 18/02/2025" in got.doubts["issue_date"]


def test_a_date_no_reading_can_make_possible_is_kept_flagged_with_the_reason() -> None:
    got = read("209/QĐ-UBND", "28", weak={"28"}, signed_on=date(2025, 2, 20))
    assert got.issue_date == date(2025, 2, 28)
    assert "không thể" in got.doubts["issue_date"] and "20/02/2025" in got.doubts["issue_date"]


def test_the_year_in_the_number_is_a_second_reading_of_the_years() -> None:
    lines = ["Số: 15/2019/QĐ-UBND", "Hà Nội, ngày 12 tháng 3 năm 2019", "QUYẾT ĐỊNH"]
    confidences = [[95.0, 95.0], [95.0] * 4 + [95.0, 95.0, 95.0, 40.0], [95.0]]
    got = extract(lines, CATALOGUE.labels_for("quyet_dinh"), title_index=2, confidences=confidences)
    year = [r for r in got.evidence["issue_date"].readings if r.part == "year"]
    assert {r.place for r in year} == {"đầu văn bản", "số ký hiệu"}
    assert got.issue_date == date(2019, 3, 12) and "issue_date" not in got.doubts


def test_print_read_surely_stands_alone_without_evidence() -> None:
    got = read("237/QĐ-UBND", "18", weak=set())
    assert (got.number, got.issue_date) == ("237/QĐ-UBND", date(2025, 2, 18))
    assert not got.doubts and not got.evidence


def test_print_read_surely_is_not_believed_when_the_second_reader_reads_otherwise() -> None:
    got = read("440/QĐ-UBND", "18", weak={"Bạc"}, seconds={2: [second("number", "210", 90.0)]})
    assert got.number == "440/QĐ-UBND" and "210" in got.doubts["number"]  # flagged with both readings, never silent
    weak = read("440/QĐ-UBND", "18", weak=set(), seconds={2: [second("number", "40", 20.0)]})
    assert "number" not in weak.doubts  # a second reading made without confidence does not gainsay print


def test_an_annex_citing_a_number_surely_never_stands_for_an_unread_header() -> None:
    """An annex may cite another decision of the same form: printed and read surely there, it only confirms."""
    got = read("4HØ/QĐ-UBND", "18", weak={"4HØ/QĐ-UBND"}, annex=("1676/QĐ-UBND", "15"))
    assert "number" in got.doubts and not got.evidence["number"].confirmed


def _printed(lines: list[str]) -> Extracted:
    return extract(lines, CATALOGUE.labels_for("quyet_dinh"), title_index=4, today=date(2026, 1, 1))


def test_the_issue_date_is_the_date_lines_never_a_date_written_above_it() -> None:
    """A date in dd/mm/yyyy above the date line (a received stamp, a cited document) is not the document's."""
    lines = [*HEAD[:2], "Đến Số: 88 Ngày: 03/01/2025", "Số: 209/QĐ-UBND", "Bạc Liêu, ngày 18 tháng 02 năm 2025",
             "QUYẾT ĐỊNH", "Về việc công bố thủ tục hành chính"]
    got = extract(lines, CATALOGUE.labels_for("quyet_dinh"), title_index=5, today=date(2026, 1, 1))
    assert got.issue_date == date(2025, 2, 18)


def test_the_issue_date_is_never_taken_from_a_body_line_after_the_date_line() -> None:
    lines = [line.format(number="209/QĐ-UBND", day="18") for line in HEAD] + [
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 01/02/2015 của Chủ tịch UBND tỉnh;",
        "Quyết định này có hiệu lực kể từ ngày 15/03/2025."]
    got = _printed(lines)
    assert got.issue_date == date(2025, 2, 18) and "issue_date" not in got.doubts
