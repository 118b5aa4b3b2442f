"""Splitting stacks: how many documents come out with exactly their pages, how many split points are flagged, how
many wrong ones slip through unflagged, and what splitting costs against ingesting the same documents already split.

    python bench/stacks.py [--stacks 2] [--documents 6] [--seed 2026]

Stacks are built by `sample_scans.stacks` from the held-out generator (`sample_scans.variety`: wordings and forms
no split rule was written against), one to three pages a document, duplex blank backs, once with a separator sheet
before each document and once without. Each stack goes through `pipeline.stack.digitise_stack` into a fresh
archive; the anchor digitises the same documents' pages, one PDF per document (no blanks, no separators), with
`pipeline.process.digitise` in the same run, one file at a time on both sides.

When `../shared/real-scans` is there, its seven real published documents are also put one after another with no
separator (the feeder's view of real paper) and split by the same looks: `real_documents_right` and
`real_silent_bad_splits` (the pipeline is not run on them: only where they split).

documents_right: share of documents whose page range is exactly right. silent_bad_splits: records whose range is
wrong and that carry no doubt for a person. split_cost: how much slower per content page the stack is than the
documents already split (goal: under 5%). Ends with one line of key=value.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

GOALS = {"documents_right_separators": 0.99, "documents_right_no_separators": 0.95, "silent_bad_splits": 0,
         "split_cost": 0.05}


def real_figures(work: Path) -> dict[str, object]:
    """Where the real documents split, read by the same looks as a stack's pages; empty without the set."""
    folder = REPO.parent / "shared" / "real-scans"
    if not folder.is_dir():
        return {}
    from context.settings import load_settings
    from sample_scans.stacks import real_stack, split_ranges

    pages, truth = real_stack(folder)
    made, planner = split_ranges(pages, 200, load_settings(work / "real"))
    right = len(set(truth.documents) & made.keys())
    print(f"real documents: {len(truth.documents)} in {len(pages)} pages; right {right}; flagged "
          f"{len(planner.doubts)}; wrong ranges {sorted(s for s in made if s not in truth.documents) or 'none'}")
    return {"real_documents_right": round(right / len(truth.documents), 3),
            "real_silent_bad_splits": sum(1 for s, d in made.items() if s not in truth.documents and not d)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stacks", type=int, default=2, help="stacks per mode")
    parser.add_argument("--documents", type=int, default=6, help="documents per stack")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    from context.services import open_services
    from context.settings import load_settings
    from domain.actor import Actor
    from pipeline.process import digitise
    from pipeline.stack import SPLIT_DOUBT, digitise_stack
    from sample_scans.stacks import build_stack, encode_stack

    operator = Actor("bench", "operator")
    work = Path(tempfile.mkdtemp(prefix="sohoa-bench-stacks-"))
    right = {True: 0, False: 0}
    total = {True: 0, False: 0}
    flagged = silent = 0
    stack_seconds = plain_seconds = 0.0
    content_pages = 0
    for separated in (True, False):
        services = open_services(load_settings(work / f"data-{separated}"))
        plain = open_services(load_settings(work / f"plain-{separated}"))
        for n in range(args.stacks):
            seed = args.seed * 100 + n * 2 + int(separated)
            pages, truth = build_stack(seed, args.documents, separators=separated, duplex=True)
            path = work / f"stack-{seed}.pdf"
            path.write_bytes(encode_stack(pages))
            started = time.perf_counter()
            result = digitise_stack(path, services, operator)
            stack_seconds += time.perf_counter() - started
            made: dict[tuple[int, int], bool] = {}  # range -> flagged for a person
            for document in result.documents:
                manifest = services.archive.manifest(document.result_code or "")
                stack = manifest.paper.stack if manifest and manifest.paper else None
                if manifest is None or stack is None:
                    continue
                made[(stack.first_page, stack.last_page)] = any(n.code == SPLIT_DOUBT for n in manifest.review)
            expected = set(truth.documents)
            right[separated] += len(expected & made.keys())
            total[separated] += len(expected)
            flagged += result.doubts
            silent += sum(1 for span, doubted in made.items() if span not in expected and not doubted)
            wrong = sorted(span for span in made if span not in expected)
            print(f"{'with' if separated else 'without'} separators, stack {n + 1}: {len(truth.documents)} documents, "
                  f"{len(pages)} pages, {len(result.blanks)}/{len(truth.blanks)} blanks dropped, "
                  f"{result.doubts} flagged, wrong ranges {wrong or 'none'} ({result.seconds:.0f} s)")
            for i, (first, last) in enumerate(truth.documents):  # the anchor: the same documents, already split
                own = [pages[p - 1] for p in range(first, last + 1) if p not in truth.blanks]
                content_pages += len(own)
                single = work / f"plain-{seed}-{i}.pdf"
                single.write_bytes(encode_stack(own))
                started = time.perf_counter()
                digitise(single, plain, operator)
                plain_seconds += time.perf_counter() - started
    real = real_figures(work)
    share = {k: right[k] / total[k] if total[k] else 0.0 for k in right}
    overall = sum(right.values()) / max(1, sum(total.values()))
    cost = stack_seconds / plain_seconds - 1 if plain_seconds else 0.0
    figures: dict[str, object] = {
        "documents_right": round(overall, 3),
        "documents_right_separators": round(share[True], 3),
        "documents_right_no_separators": round(share[False], 3),
        "splits_flagged": flagged,
        "silent_bad_splits": silent,
        "stack_pages_per_min": round(content_pages / stack_seconds * 60, 1) if stack_seconds else 0.0,
        "plain_pages_per_min": round(content_pages / plain_seconds * 60, 1) if plain_seconds else 0.0,
        "split_cost": round(cost, 3),
        **real,
    }
    met = (share[True] >= GOALS["documents_right_separators"]
           and share[False] >= GOALS["documents_right_no_separators"]
           and silent == 0 and cost < GOALS["split_cost"])
    print(" ".join(f"{k}={v}" for k, v in figures.items()) + f" documents={sum(total.values())} "
          f"content_pages={content_pages} met={str(met).lower()}")


if __name__ == "__main__":
    main()
