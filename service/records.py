"""One record: show it, list those waiting for a reviewer, verify an e-copy someone hands in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from archive.base import ORIGINAL, SIGNED_PDF
from archive.stacks import read_stack
from context.services import Services
from domain.actor import Actor
from domain.records import Manifest
from indexer.base import Hit
from service.access import (
    check_copy_grant,
    check_not_guessing,
    count_lookup,
    not_found,
    note_unknown,
    people_in,
    reach,
    take_allowance,
)
from service.errors import InvalidRequest, NotFound
from service.links import mint
from service.permissions import require

if TYPE_CHECKING:  # verification loads pyHanko (over a second): imported by the calls that verify, not by lookups
    from signing.verification_report import VerificationReport


def record(services: Services, result_code: str) -> Manifest:
    """The current version of a record, or NotFound."""
    manifest = services.archive.manifest(result_code)
    if manifest is None:
        raise not_found(result_code)
    return manifest


def show(services: Services, actor: Actor, result_code: str, purpose: str) -> Manifest:
    """A record's manifest (its people included): a read of personal data, logged with its purpose."""
    require(actor, "show")
    count_lookup(services, actor)  # the question, before anything is read
    manifest = reach(services, actor, result_code)
    take_allowance(services, actor, len(people_in(manifest.persons)) - 1, partial=False)  # the others it names
    services.log(actor, "record.read", manifest.result_code, purpose or "Xem hồ sơ", part="manifest")
    return manifest


@dataclass(frozen=True)
class ReviewItem:
    hit: Hit
    reasons: list[str]  # why a person must check it, in Vietnamese, from the record's review notes


def review_queue(services: Services, actor: Actor, *, limit: int = 100) -> list[ReviewItem]:
    """Records waiting for a person to check them, oldest first, each with its reasons."""
    require(actor, "review_queue")
    items = []
    for hit in services.index.review_queue(limit=limit):
        manifest = services.archive.find(hit.content_hash)
        items.append(ReviewItem(hit, [n.message for n in manifest.review] if manifest else []))
    services.log(actor, "review.queue", None, "Rà soát hồ sơ số hóa", results=[i.hit.result_code for i in items])
    return items


def review_scan(services: Services, actor: Actor, result_code: str) -> tuple[Manifest, bytes, str]:
    """The scan as it came (the archived original), for a reviewer to read the fields off: a read of personal data,
    logged."""
    require(actor, "correct")
    manifest = record(services, result_code)
    stack = manifest.paper.stack if manifest.paper else None
    if ORIGINAL not in manifest.files and stack is not None:  # split out of a stack: its pages and their neighbours
        from pdf.page_range import page_range

        found = read_stack(services.archive.objects, stack.sha256)
        if found is None:
            raise NotFound("stack_missing", stack=stack.name)
        shown = list(range(max(1, stack.first_page - 1), stack.last_page + 2))  # one page on either side
        services.log(actor, "record.read", manifest.result_code, "Rà soát hồ sơ số hóa", part="stack",
                     pages=f"{shown[0]}-{shown[-1]}")
        return manifest, page_range(found[0], found[1], shown), found[1]
    data = services.archive.read(manifest, ORIGINAL)
    services.log(actor, "record.read", manifest.result_code, "Rà soát hồ sơ số hóa", part="original")
    return manifest, data, manifest.files[ORIGINAL].media_type


def review_crops(services: Services, actor: Actor, manifest: Manifest) -> dict[str, bytes]:
    """For each field read with doubt (its readings disagree, or it was read once), the place on the page it was
    read from, cut out of the signed copy as a PNG: field -> image. A read of personal data, logged."""
    from pdf.render import page_crops

    require(actor, "correct")
    places: dict[str, tuple[int, tuple[int, ...]]] = {}
    for name, evidence in manifest.evidence.items():
        where = next((r for r in evidence.readings if r.box and r.page is not None), None)
        if not evidence.confirmed and where is not None:
            places[name] = (where.page or 0, tuple(where.box))
    if not places:
        return {}
    data = services.archive.read(manifest, SIGNED_PDF)
    services.log(actor, "record.read", manifest.result_code, "Rà soát hồ sơ số hóa", part="signed", crops=len(places))
    return page_crops(data, places, {p.index: p.width for p in manifest.pages})


