"""Accuracy of the pipeline against plain `tesseract -l vie` on the same files, per kind of capture.

    python bench/accuracy.py [--samples DIR] [--real DIR] [--sets samples,real,photos,variety,second,forms]
                             [--seed N] [--forms-per-type N]

Runs every file of the sample set (ground truth in its JSON files), of the real development set
(`../shared/real-scans/`, truth read off the pages in bench/real_truth.toml; skipped with a message when the folder
is missing) and of the variety set (`sample_scans/variety.py`, generated afresh into a temporary folder: three
wordings per type — current, hand-filled CMND-era, ruled — scanned at 300, 200 and 150 dpi, faxed and photographed)
through `digitise` on the embedded defaults, and the anchor, plain `tesseract <page> - -l vie` on the same decoded
pages. Each capture of the variety set goes to an archive of its own (a second capture of a paper would rightly be
linked to the first, not read). For each kind of capture it prints, sohoa beside plain Tesseract:

- document type right; subjects found by their personal number or old ID on a record with the right issue date;
  subjects found by name and date of birth (as the index matches names: marks ignored, one letter off); issue
  date right;
- pages turned wrongly: pages not shown upright (the anchor never turns a page, so it counts those that needed it);
- word recall and character error rate of the text a person gets, where the truth has the text (the samples);
- required fields (the type's, from its configuration) right (the value stored is the paper's, flagged or not) /
  flagged (a review note names the field) / silently wrong (wrong or missing, and no note says so: the goal-0
  "silent misses"); a field the paper leaves blank is right only when it is flagged as missing. The anchor's
  fields are sohoa's extractor run over plain Tesseract's text, with nobody told of any doubt;
- needless flags (a value printed on the paper, read right, flagged all the same), and quarantined files;
- values written by hand (the truth's `handwritten`) read right, of those judged (`handwritten_read`);
- the review rate (records a person must open for their fields: any note but the capture's own) and the rescan
  rate (records whose capture is below 200 dpi, a fax, or too poor to read: the digitisation team's queue);
- phone photos (simulated, `photographed`: perspective, uneven light, a desk around the page, "72 dpi") of four
  upright samples, into another archive, as a kind of capture of their own;
- second captures: each archived paper captured again (a rescan of a sample image, a JPEG render of a PDF's first
  page) and digitised into the same archive; how many were linked to their record, and to a wrong one.

- the forms (`sample_scans/forms.py`, generated afresh): a grammar of wordings and layouts split into a development
  part and a held-out part no rule was written against, `--forms-per-type` documents of each type in each part,
  scanned at 300 dpi (every fourth at 200); both parts side by side, with the gap (dev minus held-out) as
  `forms_gap_*`; and a quarter as many other documents of each part at 150 dpi or faxed, counted apart
  (`forms_dev_rescan_*`, `forms_held_out_rescan_*`), as the issue's goals leave rescans out;

and then each required field right / flagged / silent over all files. Ends with one line of key=value figures:
the totals (fields_right, fields_flagged, silent_misses, review_rate, rescan_rate, handwritten_read among them),
then the variety set's per capture (scan300_, scan200_, scan150_, fax_, photo_), then the forms' per part
(forms_dev_, forms_held_out_, forms_gap_).
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
    "issuer": {"no_issuer", "issuer_uncertain"},
    "subject": {"no_subject", "handwritten_subject", "nameless_person", "name_uncertain"},
    # A personal number disagreeing with the birth date read flags both: one of them is wrong, a person looks.
    "subject_dob": {"no_dob", "handwritten_dob", "personal_number_birth_year"},
    "subject_identifier": {"no_identifier", "handwritten_identifier", "personal_number_birth_year",
                           "personal_number_sex", "personal_number_province", "personal_number_length"},
}
CAPTURE_KEYS = {"scan 300 dpi": "scan300", "scan 200 dpi": "scan200", "scan 150 dpi": "scan150", "fax": "fax",
                "phone photo": "photo"}  # the variety set's captures, as the final line names them
VARIETY = "variety: "
WHOLE_RECORD = {"unknown_type"}  # a record of no known type waits for a person to classify and enter it
CAPTURE_NOTES = {"low_resolution", "fax_capture", "low_ocr_confidence"}  # the rescan queue's, not a reviewer's


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
    typed: int = 0  # files whose type the truth knows
    type_right: int = 0
    anchor_type_right: int = 0
    dated: int = 0  # files whose issue date the truth knows
    date_right: int = 0
    anchor_date_right: int = 0
    with_id: int = 0  # subjects with a personal number or an old ID on the paper
    id_hit: int = 0  # ... found by it on a record with the right issue date
    anchor_id_hit: int = 0
    with_dob: int = 0  # subjects with a name and a full date of birth
    name_dob_hit: int = 0
    anchor_name_dob_hit: int = 0
    handwritten: int = 0  # required fields written in by hand
    handwritten_read: int = 0  # ... whose value was read right (flagged or not)
    handwritten_flagged: int = 0
    records: int = 0  # archived records
    reviewed: int = 0  # ... a person must open for their fields
    rescans: int = 0  # ... the digitisation team is asked to scan again
    per_field: Counter[str] = field(default_factory=Counter)  # "<field> <verdict>" -> count, sohoa
    anchor_per_field: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "nan"


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
                                        [rotation] * int(t.get("pages", 1)), t.get("text"), t.get("handwritten", []))
    return out


def variety_truths(folder: Path, seed: int) -> dict[Path, Truth]:
    """The variety set (`sample_scans/variety.py`) generated afresh, each file's kind its capture."""
    from sample_scans.variety import generate

    generate(folder, seed)
    return {path: replace(truth, kind=VARIETY + json.loads(path.with_suffix(".json").read_text("utf-8"))["capture"])
            for path, truth in sample_truths(folder).items()}


