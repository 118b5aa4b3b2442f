"""Accuracy of the pipeline against plain `tesseract -l vie` on the same files, per kind of capture.

    python bench/accuracy.py [--samples DIR] [--real DIR]

Runs every file of the sample set (ground truth in its JSON files) and of the real development set
(`../shared/real-scans/`, truth read off the pages in bench/real_truth.toml; skipped with a message when the folder
is missing) through `digitise` on the embedded defaults, and the anchor, plain `tesseract <page> - -l vie` on the
same decoded pages. For each kind of capture it prints:

- pages turned wrongly: pages not shown upright (the anchor never turns a page, so it counts those that needed it);
- word recall and character error rate of the text a person gets, where the truth has the text (the samples);
- required fields (the type's, from its configuration) right / flagged / silently wrong: flagged means the value is
  wrong or missing and a review note names that field; silently wrong is the goal-0 figure ("silent misses").
  The anchor's fields are sohoa's extractor run over plain Tesseract's text, with nobody told of any doubt;
- needless flags (a right value printed on the paper flagged; a value written by hand is meant to be flagged, and
  a required field the paper leaves blank is right only when it is flagged as missing), and quarantined files;
- phone photos (simulated, `photographed`: perspective, uneven light, a desk around the page, "72 dpi") of four
  upright samples, into another archive, as a kind of capture of their own;
- second captures: each archived paper captured again (a rescan of a sample image, a JPEG render of a PDF's first
  page) and digitised into the same archive; how many were linked to their record, and to a wrong one.

Ends with one line of key=value figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pdfplumber  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from domain.actor import Actor  # noqa: E402
from sample_scans.captures import photographed, rescanned  # noqa: E402

BENCH = Actor("bench", "operator")  # the digitising officer the benchmark's batches are signed by

FIELD_NOTES = {  # review codes that mark a field as needing a person
    "number": {"no_number", "number_uncertain"},
    "issue_date": {"no_issue_date", "issue_date_uncertain", "future_issue_date"},
    "issuer": {"no_issuer"},
    "subject": {"no_subject"},
    "subject_dob": {"no_dob"},
    "subject_identifier": {"no_identifier"},
}
WHOLE_RECORD = {"unknown_type"}  # a record of no known type waits for a person to classify and enter it


@dataclass
class Truth:
    kind: str
    type_id: str
    fields: dict[str, Any]  # number, issue_date, issuer: None when not on the paper
    subjects: list[dict[str, Any]]
    rotations: list[int] | None  # per page; None: every page upright
    text: str | None
    handwritten: list[str] = field(default_factory=list)


@dataclass
class Tally:
    files: int = 0
    pages: int = 0
    turned_wrong: int = 0
    anchor_turned_wrong: int = 0
    words: int = 0
    recalled: int = 0
    anchor_recalled: int = 0
    chars: int = 0
    edits: int = 0
    anchor_edits: int = 0
    right: int = 0
    flagged: int = 0
    silent: int = 0
    needless: int = 0
    anchor_right: int = 0
    anchor_silent: int = 0
    quarantined: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    return " ".join(nfc(text).split())


def tokens(text: str) -> list[str]:
    return [t for t in (w.strip(".,;:()[]\"'“”") for w in nfc(text).split()) if t]


def sample_truths(folder: Path) -> dict[Path, Truth]:
    out = {}
    for path in sorted(folder.glob("*.json")):
        t = json.loads(path.read_text(encoding="utf-8"))
        rotation = int(t.get("rotation", 0))
        kind = t.get("profile", "clean") + {90: ", on its side", 270: ", on its side", 180: ", upside down"}.get(
            rotation, "")
        fields = {k: (date.fromisoformat(v) if k == "issue_date" and v else v) for k, v in t["fields"].items()}
        out[folder / t["file"]] = Truth(kind, t["type"], fields, t.get("persons", []),
                                        [rotation] * int(t.get("pages", 1)), t.get("text"))
    return out


def real_truths(folder: Path) -> dict[Path, Truth]:
    with (REPO / "bench" / "real_truth.toml").open("rb") as f:
        raw = tomllib.load(f)["files"]
    out = {}
    for name, t in raw.items():
        fields = {k: t.get(k) for k in ("number", "issue_date", "issuer")}
        out[folder / name] = Truth("real: " + t["kind"], t["type"], fields, [], None, None, t.get("handwritten", []))
    return out


def anchor_read(path: Path, settings: Any, work: Path) -> tuple[str, int] | None:
    """Plain Tesseract's text of every page, decoded as the pipeline decodes it; None if the file cannot be."""
    from pipeline.intake import RejectedInput, open_document

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        document = open_document(path, settings)
        texts = []
        for i, page in enumerate(document.pages()):
            image = work / f"{path.stem}-{i}.png"
            page.image.save(image, dpi=(page.dpi, page.dpi), compress_level=1)
            out = subprocess.run(["tesseract", str(image), "-", "-l", "vie"], env=env, capture_output=True,
                                 text=True, check=False)
            if out.returncode != 0:
                return None
            texts.append(out.stdout)
    except RejectedInput:
        return None
    return "\n".join(texts), len(texts)


