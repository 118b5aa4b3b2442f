import pytest

from ocr.syllables import is_syllable, is_written_word, syllable_share


@pytest.mark.parametrize("word", ["Quyết", "định", "nghiêng", "khuya", "Ủy", "BAN", "NHÂN", "DÂN", "xã,", "(tỉnh)",
                                  "chuyển", "giữa", "người", "hoặc", "khuyến", "ươm"])
def test_vietnamese_spellings_are_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["UBND", "3upH)", "tuợu", "JALLOS", "qNÑf1", "ượqu", "Áy8u", "hoặcc", "quyếtđ",
                                  "nghĩả", "12", ""])
def test_text_read_the_wrong_way_up_or_codes_are_not(word: str) -> None:
    assert not is_syllable(word)


def test_the_share_judges_tokens_with_letters() -> None:
    assert syllable_share(["Số:", "12/2024/QĐ-UBND", "ngày", "15", "tháng"]) == 0.75  # the code counts against
    assert syllable_share(["ượqu", "ưzq", "Áƒ1", "quÏp"]) == 0.0
    assert syllable_share([]) == 0.0


@pytest.mark.parametrize("token", ["Quyết", "UBND", "TM.", "PCT", "VT,", "KT;", "II", "HĐND", "96/2023/NĐ-CP;",
                                   "tuyến/Theo", "CVP", "(MN)"])
def test_abbreviations_and_joined_codes_are_written_words(token: str) -> None:
    """What a signature page is made of ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Lưu: VT, KT") reads as Vietnamese."""
    assert is_written_word(token)


@pytest.mark.parametrize("token", ["JALLOS", "3upH)", "Áy8u", "qwy", "QUYÉT", "tuợu/Theo", "12/2020", "0l", "A+", ""])
def test_soup_misreadings_and_bare_numbers_are_not_written_words(token: str) -> None:
    assert not is_written_word(token)
