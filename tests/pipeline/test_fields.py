from datetime import date

from context.settings import load_catalogue
from pipeline.fields import extract

CATALOGUE = load_catalogue()


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines()]


def test_a_marriage_certificate_gives_both_spouses() -> None:
    text = lines("""
        ỦY BAN NHÂN DÂN
        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
        XÃ IA PAL
        Độc lập - Tự do - Hạnh phúc
        Số: 45
        Ia Pal, ngày 20 tháng 06 năm 2019
        GIẤY CHỨNG NHẬN KẾT HÔN
        Họ, chữ đệm, tên vợ: LÊ THỊ MAI
        Ngày, tháng, năm sinh: 12/05/1995
        Số định danh cá nhân: 064195000123
        Họ, chữ đệm, tên chồng: ĐẶNG VĂN ĐẠT
        Ngày, tháng, năm sinh: 03/11/1992
        Số định danh cá nhân: 064092000456
    """)
    got = extract(text, CATALOGUE.labels_for("ket_hon"), title_index=6)
    assert got.number == "45"
    assert got.issue_date == date(2019, 6, 20)
    assert got.issuer == "ỦY BAN NHÂN DÂN XÃ IA PAL"
    assert [(p.role, p.name, p.dob, p.personal_number, p.problems) for p in got.persons] == [
        ("wife", "LÊ THỊ MAI", date(1995, 5, 12), "064195000123", []),
        ("husband", "ĐẶNG VĂN ĐẠT", date(1992, 11, 3), "064092000456", []),
    ]


def test_several_labels_on_one_line_are_all_read() -> None:
    got = extract(["Họ và tên: BÙI ĐỨC TUẤN Giới tính: Nam",
                   "Sinh ngày: 03/10/1970 Dân tộc: Kinh Quốc tịch: Việt Nam",
                   "Số giấy tờ pháp lý của cá nhân: 064070556298"], CATALOGUE.labels_for("ho_kinh_doanh"),
                  title_index=None)
    [person] = got.persons
    assert (person.role, person.name, person.sex, person.dob, person.personal_number) == (
        "owner", "BÙI ĐỨC TUẤN", "Nam", date(1970, 10, 3), "064070556298")


def test_a_name_after_an_honorific_in_running_text_may_wrap_to_the_next_line() -> None:
    got = extract(["Điều 1. Hỗ trợ kinh phí cho ông HUỲNH QUỐC",
                   "SƠN, sinh ngày 17/12/1982, số định danh cá nhân 040082144009, thường trú tại Thôn 1"],
                  CATALOGUE.labels_for("quyet_dinh"), title_index=None)
    [person] = got.persons
    assert (person.role, person.name, person.dob, person.personal_number) == (
        "beneficiary", "HUỲNH QUỐC SƠN", date(1982, 12, 17), "040082144009")


def test_an_old_id_card_number_is_kept_as_such() -> None:
    got = extract(["Họ, chữ đệm, tên: TRẦN THỊ LAN", "Ngày, tháng, năm sinh: 02/09/1978",
                   "Giấy tờ tùy thân: Chứng minh nhân dân số 230987654"], CATALOGUE.labels_for("tinh_trang_hon_nhan"),
                  title_index=None)
    [person] = got.persons
    assert (person.old_id, person.personal_number) == ("230987654", None)


def test_labels_read_without_tone_marks_and_ids_with_look_alikes() -> None:
    got = extract(["Ho, chu dem, ten: NGUYEN VAN A", "Ngay, thang, nam sinh: 01/02/1990",
                   "So dinh danh ca nhan: O64O9OOOOl23"], CATALOGUE.labels_for("khai_sinh"), title_index=None)
    [person] = got.persons
    assert (person.name, person.personal_number) == ("NGUYỄN VĂN A", "064090000123")  # surname, middle corrected


def test_numbers_that_fail_their_checks_are_kept_with_their_problems() -> None:
    got = extract(["Họ, chữ đệm, tên: LÊ VĂN B", "Ngày, tháng, năm sinh: 01/02/1991", "Giới tính: Nữ",
                   "Số định danh cá nhân: 003090000123"], CATALOGUE.labels_for("khai_sinh"), title_index=None)
    [person] = got.persons
    assert person.personal_number == "003090000123"
    assert person.problems == ["province", "birth_year", "sex"]


