"""One record per paper: is a new capture (a rescan, a phone photo, a render of the PDF) of a paper already archived?

A file identical to an archived original is found by its hash before any work. A different file of the same paper
is found after reading it: records that share its số/ký hiệu or a personal number are the candidates (the index
answers that at once), and one is the same paper when nothing read contradicts it (document type, number, issue
date, personal numbers) and either its page images match (`ocr.fingerprint`) or, with the same number and date,
its text does. When the number is handwritten and unread and no person is named (a decision), the records sharing
most of its rarest words are asked, and one is the same paper only if both its images and its words match. Two
papers of one printed form share their printed words and their layout but not the values filled in, so neither an
image likeness alone nor shared words alone decide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import OSA

from archive.base import OCR_TEXT
from context.services import Services
from domain.records import Manifest, PageInfo
from indexer.base import IndexUnavailable, RecordQuery
from indexer.document import code_key, folded_words, name_key
from ocr.fingerprint import SAME_PAPER, likeness
from pipeline.fields import Extracted
from pipeline.review import MIN_DPI

CANDIDATES = 20  # records looked at per anchor; more than any paper is captured
SAME_TEXT = 0.6  # share of words two readings of one paper have in common (OCR errors and all)
SAME_TEXT_PERSON_ONLY = 0.85  # when only a personal number is shared: one person holds many papers
LIKE_CANDIDATES = 5  # records looked at when only words are shared: the likeliest come first
MIN_WORDS = 20  # a reading shorter than this says too little to look for its paper by its words


@dataclass(frozen=True)
class Reading:
    """What was read off the new capture: enough to compare it with an archived record."""

    content_hash: str
    type_id: str | None
    extracted: Extracted
    pages: Sequence[PageInfo]
    text: str


@dataclass(frozen=True)
class Twin:
    manifest: Manifest
    reason: str  # Vietnamese, for the operator's summary


class DuplicateCheckFailed(Exception):
    """The index could not be asked: the capture is archived, and flagged because it was not compared."""


def find_twin(new: Reading, services: Services) -> Twin | None:
    """The archived record the new capture is another capture of, with the reason; None when there is none."""
    seen: set[str] = {new.content_hash}
    for manifest, anchor in _candidates(new, services, seen):
        if _contradiction(new, manifest):
            continue
        image = _image_likeness(new.pages, manifest.pages)
        if anchor == "words" and image < SAME_PAPER:
            continue  # not read from the archive: most such candidates are only papers on the same subject
        text = None
        if anchor == "words" or image < SAME_PAPER:
            text = _text_likeness(new.text, services.archive.read(manifest, OCR_TEXT).decode("utf-8", "replace"))
        if not _same_paper(anchor, image, text or 0.0):
            continue
        reasons = []
        if image >= SAME_PAPER:
            reasons.append(f"ảnh các trang giống nhau (độ giống {image:.2f})".replace(".", ","))
        if text is not None:
            reasons.append(f"nội dung chữ trùng {round(text * 100)}%")
        if anchor != "words":
            reasons.append(_anchor_words(new.extracted, anchor))
        return Twin(manifest, f"Bản chụp khác của giấy tờ đã lưu {manifest.result_code}: {', '.join(reasons)}.")
    return None


def _same_paper(anchor: str, image: float, text: float) -> bool:
    """Found by its words only, a record must look the same and read the same; found by its number or a person,
    either will do, words needing more when only a person is shared (one person holds many papers)."""
    if anchor == "words":
        return image >= SAME_PAPER and text >= SAME_TEXT
    return image >= SAME_PAPER or text >= (SAME_TEXT if anchor == "number_date" else SAME_TEXT_PERSON_ONLY)


def _candidates(new: Reading, services: Services, seen: set[str]) -> Iterator[tuple[Manifest, str]]:
    """Archived records sharing the new capture's number as read (doubtful or not), then a personal number or old ID,
    then the most of its rarest words (a handwritten number, no person: a decision)."""
    queries: list[tuple[RecordQuery, str]] = []
    extracted = new.extracted
    if extracted.number:  # even a doubtful reading: a rescan or render of the paper tends to read the same way
        queries.append((RecordQuery(number=extracted.number, limit=CANDIDATES), "number"))
    for person in extracted.persons:
        if person.personal_number and not person.problems:
            queries.append((RecordQuery(personal_number=person.personal_number, limit=CANDIDATES), "person"))
        elif person.old_id and not person.problems:
            queries.append((RecordQuery(old_id=person.old_id, limit=CANDIDATES), "person"))
    if any(p.fingerprint for p in new.pages) and len(folded_words(new.text)) >= MIN_WORDS:
        queries.append((RecordQuery(like=new.text, limit=LIKE_CANDIDATES), "words"))  # number and person unread
    for query, anchor in queries:
        try:
            hits = services.index.find(query)
        except IndexUnavailable as e:
            raise DuplicateCheckFailed(e.vietnamese) from e
        for hit in hits:
            if hit.content_hash in seen:
                continue
            seen.add(hit.content_hash)
            anchor_here = anchor
            if anchor == "number" and extracted.issue_date is not None and hit.issue_date == extracted.issue_date \
                    and not {"number", "issue_date"} & extracted.doubts.keys():
                anchor_here = "number_date"  # a number alone recurs (every body starts at 1 each year)
            manifest = services.archive.find(hit.content_hash)
            if manifest is not None:
                yield manifest, anchor_here


@dataclass(frozen=True)
class _Facts:
    type_id: str | None
    number: str | None
    issue_date: date | None
    ids: frozenset[str]  # personal numbers and old IDs
    names: frozenset[str] = frozenset()  # the people's names, folded (name_key)


def _archived_facts(old: Manifest) -> _Facts:
    """What an archived record says without doubt: a number or date it flagged for a person says nothing (a
    render's soup, "240/40QĐ-UBND", must not stand against the original's number read surely)."""
    f = old.fields
    flagged = {n.code for n in old.review}
    return _Facts(old.classification.type_id if "unknown_type" not in flagged else None,
                  f.number if not flagged & {"number_uncertain", "no_number"} else None,
                  f.issue_date if not flagged & {"issue_date_uncertain", "no_issue_date", "future_issue_date"}
                  else None,
                  frozenset(p.personal_number or p.old_id or "" for p in old.persons if not p.problems) - {""},
                  frozenset(name_key(p.name) for p in old.persons if p.name))


def _confident_facts(new: Reading) -> _Facts:
    """What a reading says without doubt: a doubtful number or date, or a person with problems, says nothing."""
    e = new.extracted
    return _Facts(new.type_id, e.number if "number" not in e.doubts else None,
                  e.issue_date if "issue_date" not in e.doubts else None,
                  frozenset(p.personal_number or p.old_id or "" for p in e.persons if not p.problems) - {""},
                  frozenset(name_key(p.name) for p in e.persons if p.name))


def _contradiction(new: Reading, old: Manifest | Reading) -> bool:
    """Something read confidently on both that differs: then they are two papers, however alike they look."""
    a = _confident_facts(new)
    b = _archived_facts(old) if isinstance(old, Manifest) else _confident_facts(old)
    return bool((a.type_id and b.type_id and a.type_id != b.type_id)
                or (a.number and b.number and code_key(a.number) != code_key(b.number))
                or (a.issue_date and b.issue_date and a.issue_date != b.issue_date)
                or (a.ids and b.ids and not a.ids & b.ids)
                or (a.names and b.names and not any(_same_name(x, y) for x in a.names for y in b.names)))


def _same_name(a: str, b: str) -> bool:
    """Two readings of one person's name: alike but for OCR damage (a letter in five may differ between a scan and
    a fax of the same paper). Papers of one form about two other people name no one in common."""
    return OSA.distance(a, b) <= max(2, min(len(a), len(b)) // 5)


def _same_paper_in_flight(new: Reading, other: Reading) -> bool:
    """Whether a capture being read at the same moment is the same paper: nothing contradicts, and the pages look
    alike or, with the same number and date read without doubt, the words are shared."""
    if _contradiction(new, other):
        return False
    if _image_likeness(new.pages, other.pages) >= SAME_PAPER:
        return True
    a, b = _confident_facts(new), _confident_facts(other)
    return bool(a.number and a.issue_date and (a.number, a.issue_date) == (b.number, b.issue_date)
                and _text_likeness(new.text, other.text) >= SAME_TEXT)


def claim(new: Reading, services: Services) -> Twin | None:
    """`find_twin`, and against the captures other workers are archiving at this moment: the twin, or None with the
    capture registered in flight until `services.captures.land(new.content_hash)`. A capture that looks like one in
    flight waits for it to be archived (at most the file time limit) and asks the index again."""
    flights = services.captures
    for _ in range(2):
        seen = flights.landings
        twin = find_twin(new, services)
        if twin is not None:
            return twin
        landed = flights.check_in(new.content_hash, new, lambda other: _same_paper_in_flight(new, other))
        if landed is None:
            if flights.landings == seen:
                return None
            twin = find_twin(new, services)  # one landed between the index's answer and the check-in: ask again
            if twin is not None:
                flights.land(new.content_hash)
            return twin
        landed.wait(services.settings.max_seconds_per_file)
    twin = find_twin(new, services)
    if twin is None:  # the look-alike failed or is still being archived: archived as a record of its own
        flights.check_in(new.content_hash, new, lambda _: False)
    return twin


def _image_likeness(new: Sequence[PageInfo], old: Sequence[PageInfo]) -> float:
    """The weakest page likeness over the pages both have, in order; 0 when either has no page images."""
    pairs = list(zip(new, old, strict=False))
    if not pairs or any(not a.fingerprint or not b.fingerprint for a, b in pairs):
        return 0.0
    return min(max(likeness(a.fingerprint, b.fingerprint), likeness(a.frame_fingerprint, b.frame_fingerprint))
               for a, b in pairs)


def _text_likeness(a: str, b: str) -> float:
    """Words the two readings share, as a share of the shorter reading (a capture of fewer pages still counts)."""
    x, y = Counter(folded_words(a)), Counter(folded_words(b))
    smaller = min(sum(x.values()), sum(y.values()))
    return sum((x & y).values()) / smaller if smaller >= 20 else 0.0  # a few words say nothing


def fuller_capture(pages: Sequence[PageInfo], *, original: bool, old: Manifest) -> str | None:
    """Why a new capture of an archived record's paper is the fuller one and should become the record (Vietnamese),
    or None when the archived one is at least as full. Fuller: more pages (the whole decision over a render of its
    first page); an original (born-digital, or carrying its signatures: `original`) over a render or a photo;
    a capture that meets the standard (200 dpi or more, not a fax) over one that does not."""
    if len(pages) != len(old.pages):
        return f"nhiều trang hơn ({len(pages)} so với {len(old.pages)} trang)" if len(pages) > len(old.pages) else None
    was_original = (old.text_layer is not None and old.text_layer.trusted) or any(
        s.intact for s in old.arrived_signatures)
    if original and not was_original:
        return "bản gốc điện tử (có chữ ký số hoặc văn bản gốc) thay cho bản chụp, bản dựng hình"
    if was_original:
        return None
    scanned = [p for p in pages if p.source == "ocr"]
    before = [p for p in old.pages if p.source == "ocr"]
    if scanned and before and not any(p.fax or p.dpi < MIN_DPI for p in scanned) and any(
            p.fax or p.dpi < MIN_DPI for p in before):
        return (f"bản quét lại đạt chuẩn ({min(p.dpi for p in scanned)} dpi) thay bản dưới chuẩn "
                f"({'bản fax' if any(p.fax for p in before) else f'{min(p.dpi for p in before)} dpi'})")
    return None


def _anchor_words(extracted: Extracted, anchor: str) -> str:
    if anchor == "number_date" and extracted.issue_date:
        return f"cùng số {extracted.number} ngày {extracted.issue_date:%d/%m/%Y}"
    return "cùng số định danh của người được cấp" if anchor == "person" else f"cùng số {extracted.number}"