def field_values(type_id: str, number: str | None, issue_date: date | None, issuer: str | None,
                 persons: list[Any], subject_roles: tuple[str, ...]) -> dict[str, Any]:
    return {"number": number, "issue_date": issue_date, "issuer": flat(issuer).upper() if issuer else None,
            "subjects": [p for p in persons if not subject_roles or p["role"] in subject_roles]}


def score_fields(truth: Truth, got: dict[str, Any], codes: set[str], required: tuple[str, ...],
                 subject_roles: tuple[str, ...]) -> tuple[int, int, int, int, list[str]]:
    """(right, flagged, silently wrong, needlessly flagged, names of the silent misses)."""
    right = flagged = silent = needless = 0
    misses = []

    def judge(name: str, ok: bool) -> None:
        nonlocal right, flagged, silent, needless
        marked = bool(codes & (FIELD_NOTES[name] | WHOLE_RECORD))
        blank = name in truth.fields and truth.fields[name] is None  # not on the paper: the flag is the right answer
        if ok and blank:
            ok = marked
        if ok:
            right += 1
            needless += marked and not blank and name not in truth.handwritten
        elif marked:
            flagged += 1
        else:
            silent += 1
            misses.append(name)

    for name in ("number", "issue_date", "issuer"):
        if name in required:
            expected = truth.fields.get(name)
            expected = flat(expected).upper() if name == "issuer" and expected else expected
            judge(name, got[name] == expected)
    subjects = [p for p in truth.subjects if not subject_roles or p["role"] in subject_roles]
    for person in subjects:
        found = next((p for p in got["subjects"] if p["role"] == person["role"]), None)
        if "subject" in required:
            judge("subject", found is not None and found.get("name") == person["name"])
        if "subject_dob" in required and person.get("dob"):
            judge("subject_dob", found is not None and str(found.get("dob")) == person["dob"])
        if "subject_identifier" in required:
            wanted = person.get("personal_number") or person.get("old_id")
            judge("subject_identifier", found is not None and wanted in (found.get("personal_number"),
                                                                          found.get("old_id")))
    return right, flagged, silent, needless, misses


PHOTOGRAPHED = ("khai_sinh_01.png", "ket_hon_01.jpg", "quyet_dinh_02.jpg", "tinh_trang_hon_nhan_01.jpg")
PHOTO_KIND = "phone photo (simulated)"


def photo_cases(cases: dict[Path, Truth], folder: Path) -> dict[Path, Truth]:
    """A simulated phone photo of some upright samples, with the sample's truth: a kind of capture of its own."""
    import numpy as np
    from PIL import Image

    folder.mkdir()
    out = {}
    for seed, (path, truth) in enumerate(sorted(cases.items())):
        if path.name in PHOTOGRAPHED:
            photo = folder / f"{path.stem}.photo.jpg"
            page = np.asarray(Image.open(path).convert("L"))
            Image.fromarray(photographed(page, seed)).save(photo, quality=85, dpi=(72, 72))
            out[photo] = replace(truth, kind=PHOTO_KIND)
    return out


