"""Throughput of the ingest flow, with bare Tesseract on the same pages in the same run as the anchor.

    python bench/throughput.py [folder] [--workers N]

Runs the Prefect flow over `folder` (default: sample_scans/) into a fresh data directory, after a warm-up run that
pays Prefect's start-up, so the rate is the pipeline's own. The anchor runs `tesseract <page> - -l vie pdf` (plain
searchable PDF, no preprocessing, signing or archiving) over the same decoded pages with the same number of workers;
the ratio says what the whole pipeline costs against OCR alone. `pipeline_pages_per_min` counts the documents' own
seconds instead of the flow's wall (which moves in steps of about a second as Prefect reports tasks), to compare
two versions of the pipeline on a set this small; `second_reader_share` is the share of the documents' own time
spent in the second reader of figures (issue 31's goal: at most 10% of clean-scan throughput). Prints the figures,
then one line of key=value.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

def anchor_pages(paths: list[Path], workdir: Path) -> list[Path]:
    """Every page of every file as a PNG, decoded the same way the pipeline decodes it."""
    from context.settings import load_settings
    from pipeline.intake import RejectedInput, open_document

    settings = load_settings(workdir / "anchor-settings")
    pages = []
    for path in paths:
        try:
            for i, page in enumerate(open_document(path, settings).pages()):
                out = workdir / f"{path.stem}-{i}.png"
                page.image.save(out, dpi=(page.dpi, page.dpi), compress_level=1)
                pages.append(out)
        except RejectedInput:
            continue
    return pages


def run_anchor(pages: list[Path], workers: int) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(page: Path) -> None:
        subprocess.run(["tesseract", str(page), str(page.with_suffix("")), "-l", "vie", "pdf"], env=env,
                       check=True, capture_output=True)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, pages))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=REPO / "sample_scans")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
        work = Path(tmp)
        data = work / "data"
        from flows import QUIET_PREFECT, configure_prefect

        for key in ("PREFECT_HOME", *QUIET_PREFECT):
            os.environ.pop(key, None)  # a fresh run database for every benchmark, and quiet
        configure_prefect(data / "prefect")
        from flows.ingest import list_scans, run_ingest
        from pipeline.process import ACCEPTED

        scans = list_scans(args.folder).scans
        t0 = time.perf_counter()
        run_ingest([], data, args.workers, "bench")  # warm-up: Prefect's temporary server starts here
        startup = time.perf_counter() - t0

        t0 = time.perf_counter()
        results = run_ingest(scans, data, args.workers, "bench")
        wall = time.perf_counter() - t0
        accepted = [r for r in results if r.outcome == ACCEPTED]
        pages = sum(r.pages for r in accepted)
        stages = sorted({s for r in accepted for s in r.stages})
        per_doc = {s: statistics.fmean(r.stages.get(s, 0.0) for r in accepted) for s in stages}

        anchor_dir = work / "anchor"
        anchor_dir.mkdir()
        page_files = anchor_pages([Path(r.source) for r in accepted], anchor_dir)
        anchor_wall = run_anchor(page_files, args.workers)

    ours = pages / wall * 60 if wall else 0.0
    # The documents' own seconds, summed and shared over the workers: the pipeline's rate without the flow's waits
    # (Prefect reports finished tasks about once a second, so the flow's wall moves in steps of ~1 s).
    busy = sum(r.seconds for r in accepted) / args.workers
    own = pages / busy * 60 if busy else 0.0
    anchor = len(page_files) / anchor_wall * 60 if anchor_wall else 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"files={len(scans)} accepted={len(accepted)} pages={pages} workers={args.workers} (cpus: {os.cpu_count()})")
    print(f"prefect start-up (warm-up run): {startup:.1f} s")
    print(f"sohoa flow: {wall:.1f} s for {pages} pages = {ours:.1f} pages/min ({ours / args.workers:.1f} per worker)")
    print(f"the documents' own time: {busy:.1f} s per worker = {own:.1f} pages/min")
    print(f"anchor, bare tesseract -l vie pdf on the same {len(page_files)} pages: {anchor_wall:.1f} s = "
          f"{anchor:.1f} pages/min")
    print(f"sohoa / anchor throughput: {ours / anchor if anchor else 0:.2f}")
    print("mean seconds per document, by stage:")
    for stage in stages:
        print(f"  {stage:<11}{per_doc[stage]:.3f}")
    print(f"peak RSS of the flow's process: {peak:.0f} MB")
    own_seconds = sum(r.seconds for r in accepted)
    second = sum(r.stages.get("second_reading", 0.0) for r in accepted)
    print(f"the second reader of figures: {second:.2f} s of {own_seconds:.1f} s "
          f"({second / own_seconds if own_seconds else 0:.1%} of the documents' time)")
    figures = {
        "pages": pages, "docs": len(accepted), "workers": args.workers, "pages_per_min": f"{ours:.1f}",
        "pages_per_min_per_worker": f"{ours / args.workers:.1f}", "pipeline_pages_per_min": f"{own:.1f}",
        "anchor_pages_per_min": f"{anchor:.1f}",
        "ratio_vs_tesseract": f"{ours / anchor if anchor else 0:.2f}", "prefect_startup_s": f"{startup:.1f}",
        **{f"mean_s_{s}": f"{per_doc[s]:.3f}" for s in stages},
        "peak_rss_mb": f"{peak:.0f}",
        "second_reader_share": f"{second / own_seconds if own_seconds else 0:.3f}",
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