def forms_truths(folder: Path, seed: int, per_type: int) -> dict[Path, Truth]:
    """The grammar's two parts (`sample_scans/forms.py`) generated afresh, each file's kind its part and capture."""
    from sample_scans.forms import generate

    generate(folder, seed, per_type)
    out = {}
    for path, truth in sample_truths(folder).items():
        meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
        out[path] = replace(truth, kind=f"{FORMS}{meta['part']}: {meta['capture']}")
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
            "subjects": [p for p in persons if not subject_roles or p["role"] in subject_roles], "persons": persons}


@dataclass
class Scores:
    right: int = 0  # value correct, flagged or not
    flagged: int = 0  # a review note names the field
    silent: int = 0  # value wrong or missing, and nothing says so
    needless: int = 0  # printed, read right, flagged all the same
    handwritten: int = 0  # judgements of a value written by hand (a field of each subject)
    handwritten_read: int = 0  # ... read right
    handwritten_flagged: int = 0
    misses: list[str] = field(default_factory=list)
    needlessly_flagged: list[str] = field(default_factory=list)  # fields right as printed, flagged all the same
    per_field: Counter[str] = field(default_factory=Counter)


def score_fields(truth: Truth, got: dict[str, Any], codes: set[str], required: tuple[str, ...],
                 subject_roles: tuple[str, ...]) -> Scores:
    """Each required field: right (the value stored is the paper's, flagged or not), flagged (a review note names
    it), silently wrong (wrong or missing, and no note says so: the goal-0 figure). A field the paper leaves blank is
    right when the record says it is missing (flagged)."""
    out = Scores()

    def judge(name: str, ok: bool, person_missing: bool = False) -> None:
        # a person not found at all, flagged as such, has their birth date and ID in the reviewer's view too
        marked = bool(codes & (FIELD_NOTES[name] | WHOLE_RECORD)) or (person_missing and "no_subject" in codes)
        blank = name in truth.fields and truth.fields[name] is None  # not on the paper: the flag is the right answer
        by_hand = name in truth.handwritten
        if ok and blank:
            ok = marked
        out.handwritten += by_hand
        out.handwritten_read += by_hand and ok
        out.handwritten_flagged += by_hand and marked
        verdict = "right" if ok else "flagged" if marked else "silent"
        out.per_field[f"{name} {verdict}"] += 1
        out.right += ok
        out.flagged += marked
        if ok and marked and not blank and not by_hand:
            out.needless += 1
            out.needlessly_flagged.append(name)
        if not ok and not marked:
            out.silent += 1
            out.misses.append(name)

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
            judge("subject_dob", found is not None and str(found.get("dob")) == person["dob"], found is None)
        elif "subject_dob" in required and person.get("birth_year"):  # "sinh năm 1985": the year, no day invented
            judge("subject_dob", found is not None and found.get("dob") is None
                  and found.get("birth_year") == person["birth_year"], found is None)
        if "subject_identifier" in required:
            wanted = person.get("personal_number") or person.get("old_id")
            judge("subject_identifier", found is not None and wanted in (found.get("personal_number"),
                                                                          found.get("old_id")), found is None)
    return out


def same_person_name(stored: str, wanted: str) -> bool:
    """Whether a clerk's lookup by `wanted` finds `stored`: as the index compares names (marks and case ignored,
    one letter of OCR damage tolerated), so a tone mark misread on a capital still finds the person."""
    from indexer.document import keys_alike, name_key

    return keys_alike(name_key(stored), name_key(wanted))