def second_captures(cases: dict[Path, Any], work: Path, services: Any) -> tuple[int, int, int]:
    """Capture every archived paper again (a rescan of each sample image; page 1 of each PDF rendered to JPEG at
    200 dpi) and digitise it into the same archive: how many were linked to their record, how many to another."""
    import numpy as np
    import pypdfium2
    from PIL import Image

    from pipeline.intake import file_sha256
    from pipeline.process import DUPLICATE_CAPTURE, digitise

    folder = work / "second"
    folder.mkdir()
    linked = wrong = count = 0
    print("\nsecond captures of archived papers:")
    for index, path in enumerate(sorted(cases)):
        record = services.archive.find(file_sha256(path))
        if record is None:
            continue
        copy = folder / f"{path.stem}.second.jpg"
        if path.suffix.lower() == ".pdf":
            doc = pypdfium2.PdfDocument(str(path))
            doc[0].render(scale=200 / 72).to_pil().convert("RGB").save(copy, dpi=(200, 200), quality=80)
            doc.close()
        else:
            page = np.asarray(Image.open(path).convert("L"))
            Image.fromarray(rescanned(page, 0.75, 55, index)).save(copy, dpi=(225, 225))
        result = digitise(copy, services, BENCH)
        count += 1
        if result.outcome == DUPLICATE_CAPTURE:
            ok = result.result_code == record.result_code
            linked += ok
            wrong += not ok
            print(f"  {copy.name}: {'linked' if ok else 'WRONG LINK'} {result.reason}", flush=True)
        else:
            print(f"  {copy.name}: not linked ({result.outcome} {result.result_code or ''})", flush=True)
    return linked, wrong, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=Path, default=REPO / "sample_scans")
    parser.add_argument("--real", type=Path, default=REPO.parent / "shared" / "real-scans")
    args = parser.parse_args()

    cases = sample_truths(args.samples)
    real_present = args.real.is_dir()
    if real_present:
        cases.update(real_truths(args.real))
    else:
        print(f"real development set not found at {args.real}: skipped, figures are for the samples only")

    with tempfile.TemporaryDirectory(prefix="sohoa-accuracy-") as tmp:
        work = Path(tmp)
        from domain.catalogue import DEFAULT_REQUIRED
        from pipeline.classify import classify
        from pipeline.config import load_settings
        from pipeline.fields import extract
        from pipeline.intake import file_sha256
        from pipeline.process import ACCEPTED, digitise
        from pipeline.services import services_for

        services = services_for(str(work / "data"))
        photos = services_for(str(work / "photos"))  # the same papers as the samples: another office's archive
        cases.update(photo_cases(cases, work / "photographed"))
        settings = services.settings
        catalogue = settings.catalogue
        from archive.base import SIGNED_PDF

        tallies: dict[str, Tally] = defaultdict(Tally)
        for path, truth in cases.items():
            tally = tallies[truth.kind]
            tally.files += 1
            doc_type = catalogue.get(truth.type_id) if truth.type_id else None
            required = doc_type.required if doc_type else DEFAULT_REQUIRED
            roles = doc_type.subject_roles if doc_type else ()
            office = photos if truth.kind == PHOTO_KIND else services
            result = digitise(path, office, BENCH)
            anchor = anchor_read(path, load_settings(work / "anchor"), work)
            if result.outcome != ACCEPTED:
                tally.quarantined += 1
                print(f"  quarantined: {path.name}: {result.reason}")
                continue
            manifest = office.archive.find(file_sha256(path))
            assert manifest is not None
            with pdfplumber.open(io.BytesIO(office.archive.read(manifest, SIGNED_PDF))) as pdf:
                text = "\n".join(page.extract_text() or "" for page in pdf.pages)
            rotations = truth.rotations or [0] * len(manifest.pages)
            tally.pages += len(manifest.pages)
            tally.turned_wrong += sum(p.rotation != rotations[min(p.index, len(rotations) - 1)]
                                      for p in manifest.pages if p.source == "ocr")
            tally.anchor_turned_wrong += sum(r != 0 for r in rotations) if anchor else 0
            anchor_text = anchor[0] if anchor else ""
            if truth.text:
                want = Counter(tokens(truth.text))
                tally.words += sum(want.values())
                tally.recalled += sum((want & Counter(tokens(text))).values())
                tally.anchor_recalled += sum((want & Counter(tokens(anchor_text))).values())
                tally.chars += len(flat(truth.text))
                tally.edits += Levenshtein.distance(flat(truth.text), flat(text))
                tally.anchor_edits += Levenshtein.distance(flat(truth.text), flat(anchor_text))
            codes = {n.code for n in manifest.review}
            persons = [p.model_dump(mode="json") for p in manifest.persons]
            got = field_values(truth.type_id, manifest.fields.number, manifest.fields.issue_date,
                               manifest.fields.issuer, persons, roles)
            right, flagged, silent, needless, misses = score_fields(truth, got, codes, required, roles)
            tally.right += right
            tally.flagged += flagged
            tally.silent += silent
            tally.needless += needless
            tally.misses += [f"{path.name}:{m}" for m in misses]
            lines = [line for line in anchor_text.splitlines() if line.strip()]
            classification, title = classify(lines, catalogue, settings.review_threshold)
            plain = extract(lines, catalogue.labels, type_id=classification.type_id, title_index=title)
            anchor_got = field_values(truth.type_id, plain.number, plain.issue_date, plain.issuer,
                                      [p.model_dump(mode="json") for p in plain.persons], roles)
            a_right, _, a_silent, _, _ = score_fields(truth, anchor_got, set(), required, roles)
            tally.anchor_right += a_right
            tally.anchor_silent += a_silent
            print(f"  {path.name}: review {sorted(codes) or '-'}; silent misses {misses or '-'}", flush=True)

        linked, wrong_links, captures = second_captures(cases, work, services)

    total = Tally()
    print(f"\n{'kind of capture':<38}{'files':>6}{'pages':>6}{'turned wrong':>14}{'recall':>14}{'CER':>14}"
          f"{'fields right/flagged/silent':>30}{'needless':>9}{'quar.':>6}")
    for kind in sorted(tallies):
        t = tallies[kind]
        total.add(t)
        recall = f"{t.recalled / t.words:.3f}|{t.anchor_recalled / t.words:.3f}" if t.words else "-"
        cer = f"{t.edits / t.chars:.3f}|{t.anchor_edits / t.chars:.3f}" if t.chars else "-"
        fields = f"{t.right}/{t.flagged}/{t.silent} | {t.anchor_right}/0/{t.anchor_silent}"
        print(f"{kind:<38}{t.files:>6}{t.pages:>6}{f'{t.turned_wrong}|{t.anchor_turned_wrong}':>14}{recall:>14}"
              f"{cer:>14}{fields:>30}{t.needless:>9}{t.quarantined:>6}")
    print("(each cell: sohoa|plain tesseract)")
    if total.misses:
        print("silent misses:", ", ".join(total.misses))
    figures = {
        "files": total.files, "pages": total.pages, "real_set": "present" if real_present else "missing",
        "pages_turned_wrong": total.turned_wrong, "anchor_pages_turned_wrong": total.anchor_turned_wrong,
        "word_recall": f"{total.recalled / total.words:.3f}" if total.words else "nan",
        "anchor_word_recall": f"{total.anchor_recalled / total.words:.3f}" if total.words else "nan",
        "cer": f"{total.edits / total.chars:.3f}" if total.chars else "nan",
        "anchor_cer": f"{total.anchor_edits / total.chars:.3f}" if total.chars else "nan",
        "fields_right": total.right, "fields_flagged": total.flagged, "silent_misses": total.silent,
        "anchor_fields_right": total.anchor_right, "anchor_silent_misses": total.anchor_silent,
        "needless_flags": total.needless, "quarantined": total.quarantined,
        "second_captures": captures, "second_captures_linked": linked, "wrong_links": wrong_links,
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
