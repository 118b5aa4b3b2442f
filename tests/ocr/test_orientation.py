"""Orientation is judged from the reading: words lying the right way and spelled as Vietnamese."""

from ocr.engine import Line, OcrPage, Word
from ocr.orientation import assess, better_turned, quarter_turn_back


def page(words: list[tuple[str, int, int]], conf: float = 93.0) -> OcrPage:
    line = Line(tuple(Word(text, conf, 10 * i, 0, w, h) for i, (text, w, h) in enumerate(words)))
    return OcrPage((line,), 1000, 1000, 300, b"")


UPRIGHT = [("QUYẾT", 200, 40), ("ĐỊNH", 160, 40), ("Về", 70, 40), ("việc", 120, 40), ("công", 130, 40),
           ("nhận", 120, 40), ("kết", 90, 40), ("quả", 90, 40)]


def test_an_upright_reading_needs_no_second_look() -> None:
    quality = assess(page(UPRIGHT))
    assert quality.upright(70) and not quality.sideways


def test_words_standing_on_end_mean_the_page_lies_on_its_side_even_at_high_confidence() -> None:
    on_end = [(text, h, w) for text, w, h in UPRIGHT]  # what Tesseract reports for a page on its side
    quality = assess(page(on_end, conf=94))
    assert quality.sideways and not quality.upright(70)
    assert better_turned(assess(page(UPRIGHT)), quality)


def test_glyph_soup_read_upside_down_is_not_upright() -> None:
    soup = [("'€£0£", 120, 40), ("tuợu", 120, 40), ("3upH)", 140, 40), ("JALLOS", 180, 40), ("ØS", 60, 40),
            ("ượqu", 110, 40), ("qNÑf1", 150, 40), ("Áy8u", 120, 40)]
    quality = assess(page(soup, conf=90))
    assert not quality.upright(70) and not quality.sideways


def test_a_page_is_not_turned_for_a_slightly_better_score() -> None:
    as_came = assess(page(UPRIGHT))
    assert not better_turned(as_came, as_came)


def test_a_page_with_almost_no_words_is_left_as_it_came() -> None:
    assert assess(page([("Ký", 60, 40), ("tên", 90, 40)], conf=40)).upright(70)


def test_a_signature_page_of_abbreviations_reads_upright() -> None:
    """The last page of a decision: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Lưu: VT, KT": few words, many of them
    abbreviations, which must not send it through three more readings."""
    signature_page = [("TM.", 90, 40), ("ỦY", 80, 40), ("BAN", 120, 40), ("NHÂN", 160, 40), ("DÂN", 120, 40),
                      ("PCT", 120, 40), ("UBND", 160, 40), ("Lưu:", 120, 40), ("VT,", 90, 40), ("KT;", 90, 40)]
    assert assess(page(signature_page)).upright(70)


def test_a_page_on_its_side_is_turned_back_the_way_its_reading_points() -> None:
    spelt = assess(page([(text, h, w) for text, w, h in UPRIGHT]))  # turned a quarter clockwise: read right
    soup = [("'€£0£", 40, 120), ("tuợu", 40, 120), ("3upH)", 40, 140), ("JALLOS", 40, 180), ("qNÑf1", 40, 150),
            ("Áy8u", 40, 120)]
    assert spelt.sideways and quarter_turn_back(spelt) == 270
    assert assess(page(soup)).sideways and quarter_turn_back(assess(page(soup))) == 90