def test_parents_without_ids_are_people_but_not_the_registrant() -> None:
    got = extract(["Họ, chữ đệm, tên: NGUYỄN VĂN C", "Số định danh cá nhân: 001215912779",
                   "Họ, chữ đệm, tên người mẹ: ĐỖ NGỌC YẾN", "Năm sinh: 1988",
                   "Họ, chữ đệm, tên người cha: NGUYỄN MINH DŨNG"], CATALOGUE.labels_for("khai_sinh"), title_index=None)
    assert [(p.role, p.name, p.personal_number) for p in got.persons] == [
        ("registrant", "NGUYỄN VĂN C", "001215912779"), ("mother", "ĐỖ NGỌC YẾN", None),
        ("father", "NGUYỄN MINH DŨNG", None)]


def test_the_issue_date_is_the_place_date_line_not_a_cited_law() -> None:
    got = extract(["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                   "Gia Lai, ngày 16 tháng 09 năm 2021"], CATALOGUE.labels_for("quyet_dinh"), title_index=None)
    assert got.issue_date == date(2021, 9, 16)


def test_a_registration_date_is_used_when_there_is_no_place_date_line() -> None:
    got = extract(["Số: 12", "Ngày, tháng, năm đăng ký: 18/12/2011"], CATALOGUE.labels_for("khai_sinh"),
                  title_index=None)
    assert got.issue_date == date(2011, 12, 18)


def test_document_numbers_are_normalised() -> None:
    assert extract(["Số: 12O/QĐ-UBND"], CATALOGUE.labels_for(None), title_index=None).number == "120/QĐ-UBND"
    assert extract(["Số: 5Ì"], CATALOGUE.labels_for(None), title_index=None).number == "51"
    assert extract(["Số: 39C8303514"], CATALOGUE.labels_for(None), title_index=None).number == "39C8303514"
    assert extract(["Số định danh cá nhân: 064090000123"], CATALOGUE.labels_for(None), title_index=None).number is None


def test_the_issuer_skips_the_motto_even_when_ocr_joins_the_columns() -> None:
    got = extract(["UBND HUYỆN CHƯ SÊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "PHÒNG TÀI CHÍNH - KẾ HOẠCH",
                   "Độc lập - Tự do - Hạnh phúc", "Chư Sê, ngày 11 tháng 07 năm 2021",
                   "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH"], CATALOGUE.labels_for("ho_kinh_doanh"), title_index=4)
    assert got.issuer == "UBND HUYỆN CHƯ SÊ PHÒNG TÀI CHÍNH - KẾ HOẠCH"


def test_nothing_found_in_empty_text() -> None:
    got = extract([], CATALOGUE.labels_for(None), title_index=None)
    assert (got.number, got.issue_date, got.issuer, got.persons) == (None, None, None, [])


DECISION_HEAD = """
    ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    TỈNH BẠC LIÊU Độc lập - Tự do - Hạnh phúc
    Số: {number}
    Bạc Liêu, ngày {day} tháng 02 năm 2025
    QUYẾT ĐỊNH
    Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
    Căn cứ Quyết định số 12/QĐ-UBND ngày 17 tháng 02 năm 2025;
    Điều 1. Quyết định có hiệu lực từ ngày 01 tháng 3 năm 2025.
"""


def decision(number: str = "237/QĐ-UBND", day: str = "18", confidences: bool = False) -> object:
    text = lines(DECISION_HEAD.format(number=number, day=day))
    confs = None
    if confidences:  # the handwritten number and day read at low confidence, the print at high
        confs = [[40.0 if (w.strip("/") and w.split("/")[0] in (number.split("/")[0], day)) else 95.0
                  for w in line.split(" ")] for line in text]
    return extract(text, CATALOGUE.labels_for("quyet_dinh"), title_index=4, confidences=confs)


def test_the_date_comes_from_the_documents_own_date_line() -> None:
    got = decision()
    assert got.number == "237/QĐ-UBND" and got.issue_date == date(2025, 2, 18) and not got.doubts


def test_a_handwritten_day_that_cannot_be_read_is_doubted_never_replaced_by_a_date_from_the_body() -> None:
    got = decision(day="f$")
    assert got.issue_date is None
    assert "Bạc Liêu, ngày f$ tháng 02 năm 2025" in got.doubts["issue_date"]


def test_a_number_and_day_read_at_low_confidence_are_doubted_with_the_reading() -> None:
    got = decision(number="440/QĐ-UBND", day="18", confidences=True)
    assert got.number == "440/QĐ-UBND"
    assert "440/QĐ-UBND" in got.doubts["number"] and "40%" in got.doubts["number"]
    assert "viết tay" in got.doubts["issue_date"]


def test_a_number_left_blank_or_unreadable_is_said_so() -> None:
    assert decision(number="/QĐ-UBND").number is None
    assert "để trống" in decision(number="/QĐ-UBND").doubts["number"]
    assert "Không đọc được số" in decision(number=".-/ /QĐ-UBND").doubts["number"]


def test_a_handwritten_number_before_the_printed_tail_is_joined_and_lookalike_slashes_normalised() -> None:
    assert decision(number="209 /QĐ-UBND").number == "209/QĐ-UBND"
    assert decision(number="5\u20444 /QĐ\u2013UBND").number == "5/4/QĐ-UBND"


def test_a_date_before_a_document_the_decision_cites_is_doubted() -> None:
    got = decision(day="10")  # misread: the decision cites one of 17/02/2025
    assert got.issue_date == date(2025, 2, 10)
    assert "17/02/2025" in got.doubts["issue_date"]


def test_the_register_book_of_a_civil_status_entry_is_read() -> None:
    got = extract(["Số: 256", "Quyển số: 01/2O15"], CATALOGUE.labels_for("khai_sinh"), title_index=None)
    assert got.register_book == "01/2015"


def test_a_household_business_number_keeps_the_letter_its_form_has() -> None:
    """'84D8417225' (two digits, a letter, eight digits) is the type's own form: its D is no misread 0. A number of
    another type with a letter among digits is still read as digits ('12O' -> '120')."""
    business = CATALOGUE.get("ho_kinh_doanh").number_pattern
    decision = CATALOGUE.get("quyet_dinh").number_pattern
    assert extract(["Số: 84D8417225"], CATALOGUE.labels_for("ho_kinh_doanh"), title_index=None,
                   number_pattern=business).number == "84D8417225"
    assert extract(["Số: 12O/QĐ-UBND"], CATALOGUE.labels_for("quyet_dinh"), title_index=None,
                   number_pattern=decision).number == "120/QĐ-UBND"


def test_a_name_is_found_after_any_form_of_address_not_only_a_label() -> None:
    for text, name in [("Cấp cho: Ông/bà NGUYỄN VĂN AN", "NGUYỄN VĂN AN"),
                       ("Xác nhận đối với anh TRẦN QUỐC BẢO, sinh ngày 02/09/1990", "TRẦN QUỐC BẢO"),
                       ("Đã đăng ký khai sinh cho cháu LÊ THỊ MAI", "LÊ THỊ MAI"),
                       ("chị Phạm Thu Hà đến nộp hồ sơ", "PHẠM THU HÀ"),  # Title Case, as a body writes names
                       ("Xét đề nghị của ông Trần Văn Bình, Trưởng phòng Tư pháp,", None),  # an official
                       ("chị Hoa đến nộp hồ sơ", None),  # a given name alone is no name
                       ("Cán bộ Lý Thu Chi\nNguyễn Văn An ký", None)]:  # "Chi" a name, "chị" an honorific
        found = [p.name for p in extract(lines(text), CATALOGUE.labels_for(None), title_index=None).persons]
        assert found == ([name] if name else []), text


def test_a_longer_label_than_the_configured_ones_still_gives_the_name_and_its_role_words_the_role() -> None:
    cases = [("Họ và tên chủ hộ kinh doanh: NGUYỄN VĂN AN", "ho_kinh_doanh", ("NGUYỄN VĂN AN", "owner")),
             ("Họ và tên vợ: PHẠM THỊ DUNG", "ket_hon", ("PHẠM THỊ DUNG", "wife")),
             ("Họ và tên người đi khai tử: LÊ VĂN CƯỜNG", "khai_tu", ("LÊ VĂN CƯỜNG", "declarant")),
             ("Họ và tên | ĐỖ VĂN EM", "khai_sinh", ("ĐỖ VĂN EM", "registrant")),  # a ruled table's cells
             ("Họ và tên theo giấy tờ: TRẦN THỊ BÌNH", "tinh_trang_hon_nhan", ("TRẦN THỊ BÌNH", "subject"))]
    for text, type_id, expected in cases:
        persons = extract(lines(text), CATALOGUE.labels_for(type_id), title_index=None).persons
        assert [(p.name, p.role) for p in persons] == [expected], text
    # Words that are not a label's end do not make one: a sentence with a colon later on gives no name.
    assert extract(lines("Họ và tên của người này được ghi trong sổ 12: xem sổ"), CATALOGUE.labels_for(None),
                   title_index=None).persons == []


def test_a_label_with_a_letter_misread_is_still_its_label_and_other_labels_are_not_taken_for_one() -> None:
    text = "Hq và tên: NGUYỄN VĂN AN\nSinh ngàv: 02/09/1978\nSố đinh danh cá nhăn: 064086927066"
    persons = extract(lines(text), CATALOGUE.labels_for("khai_sinh"), title_index=None).persons
    assert [(p.name, p.dob, p.personal_number) for p in persons] == [("NGUYỄN VĂN AN", date(1978, 9, 2),
                                                                      "064086927066")]
    for other in ("Nơi cư trú: THÔN HAI XÃ IA BLANG", "Quốc tịch: VIỆT NAM", "Dân tộc: KINH BA NA"):
        assert extract(lines(other), CATALOGUE.labels_for("khai_sinh"), title_index=None).persons == [], other


def test_an_issuer_whose_place_the_date_line_spells_otherwise_is_doubted_unless_it_is_a_known_name() -> None:
    head = ["UBND HUYỆN CHƯ SẼ", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"]
    got = extract([*head, "Chư Sê, ngày 04 tháng 10 năm 2017", "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH"],
                  CATALOGUE.labels_for("ho_kinh_doanh"), title_index=3)
    assert got.issuer == "UBND HUYỆN CHƯ SẼ PHÒNG TÀI CHÍNH - KẾ HOẠCH"  # kept as read, and a person told why
    assert "«CHƯ SẼ»" in got.doubts["issuer"] and "«Chư Sê»" in got.doubts["issuer"]
    province = extract(["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Lâm Đông, ngày 20 tháng 02 năm 2025", "QUYẾT ĐỊNH"],
                       CATALOGUE.labels_for("quyet_dinh"), title_index=3)
    assert province.issuer == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" and "issuer" not in province.doubts  # known name
    other = extract(["ỦY BAN NHÂN DÂN", "XÃ IA BLANG", "la Blang, ngày 16 tháng 10 năm 2011", "GIẤY CHỨNG TỬ"],
                    CATALOGUE.labels_for("khai_tu"), title_index=3)
    assert other.issuer == "ỦY BAN NHÂN DÂN XÃ IA BLANG" and "issuer" not in other.doubts  # letters differ


def test_a_line_of_capitals_above_a_number_names_its_person_without_a_label() -> None:
    text = lines("""
        QUYẾT ĐỊNH
        Điều 1. Hỗ trợ kinh phí cho các hộ có tên sau:
        1. NGUYỄN VĂN AN
        Số định danh cá nhân: 064090000123
        2. Bà TRẦN THỊ BÌNH
        Sinh ngày 02/09/1978, CMND số 230987654
        CHỦ TỊCH
        PHẠM VĂN CƯỜNG
    """)
    persons = extract(text, CATALOGUE.labels_for("quyet_dinh"), title_index=0).persons
    assert [(p.role, p.name, p.personal_number or p.old_id) for p in persons] == [
        ("beneficiary", "NGUYỄN VĂN AN", "064090000123"), ("beneficiary", "TRẦN THỊ BÌNH", "230987654")]
    # the signer's name stands over no number: not a person of the record
    unanchored = extract(lines("QUYẾT ĐỊNH\nNGUYỄN VĂN AN\nĐịa chỉ: Thôn 1\nGhi chú: không\nSố định danh cá nhân: "
                               "064090000123"), CATALOGUE.labels_for("quyet_dinh"), title_index=0).persons
    assert [p.name for p in unanchored] == [None]  # three lines above: too far to be its name


def test_a_blurred_date_line_is_trusted_when_the_same_date_is_read_surely_in_print_elsewhere() -> None:
    text = ["GIẤY CHỨNG NHẬN KẾT HÔN", "Tân An, ngày 12 tháng 02 năm 2012", "Ngày, tháng, năm đăng ký: 12/02/2012"]
    blurred = [[95.0] * 5, [97, 96, 96, 75, 94, 97, 97, 68], [95.0] * 6]
    assert "issue_date" not in extract(text, CATALOGUE.labels_for("ket_hon"), title_index=0,
                                       confidences=blurred).doubts
    other = [*text[:2], "Ngày, tháng, năm đăng ký: 12/02/2013"]
    doubted = extract(other, CATALOGUE.labels_for("ket_hon"), title_index=0, confidences=blurred)
    assert "68%" in doubted.doubts["issue_date"]  # no second reading agrees: a person checks
    by_hand = [[False] * 5, [False] * 8, [False] * 5 + [True]]  # the agreeing date was written in: no witness
    assert "issue_date" in extract(text, CATALOGUE.labels_for("ket_hon"), title_index=0, confidences=blurred,
                                   inked=by_hand).doubts


def test_a_name_word_that_is_no_syllable_is_mended_to_the_one_close_surname_or_flagged() -> None:
    from domain.records import Classification
    from pipeline.review import review_notes

    labels = CATALOGUE.labels_for("tinh_trang_hon_nhan")
    kind = Classification(type_id="tinh_trang_hon_nhan", type_name="Giấy xác nhận tình trạng hôn nhân",
                          confidence=1.0, needs_review=False)
    misread = extract(lines("Họ và tên: I.Ê THANH TÂM\nSinh ngày: 02/09/1990"), labels, title_index=None)
    assert misread.persons[0].name == "LÊ THANH TÂM"  # the L read as "I.": the one surname a letter away
    assert "LÊ" in misread.evidence["persons.0.name"].reason and not misread.evidence["persons.0.name"].confirmed
    notes = review_notes(kind, misread, [], date(2026, 1, 1), CATALOGUE.get("tinh_trang_hon_nhan"))
    assert any(n.code == "name_uncertain" for n in notes)  # mended, and said so: a person confirms it
    odd = extract(lines("Họ và tên: HỒ VĂN ILONG\nSinh ngày: 02/09/1990"), labels, title_index=None)
    assert odd.persons[0].name == "HỒ VĂN ILONG" and "ILONG" in odd.evidence["persons.0.name"].reason
    highlands = extract(lines("Họ và tên: KSOR H'HEN\nSinh ngày: 02/09/1990"), labels, title_index=None)
    assert highlands.persons[0].name == "KSOR H'HEN" and not highlands.evidence  # a Jrai name, not a misreading


def test_personal_numbers_under_other_wordings_and_with_spaces_are_read() -> None:
    labels = CATALOGUE.labels_for("tinh_trang_hon_nhan")
    for wording in ("Số CCCD", "Căn cước số", "Mã định danh", "Số định danh"):
        got = extract(lines(f"Họ và tên: TRẦN VĂN BÌNH\n{wording}: 0640 8692 7066"), labels, title_index=None)
        assert got.persons[0].personal_number == "064086927066", wording
    for written in ("05-03-1990", "05.03.1990", "5/3/1990"):
        got = extract(lines(f"Họ và tên: TRẦN VĂN BÌNH\nSinh ngày: {written}"), labels, title_index=None)
        assert got.persons[0].dob == date(1990, 3, 5), written


def test_a_person_is_anchored_wherever_they_stand() -> None:
    """After a label of any wording, under it, in a table cell or a header row, after a role word, in a sentence."""
    cases = [
        ("ho_kinh_doanh", "Chủ hộ kinh doanh: DƯƠNG CÔNG QUÂN\nSinh ngày: 05-03-1990", "DƯƠNG CÔNG QUÂN", "owner"),
        ("giay_phep_xay_dung", "Cấp cho ông (bà) | Nguyễn Hữu Nam\nSố CCCD | 0640 8692 7066", "NGUYỄN HỮU NAM",
         "owner"),
        ("quyet_dinh", "Hưởng chế độ người có công đối với ông/bà Lý Đình Hùng, sinh năm 1985", "LÝ ĐÌNH HÙNG",
         "beneficiary"),
        ("khai_tu", "Họ tên người đã chết:\nTrần Văn Bình\nNgày tháng năm sinh:\n12.04.1941", "TRẦN VĂN BÌNH",
         "deceased"),
        ("khai_tu", "STT | Họ tên | Ngày/tháng/năm sinh | Số CMND\n| Lê Thị Hoa | 01/02/1950 | 230111222",
         "LÊ THỊ HOA", "deceased"),
        ("ket_hon", "Thông tin người chồng:\nHọ tên: NGÔ VĂN BA\nSinh ngày: 5/3/1990", "NGÔ VĂN BA", "husband"),
        ("quyet_dinh", "Người được hỗ trợ: Lý Đình Hùng\nNgười thực hiện: Trần Văn Bình", "LÝ ĐÌNH HÙNG",
         "beneficiary"),  # the one who receives the act, not the one who performs it
    ]
    for type_id, text, name, role in cases:
        persons = extract(lines(text), CATALOGUE.labels_for(type_id), title_index=None).persons
        assert [(p.name, p.role) for p in persons] == [(name, role)], text


def test_a_year_of_birth_alone_is_stored_as_a_year_not_invented_into_a_day() -> None:
    for text in ("Cấp cho ông Lý Đình Hùng, sinh năm 1985, CCCD số 064085123456",
                 "Họ và tên: LÝ ĐÌNH HÙNG\nNăm sinh: 1985\nSố CCCD: 064085123456"):
        person = extract(lines(text), CATALOGUE.labels_for("giay_phep_xay_dung"), title_index=None).persons[0]
        assert (person.name, person.dob, person.birth_year) == ("LÝ ĐÌNH HÙNG", None, 1985), text


def test_relatives_witnesses_and_officials_named_in_a_sentence_are_not_the_subject() -> None:
    text = ("Họ và tên người chết: NGUYỄN VĂN AN\nLà con của ông Nguyễn Văn Bình.\n"
            "Người làm chứng là bà Lê Thị Cúc.\nXét đề nghị của ông Phạm Văn Dũng, Công chức Tư pháp - Hộ tịch.")
    persons = extract(lines(text), CATALOGUE.labels_for("khai_tu"), title_index=None).persons
    assert [(p.name, p.role) for p in persons] == [("NGUYỄN VĂN AN", "deceased"), ("NGUYỄN VĂN BÌNH", "parent"),
                                                   ("LÊ THỊ CÚC", "witness")]


def test_a_printed_name_read_unsurely_is_kept_and_flagged_unless_the_unsure_word_is_a_known_surname() -> None:
    labels = CATALOGUE.labels_for("giay_phep_xay_dung")
    doubtful = extract(["Họ và tên: PHAN NGỌC YÊN"], labels, title_index=None,
                       confidences=[[97, 97, 97, 93, 90, 17]])  # "YÊN" where the paper has YẾN
    assert doubtful.persons[0].name == "PHAN NGỌC YÊN"
    evidence = doubtful.evidence["persons.0.name"]
    assert not evidence.confirmed and "17%" in evidence.reason
    surname = extract(["Họ và tên: NGUYÊN VĂN NGHĨA"], labels, title_index=None,
                      confidences=[[97, 97, 97, 57, 96, 97]])  # the surname's marks come from the list
    assert surname.persons[0].name == "NGUYỄN VĂN NGHĨA" and "persons.0.name" not in surname.evidence


def test_a_personal_number_whose_label_ocr_garbled_is_taken_when_it_encodes_the_birth_year() -> None:
    # "Số CCCD" in capitals read as "DöLCC21):": the number under it is a personal number of a real province
    # whose year of birth is the person's: theirs.
    got = extract(["Họ và tên người chồng:", "NGUYỄN BÁ XUÂN HIẾU", "Ngày sinh:", "05-12-1979", "DöLCC21):",
                   "0520 7920 3535"], CATALOGUE.labels_for("ket_hon"), title_index=None)
    [person] = got.persons
    assert person.personal_number == "052079203535"
    # A number of twelve figures that does not encode the year (a phone, a file) is nobody's personal number.
    got = extract(["Họ, chữ đệm, tên: LÊ THU YÊN", "Ngày sinh: 30/03/1997", "S0.ŒG(ŒC1Ð: 052079203535"],
                  CATALOGUE.labels_for("tinh_trang_hon_nhan"), title_index=None)
    assert got.persons[0].personal_number is None
    # Nor is it taken for a person whose year of birth the paper does not give.
    got = extract(["Họ, chữ đệm, tên: LÊ THU YÊN", "S0.ŒG(ŒC1Ð: 066197694498"],
                  CATALOGUE.labels_for("tinh_trang_hon_nhan"), title_index=None)
    assert got.persons[0].personal_number is None


def test_a_birth_date_in_words_cut_before_its_year_is_joined_with_the_next_line() -> None:
    got = extract(["Đồng ý để ông/bà HÀ THU NHÀN, sinh ngày mồng tám tháng mười một năm",
                   "một nghìn chín trăm chín mươi lăm; Số căn cước 0661 9587 2891, được hưởng theo"],
                  CATALOGUE.labels_for("giay_phep_xay_dung"), title_index=None)
    [person] = got.persons
    assert (person.name, person.dob, person.personal_number) == ("HÀ THU NHÀN", date(1995, 11, 8), "066195872891")


def test_a_name_read_without_its_spaces_is_parted_and_flagged() -> None:
    got = extract(["STT | Tên người được xác nhận | Ngày, tháng, năm sinh | Số CMND",
                   "1 | NGUYÊNNGỌCNGA_ | ngày 5 tháng 10 năm 1989 | 249114653"],
                  CATALOGUE.labels_for("tinh_trang_hon_nhan"), title_index=None)
    [person] = got.persons
    assert (person.name, person.dob, person.old_id) == ("NGUYỄN NGỌC NGA", date(1989, 10, 5), "249114653")
    flag = got.evidence["persons.0.name"]
    assert not flag.confirmed and "mất dấu cách" in flag.reason and "NGUYỄN NGỌC NGA" in flag.reason


def test_a_name_word_whose_tone_makes_it_no_common_name_is_flagged_with_the_common_one() -> None:
    # QUÂN read as QUẦN at 85%: a syllable, read with confidence, but no one is named "Quần".
    labels = CATALOGUE.labels_for("ho_kinh_doanh")
    got = extract(["Họ và tên: PHẠM VĂN QUẦN", "Sinh ngày: 20/06/1967"], labels, title_index=None,
                  confidences=[[90, 90, 90, 92, 96, 85], [90, 90, 90]])
    flag = got.evidence["persons.0.name"]
    assert got.persons[0].name == "PHẠM VĂN QUẦN"  # kept as read: the paper decides
    assert not flag.confirmed and "«QUÂN»" in flag.reason
    # A common name read with confidence carries no flag.
    got = extract(["Họ và tên: PHẠM VĂN QUÂN", "Sinh ngày: 20/06/1967"], labels, title_index=None,
                  confidences=[[90, 90, 90, 92, 96, 85], [90, 90, 90]])
    assert "persons.0.name" not in got.evidence
    # A born-digital text layer spells the name as the issuer typed it: a rare name there is no misreading.
    got = extract(["Họ và tên: PHẠM VĂN QUẦN", "Sinh ngày: 20/06/1967"], labels, title_index=None)
    assert "persons.0.name" not in got.evidence


def test_a_title_case_name_after_an_honorific_with_one_word_ocr_damaged_is_taken_and_flagged() -> None:
    got = extract(["PHẦN GHI VỀ VỢ", "Xác nhận bà Phạm Diệu Luụa, sinh ngày 2 tháng 4 năm 1999, Số CMND",
                   "252475105, cư trú tại thôn 15."], CATALOGUE.labels_for("ket_hon"), title_index=None)
    [wife] = got.persons
    assert (wife.role, wife.name, wife.old_id) == ("wife", "PHẠM DIỆU LUỤA", "252475105")
    assert not got.evidence["persons.0.name"].confirmed  # LUỤA is no syllable: a person looks
    # Without an honorific or a label before it, a Title Case run with such a word is no name.
    got = extract(["Phạm Diệu Luụa sinh ngày 2 tháng 4 năm 1999"], CATALOGUE.labels_for("ket_hon"), title_index=None)
    assert all(p.name is None for p in got.persons)