def public_record(services: Services, actor: Actor, result_code: str, qr_text: str = ""
                  ) -> tuple[tuple[tuple[str, str], ...], list[str]] | None:
    """What the page a signed copy's QR code opens shows anyone, signed in or not: the record as the archive holds
    it, the holder's name masked and only the last digits of their number, so that whoever holds a printout can
    see whether it is this record's paper (a copied genuine QR code on another paper shows someone else's record);
    and where the QR code that led here (`qr_text`, the address the phone opened) says otherwise than the archive.
    None: the archive holds no such record."""
    from service.verification import RESULT_CODE, qr_disagreements, record_facts
    from signing.qr import parse_qr

    require(actor, "verify")
    if not RESULT_CODE.fullmatch(result_code):  # checked before anything is read
        return None
    check_not_guessing(services, actor)
    count_lookup(services, actor)  # a masked view still tells something: walking the codes is bounded too
    manifest = services.archive.manifest(result_code)
    if manifest is None:
        note_unknown(services, actor, result_code)
        return None
    services.log(actor, "record.public_view", result_code, "Trang xác minh của mã QR (thông tin đã che)")
    catalogue = services.settings.catalogue
    qr = parse_qr(qr_text, result_code)  # an address with no fields (typed, or format 0) is checked for nothing
    differs = qr_disagreements(qr, manifest, catalogue) if qr.version >= 1 else []
    return record_facts(manifest, catalogue, date.today()), differs


def review_backlog(services: Services, actor: Actor) -> int:
    """How many records wait for a reviewer (a count: nothing personal is read)."""
    require(actor, "review_backlog")
    return len(services.index.review_queue(limit=1_000_000))


def verify_upload(services: Services, actor: Actor, data: bytes, file_name: str, *, at: datetime | None = None,
                  fetch: bool | None = None, expected: str = "") -> tuple[VerificationReport, str | None]:
    """The verdict on a copy someone hands in, and the record its QR code names (None: not a sohoa copy).
    `expected`: the record the person came from (the QR landing page they scanned); a copy of another record is
    then not valid, and the verdict says so itself. Raises `signing.verify.NotVerifiable` for no PDF at all.
    Only the console (a person at the archive machine's shell) may have revocation data fetched: the certificates
    of an uploaded file name the addresses a fetch would go to (SSRF); the file's own data and the report's
    "chưa kiểm tra" say the rest."""
    from service.verification import verify_copy

    require(actor, "verify")
    count_lookup(services, actor)  # each costs seconds of work and shows a record's masked facts
    if actor.role != "console":  # a file from outside names the addresses a fetch would go to: the server stays put
        fetch = False
    report, code = verify_copy(data, services.settings, services.archive, at=at, fetch=fetch)
    if expected and code != expected:
        said = f" (mã QR trong tệp chỉ tới hồ sơ {code})" if code else ""
        report = replace(report, problems=[*report.problems, f"Tệp này không phải bản sao của hồ sơ {expected} mà "
                                           f"mã QR anh/chị quét dẫn tới{said}."])
    services.log(actor, "copy.verify", code, "Xác minh bản sao điện tử", file=file_name, ok=report.ok)
    return report, code


@dataclass(frozen=True)
class DownloadLink:
    result_code: str
    url: str
    expires_in_s: int


def download_link(services: Services, actor: Actor, result_code: str, role: str, purpose: str, *,
                  minutes: float | None = None) -> DownloadLink:
    """A short-lived link to one of a record's files (the signed copy, the original scan, the text): a bearer
    credential for personal data, so bounded by `download_link_max_minutes` and logged with its purpose."""
    require(actor, "download_link")
    settings = services.settings
    chosen = settings.download_link_seconds / 60 if minutes is None else minutes
    longest = settings.download_link_max_seconds / 60
    if not 0 < chosen <= longest:  # checked before the record is looked up: nothing is logged for a refused ask
        raise InvalidRequest("bad_link_lifetime", longest=longest, chosen=chosen)
    manifest = reach(services, actor, result_code)
    check_copy_grant(services, actor, manifest.result_code)
    url = mint(services, actor, manifest, role, int(chosen * 60))
    services.log(actor, "download.link", manifest.result_code, purpose, file=role, minutes=chosen)
    return DownloadLink(manifest.result_code, url, int(chosen * 60))


def signed_copy(services: Services, actor: Actor, result_code: str, purpose: str) -> tuple[Manifest, bytes]:
    """The signed e-copy itself, for a caller that fetches it through the API rather than a link; the same rules
    and the same audit event as a link."""
    require(actor, "download_link")
    manifest = reach(services, actor, result_code)
    check_copy_grant(services, actor, manifest.result_code)
    data = services.archive.read(manifest, SIGNED_PDF)
    services.log(actor, "download", manifest.result_code, purpose or "Tải bản sao điện tử", file=SIGNED_PDF)
    return manifest, data


def verification_json(report: VerificationReport, result_code: str | None, *, at: datetime | None = None) -> dict:
    """The verdict as the API and `sohoa verify --json` give it, with the Vietnamese report a person reads."""
    from signing.verification_report import report_vi

    return {"ok": report.ok, "result_code": result_code, "problems": report.problems, "notes": report.notes,
            "record": [{"label": label, "value": value} for label, value in report.record],
            "signatures": [{**asdict(r), "signed_at": r.signed_at.isoformat() if r.signed_at else None}
                           for r in report.signatures],
            "report_vi": report_vi(report, at=at)}