def lookups(truth: Truth, got: dict[str, Any], subject_roles: tuple[str, ...]) -> tuple[int, int, int, int]:
    """(subjects with an ID, found by it on a record with the right issue date, subjects with a name and a date of
    birth, found by both): what a clerk searching for the applicant would get."""
    with_id = id_hit = with_dob = name_dob_hit = 0
    right_date = truth.fields.get("issue_date") is not None and got["issue_date"] == truth.fields["issue_date"]
    for person in (p for p in truth.subjects if not subject_roles or p["role"] in subject_roles):
        wanted = person.get("personal_number") or person.get("old_id")
        if wanted:
            with_id += 1
            id_hit += right_date and any(wanted in (p.get("personal_number"), p.get("old_id"))
                                         for p in got["persons"])
        if person.get("name") and person.get("dob"):
            with_dob += 1
            name_dob_hit += any(p.get("name") and same_person_name(p["name"], person["name"])
                                and str(p.get("dob")) == person["dob"] for p in got["persons"])
    return with_id, id_hit, with_dob, name_dob_hit


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


SETS = ("samples", "real", "photos", "variety", "second", "forms")
FORMS = "forms "  # kinds of the grammar's documents: "forms dev: scan 300 dpi", "forms held_out: scan 200 dpi"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=Path, default=REPO / "sample_scans")
    parser.add_argument("--real", type=Path, default=REPO.parent / "shared" / "real-scans")
    parser.add_argument("--sets", default=",".join(SETS), help=f"which to run, comma-separated: {', '.join(SETS)}")
    parser.add_argument("--seed", type=int, default=2026, help="of the variety set and the forms")
    parser.add_argument("--forms-per-type", type=int, default=4, help="documents per type in each part of the forms")
    args = parser.parse_args()
    sets = set(args.sets.split(","))

    samples = sample_truths(args.samples)
    cases = dict(samples) if "samples" in sets else {}
    real_present = args.real.is_dir()
    if "real" in sets and real_present:
        cases.update(real_truths(args.real))
    elif "real" in sets:
        print(f"real development set not found at {args.real}: skipped, figures are for the samples only")

    with tempfile.TemporaryDirectory(prefix="sohoa-accuracy-") as tmp:
        work = Path(tmp)
        from context.services import services_for
        from context.settings import load_settings
        from domain.catalogue import DEFAULT_REQUIRED
        from pipeline.classify import classify
        from pipeline.fields import extract
        from pipeline.intake import file_sha256
        from pipeline.process import ACCEPTED, digitise

        services = services_for(str(work / "data"))
        photos = services_for(str(work / "photos"))  # the same papers as the samples: another office's archive
        # The variety set holds each paper in several captures: each capture goes to an archive of its own, or
        # the second capture of a paper would (rightly) be linked to the first instead of read.
        variety = {capture: services_for(str(work / f"variety-{key}")) for capture, key in CAPTURE_KEYS.items()}
        if "photos" in sets:
            cases.update(photo_cases(samples, work / "photographed"))
        if "variety" in sets:
            cases.update(variety_truths(work / "variety-scans", args.seed))
        forms = services_for(str(work / "forms"))
        if "forms" in sets:
            cases.update(forms_truths(work / "forms-scans", args.seed, args.forms_per_type))
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
            office = (photos if truth.kind == PHOTO_KIND else variety[truth.kind.removeprefix(VARIETY)]
                      if truth.kind.startswith(VARIETY) else forms if truth.kind.startswith(FORMS) else services)
            result = digitise(path, office, BENCH)
            anchor = anchor_read(path, load_settings(work / "anchor"), work)
            tally.typed += bool(truth.type_id)
            tally.dated += truth.fields.get("issue_date") is not None
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
            scores = score_fields(truth, got, codes, required, roles)
            tally.right += scores.right
            tally.flagged += scores.flagged
            tally.silent += scores.silent
            tally.needless += scores.needless
            tally.handwritten += scores.handwritten
            tally.handwritten_read += scores.handwritten_read
            tally.handwritten_flagged += scores.handwritten_flagged
            tally.records += 1
            tally.reviewed += bool(codes - CAPTURE_NOTES)
            tally.rescans += bool(codes & CAPTURE_NOTES)
            tally.per_field += scores.per_field
            tally.misses += [f"{path.name}:{m}" for m in scores.misses]
            tally.type_right += manifest.classification.type_id == truth.type_id
            wanted_date = truth.fields.get("issue_date")
            tally.date_right += wanted_date is not None and got["issue_date"] == wanted_date
            found = lookups(truth, got, roles)
            tally.with_id += found[0]
            tally.id_hit += found[1]
            tally.with_dob += found[2]
            tally.name_dob_hit += found[3]

            lines = [line for line in anchor_text.splitlines() if line.strip()]
            classification, title = classify(lines, catalogue, settings.review_threshold)
            plain = extract(lines, catalogue.labels_for(classification.type_id), title_index=title)
            anchor_got = field_values(truth.type_id, plain.number, plain.issue_date, plain.issuer,
                                      [p.model_dump(mode="json") for p in plain.persons], roles)
            anchor_scores = score_fields(replace(truth, handwritten=[]), anchor_got, set(), required, roles)
            tally.anchor_right += anchor_scores.right
            tally.anchor_silent += anchor_scores.silent
            tally.anchor_per_field += anchor_scores.per_field
            tally.anchor_type_right += classification.type_id == truth.type_id
            tally.anchor_date_right += wanted_date is not None and plain.issue_date == wanted_date
            anchor_found = lookups(truth, anchor_got, roles)
            tally.anchor_id_hit += anchor_found[1]
            tally.anchor_name_dob_hit += anchor_found[3]
            read = "; ".join(f"{k}={e.value}{'' if e.confirmed else '?'} [" + ", ".join(
                f"{r.reader}@{r.place}{'/' + r.part if r.part else ''}:{r.value or r.raw!r}" for r in e.readings) + "]"
                for k, e in manifest.evidence.items())
            print(f"  {path.name}: {manifest.classification.type_id}; review {sorted(codes) or '-'}; "
                  f"silent misses {scores.misses or '-'}; needless flags {scores.needlessly_flagged or '-'}"
                  + (f"\n      read twice: {read}" if read else ""), flush=True)

        linked = wrong_links = captures = 0
        if "second" in sets:
            linked, wrong_links, captures = second_captures(samples if "samples" in sets else {}, work, services)

    total = Tally()
    print(f"\n{'kind of capture':<34}{'files':>6}{'type':>12}{'ID+date':>12}{'name+DOB':>12}{'issue date':>12}"
          f"{'turned':>7}{'recall':>13}{'CER':>13}{'fields right/flagged/silent':>28}{'hand read':>10}"
          f"{'needless':>9}{'review':>8}{'rescan':>8}{'quar.':>6}")
    for kind in sorted(tallies):
        t = tallies[kind]
        total.add(t)
        print(f"{kind:<34}{t.files:>6}{f'{ratio(t.type_right, t.typed)}|{ratio(t.anchor_type_right, t.typed)}':>12}"
              f"{f'{ratio(t.id_hit, t.with_id)}|{ratio(t.anchor_id_hit, t.with_id)}':>12}"
              f"{f'{ratio(t.name_dob_hit, t.with_dob)}|{ratio(t.anchor_name_dob_hit, t.with_dob)}':>12}"
              f"{f'{ratio(t.date_right, t.dated)}|{ratio(t.anchor_date_right, t.dated)}':>12}"
              f"{f'{t.turned_wrong}|{t.anchor_turned_wrong}':>7}"
              f"{f'{ratio(t.recalled, t.words)}|{ratio(t.anchor_recalled, t.words)}':>13}"
              f"{f'{ratio(t.edits, t.chars)}|{ratio(t.anchor_edits, t.chars)}':>13}"
              f"{f'{t.right}/{t.flagged}/{t.silent} | {t.anchor_right}/0/{t.anchor_silent}':>28}"
              f"{f'{t.handwritten_read}/{t.handwritten}':>10}{t.needless:>9}{ratio(t.reviewed, t.records):>8}"
              f"{ratio(t.rescans, t.records):>8}{t.quarantined:>6}")
    print("(each cell: sohoa|plain tesseract; type, ID+date, name+DOB, issue date: share right)")
    print(f"\n{'field':<22}{'right':>12}{'flagged':>12}{'silent':>12}")
    names = sorted({key.rsplit(' ', 1)[0] for key in total.per_field + total.anchor_per_field})
    for name in names:
        cells = [f"{total.per_field[f'{name} {v}']}|{total.anchor_per_field[f'{name} {v}']}"
                 for v in ("right", "flagged", "silent")]
        print(f"{name:<22}" + "".join(f"{c:>12}" for c in cells))
    if total.misses:
        print("silent misses:", ", ".join(total.misses))
    figures: dict[str, Any] = {
        "files": total.files, "pages": total.pages, "real_set": "present" if real_present else "missing",
        "pages_turned_wrong": total.turned_wrong, "anchor_pages_turned_wrong": total.anchor_turned_wrong,
        "type_accuracy": ratio(total.type_right, total.typed),
        "anchor_type_accuracy": ratio(total.anchor_type_right, total.typed),
        "id_hit": ratio(total.id_hit, total.with_id), "anchor_id_hit": ratio(total.anchor_id_hit, total.with_id),
        "name_dob_hit": ratio(total.name_dob_hit, total.with_dob),
        "anchor_name_dob_hit": ratio(total.anchor_name_dob_hit, total.with_dob),
        "issue_date_right": ratio(total.date_right, total.dated),
        "anchor_issue_date_right": ratio(total.anchor_date_right, total.dated),
        "word_recall": ratio(total.recalled, total.words), "anchor_word_recall": ratio(total.anchor_recalled,
                                                                                       total.words),
        "cer": ratio(total.edits, total.chars), "anchor_cer": ratio(total.anchor_edits, total.chars),
        "fields_right": total.right, "fields_flagged": total.flagged, "silent_misses": total.silent,
        "anchor_fields_right": total.anchor_right, "anchor_silent_misses": total.anchor_silent,
        "handwritten_flagged": f"{total.handwritten_flagged}/{total.handwritten}",
        "needless_flags": total.needless, "quarantined": total.quarantined,
        "review_rate": ratio(total.reviewed, total.records), "rescan_rate": ratio(total.rescans, total.records),
        "handwritten_read": ratio(total.handwritten_read, total.handwritten),
        "second_captures": captures, "second_captures_linked": linked, "wrong_links": wrong_links,
    }
    for capture, key in CAPTURE_KEYS.items():  # the variety set per capture: the issue's goals hold on each
        c = tallies.get(VARIETY + capture)
        if c is not None:
            figures |= {f"{key}_type_accuracy": ratio(c.type_right, c.typed),
                        f"{key}_id_hit": ratio(c.id_hit, c.with_id),
                        f"{key}_name_dob_hit": ratio(c.name_dob_hit, c.with_dob),
                        f"{key}_silent_misses": c.silent, f"{key}_review_rate": ratio(c.reviewed, c.records),
                        f"{key}_word_recall": ratio(c.recalled, c.words),
                        f"{key}_anchor_word_recall": ratio(c.anchor_recalled, c.words)}
    from sample_scans.forms import RESCANS

    parts: dict[str, Tally] = {}
    for part in ("dev", "held_out"):  # the grammar's two parts, side by side: the gap is what fitting would show
        for group, rescans in ((part, False), (f"{part}_rescan", True)):  # 150 dpi and faxes counted apart
            t = Tally()
            for kind in tallies:
                if kind.startswith(f"{FORMS}{part}:") and (kind.split(": ", 1)[1] in RESCANS) == rescans:
                    t.add(tallies[kind])
            if t.files:
                parts[group] = t
    if parts:
        print(f"\n{'forms':<16}{'files':>6}{'type':>8}{'ID+date':>9}{'name+DOB':>10}{'silent':>8}{'review':>8}"
              f"{'rescan':>8}")
        for part, t in parts.items():
            print(f"{part:<16}{t.files:>6}{ratio(t.type_right, t.typed):>8}{ratio(t.id_hit, t.with_id):>9}"
                  f"{ratio(t.name_dob_hit, t.with_dob):>10}{t.silent:>8}{ratio(t.reviewed, t.records):>8}"
                  f"{ratio(t.rescans, t.records):>8}")
    for part, t in parts.items():
        figures |= {f"forms_{part}_type_accuracy": ratio(t.type_right, t.typed),
                    f"forms_{part}_id_hit": ratio(t.id_hit, t.with_id),
                    f"forms_{part}_name_dob_hit": ratio(t.name_dob_hit, t.with_dob),
                    f"forms_{part}_silent_misses": t.silent,
                    f"forms_{part}_review_rate": ratio(t.reviewed, t.records)}
        if part.endswith("_rescan"):
            figures[f"forms_{part}_rescan_rate"] = ratio(t.rescans, t.records)
    if len(parts) == 2:
        dev, held = parts["dev"], parts["held_out"]
        for key, a, b in (("name_dob_hit", (dev.name_dob_hit, dev.with_dob), (held.name_dob_hit, held.with_dob)),
                          ("id_hit", (dev.id_hit, dev.with_id), (held.id_hit, held.with_id)),
                          ("review_rate", (dev.reviewed, dev.records), (held.reviewed, held.records))):
            if a[1] and b[1]:
                figures[f"forms_gap_{key}"] = f"{a[0] / a[1] - b[0] / b[1]:.3f}"
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
