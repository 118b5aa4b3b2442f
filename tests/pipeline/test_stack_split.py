"""Where a stack splits, decided from each page's look: separators split, blank backs are dropped, a first page
starts a document, and every split made on weak signs is asked about on both documents it touches."""

from __future__ import annotations

from domain.paper import ArchivalDescription
from pipeline.stack_signs import Separator
from pipeline.stack_split import PageLook, StackPlanner


def plan(looks: list[PageLook], planner: StackPlanner | None = None) -> tuple[StackPlanner, list]:
    planner = planner or StackPlanner()
    parts = [part for look in looks for part in planner.add(look)] + planner.finish()
    return planner, parts


def page(i: int, first: str = "none") -> PageLook:
    return PageLook(i, first=first)  # type: ignore[arg-type]


def test_first_pages_split_a_stack_and_blank_backs_are_dropped() -> None:
    looks = [page(0, "strong"), PageLook(1, blank=True), page(2), page(3, "strong"), PageLook(4, blank=True),
             page(5, "strong"), page(6)]
    planner, parts = plan(looks)
    assert [p.pages for p in parts] == [[0, 2], [3], [5, 6]]
    assert [(p.first_page, p.last_page) for p in parts] == [(1, 3), (4, 4), (6, 7)]
    assert planner.blanks == [1, 4] and planner.doubts == [] and all(not p.doubts for p in parts)


def test_a_split_on_weak_signs_is_asked_about_on_both_sides() -> None:
    planner, parts = plan([page(0, "strong"), page(1), page(2, "weak"), page(3)])
    assert [p.pages for p in parts] == [[0, 1], [2, 3]]  # split, not joined in silence
    [doubt] = planner.doubts
    assert (doubt.kind, doubt.page, doubt.before) == ("weak_start", 3, 2)
    assert parts[0].doubts == [doubt] and parts[1].doubts == [doubt]


def test_separators_split_and_a_first_page_between_them_is_asked_about() -> None:
    sep = Separator(None)
    looks = [PageLook(0, separator=sep), PageLook(1, blank=True), page(2, "strong"), page(3), page(4, "strong"),
             PageLook(5, separator=sep), page(6, "none"), page(7)]
    planner, parts = plan(looks)
    assert [p.pages for p in parts] == [[2, 3, 4], [6, 7]]  # separators decide; a page without signs after one too
    assert planner.separators == [0, 5] and planner.blanks == [1]
    [doubt] = planner.doubts
    assert (doubt.kind, doubt.page, doubt.before) == ("first_page_inside", 5, 4)
    assert parts[0].doubts == [doubt] and parts[1].doubts == []


def test_a_stack_that_begins_mid_document_says_so() -> None:
    planner, parts = plan([page(0), page(1, "strong")])
    assert [p.pages for p in parts] == [[0], [1]] and len(planner.doubts) == 1
    assert [(d.kind, d.page, d.before) for d in parts[0].doubts] == [("starts_mid_document", 1, None)]


def test_a_separator_carries_its_description_to_the_documents_after_it() -> None:
    box = ArchivalDescription(fonds="UBND xã Ia Kênh", inventory="3", box="12")
    folder = ArchivalDescription(file="7", sheets="1-4")
    _, parts = plan([page(0, "strong"), PageLook(1, separator=Separator(folder)), page(2, "strong")],
                    StackPlanner(description=box))
    assert parts[0].description == box
    assert parts[1].description == ArchivalDescription(fonds="UBND xã Ia Kênh", inventory="3", box="12", file="7",
                                                       sheets="1-4")


def test_separators_and_blanks_alone_make_no_document() -> None:
    _, parts = plan([PageLook(0, separator=Separator(None)), PageLook(1, blank=True)])
    assert parts == []


def test_a_separator_whose_description_cannot_be_read_still_separates_and_is_reported() -> None:
    box = ArchivalDescription(box="12")
    planner, parts = plan([page(0, "strong"), PageLook(1, separator=Separator(None, "separator: không có mục hop")),
                           page(2, "strong")], StackPlanner(description=box))
    assert [p.pages for p in parts] == [[0], [2]] and parts[1].description == box  # the earlier box kept
    assert planner.unread == [(1, "separator: không có mục hop")]
