"""A name is known by what it is: two to six name words in one case, Title Case only from a known surname."""

from pipeline.name_run import name_run, name_span, unjoined

STOPS = ("gioi tinh", "dan toc", "truong phong")


def test_capitals_and_title_case_names_are_read_and_end_where_a_name_ends() -> None:
    assert name_run("NGUYỄN VĂN AN, sinh ngày") == "NGUYỄN VĂN AN"
    assert name_run("Lý Đình Hùng, sinh năm 1985") == "LÝ ĐÌNH HÙNG"
    assert name_run("Nguyễn Thị Thanh Hà sinh ngày 05/03/1990") == "NGUYỄN THỊ THANH HÀ"
    assert name_run("Hà Hữu Xuân Hải Giới tính: Nam", stops=STOPS) == "HÀ HỮU XUÂN HẢI"
    assert name_run("ông (bà) Nguyễn Hữu Nam", ["ông"]) == "NGUYỄN HỮU NAM"
    assert name_run("Ông/bà NGÔ BÍCH ANH", ["Ông/bà"]) == "NGÔ BÍCH ANH"


def test_what_is_not_a_name_is_not_taken_for_one() -> None:
    assert name_run("Hoa đến nộp hồ sơ") is None  # one word
    assert name_run("Trưởng Phòng Tư Pháp", stops=STOPS) is None  # a title: "Trưởng" is no "Trương"
    assert name_run("Căn Cứ Luật Tổ Chức") is None  # Title Case, but no surname first
    assert name_run("PHẦN GHI VỀ VỢ", surname=True) is None  # PHẦN is not PHAN: its letters differ
    assert name_run("Căn Cứ Luật") is None
    assert name_run("GIỚI TÍNH: Nam", stops=STOPS) is None  # another field's label
    assert name_run("Lê Văn An", title=False) is None  # a bare line: capitals only


def test_a_name_ocr_joined_or_glued_to_a_rule_is_still_read() -> None:
    assert name_run("|ViCông Quân | ngày 25") == "VI CÔNG QUÂN"
    assert name_run("Kiêu Hữu Quân", surname=True) == "KIỀU HỮU QUÂN"  # a surname's tone misread
    found = name_span("ông Lâm Xuân An, Trưởng phòng", ["ông"], STOPS)
    assert found is not None and found[0] == "LÂM XUÂN AN"
    assert "ông Lâm Xuân An, Trưởng phòng"[found[1]:].startswith(", Trưởng")  # where the name ends


def test_a_name_read_with_its_spaces_lost_is_parted_only_one_way() -> None:
    assert unjoined("NGUYÊNNGỌCNGA_") == ["NGUYÊN", "NGỌC", "NGA"]  # a table cell read without spaces
    found = name_span("NGÔBÁVĂNLỘC | 09/03/1930")
    assert found is not None and (found.name, found.spaces_restored) == ("NGÔ BÁ VĂN LỘC", True)
    assert unjoined("THANHOA") is None  # THANH OA or THAN HOA: the letters do not say
    assert unjoined("LÊTHỊ") == ["LÊ", "THỊ"]  # not LÊT HỊ: a final t takes no level tone
    found = name_span("ông VINGOC KIM NGA,", ["ông"])  # NGỌC's mark lost too; a name's first word from a surname
    assert found is not None and found.name == "VI NGOC KIM NGA"
    assert unjoined("ILONG") is None  # a lone "I" is a misread, not a syllable to part off
    assert unjoined("NGUYEN") is None  # a surname without its marks is one word
    assert name_span("NGUYỄN VĂN AN") == ("NGUYỄN VĂN AN", 13, False)
