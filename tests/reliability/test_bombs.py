"""Decompression and drawing bombs are refused before they are decoded: each goes to quarantine with its reason,
in a fresh process whose peak memory stays under 1 GB and whose time stays under 30 s."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Dictionary, Name
from PIL import Image

from tests.conftest import REPO

PEAK_BYTES = 1024**3
SECONDS = 30.0

# Digitise one file in a child process; print its outcome, reason, peak RSS and wall time as JSON. The peak is the
# process's own high-water mark (VmHWM): Linux carries ru_maxrss across exec, so that one would report pytest's.
CHILD = """
import json, sys, time
from pathlib import Path
from context.settings import load_settings
from domain.actor import Actor
from pipeline.process import digitise
from context.services import open_services
OPERATOR = Actor("tests", "operator")
services = open_services(load_settings(Path(sys.argv[2])))
started = time.monotonic()
result = digitise(Path(sys.argv[1]), services, OPERATOR)
print(json.dumps({"outcome": result.outcome, "reason": result.reason, "seconds": time.monotonic() - started,
                  "peak_bytes": next(int(line.split()[1]) * 1024 for line in open("/proc/self/status")
                                     if line.startswith("VmHWM:"))}))
"""


def digitise_in_child(path: Path, data: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(data)], capture_output=True, text=True,
                          cwd=REPO, timeout=300, env={"PATH": "/usr/bin:/bin", "OMP_THREAD_LIMIT": "1",
                                                      "PYTHONPATH": str(REPO), "HOME": str(data)})
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def one_page_pdf(path: Path, content: bytes, xobjects: dict[str, pikepdf.Object] | None = None,
                 pdf: pikepdf.Pdf | None = None) -> Path:
    pdf = pdf or pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Contents = pdf.make_stream(zlib.compress(content, 9), Filter=Name.FlateDecode)
    if xobjects:
        page.obj.Resources = Dictionary(XObject=Dictionary({f"/{k}": v for k, v in xobjects.items()}))
    pdf.save(path)
    return path


def drawing_bomb(path: Path) -> Path:
    """About 20 KB on disk, 20 MB of line-drawing operators once inflated."""
    return one_page_pdf(path, b"0 0 m 595 842 l S\n" * 1_200_000)


def form_bomb(path: Path) -> Path:
    """A form drawn ten times by a form drawn ten times… nine levels: a billion operators in a few KB."""
    pdf = pikepdf.new()
    inner = pdf.make_stream(b"0 0 m 1 1 l S", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 1, 1])
    for _ in range(9):
        inner = pdf.make_stream(b"/F Do " * 10, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 1, 1],
                                Resources=Dictionary(XObject=Dictionary(F=inner)))
    return one_page_pdf(path, b"/F Do", {"F": inner}, pdf)


def huge_jpeg_in_pdf(path: Path) -> Path:
    """A JPEG whose header says 30000×30000 (900 megapixels), placed as the page's only image."""
    small = io.BytesIO()
    Image.new("L", (64, 64), 255).save(small, "JPEG")
    data = bytearray(small.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = (30000).to_bytes(2, "big") * 2  # height, width
    pdf = pikepdf.new()
    image = pdf.make_stream(bytes(data), Type=Name.XObject, Subtype=Name.Image, Width=30000, Height=30000,
                            ColorSpace=Name.DeviceGray, BitsPerComponent=8, Filter=Name.DCTDecode)
    return one_page_pdf(path, b"q 595 0 0 842 0 0 cm /Im0 Do Q", {"Im0": image}, pdf)


def huge_png(path: Path) -> Path:
    """A PNG whose header says 40000×40000: refused from its header, before a pixel is decoded."""
    small = io.BytesIO()
    Image.new("L", (64, 64), 255).save(small, "PNG")
    data = bytearray(small.getvalue())
    data[16:24] = (40000).to_bytes(4, "big") * 2
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("make", "code_words"), [
    (drawing_bomb, "quá nhiều lệnh vẽ"),
    (form_bomb, "quá nhiều lệnh vẽ"),
    (huge_jpeg_in_pdf, "30000×30000"),
    (huge_png, "40000×40000"),
], ids=["drawing-operators", "nested-forms", "huge-jpeg-in-pdf", "huge-png"])
def test_a_bomb_is_quarantined_within_the_memory_and_time_limits(make: Callable[[Path], Path], code_words: str,
                                                                 tmp_path: Path) -> None:
    bomb = make(tmp_path / f"{make.__name__}{'.png' if make is huge_png else '.pdf'}")
    assert bomb.stat().st_size < 100_000  # small on disk: the danger is in decoding it
    report = digitise_in_child(bomb, tmp_path / "data")
    assert report["outcome"] == "quarantined" and code_words in str(report["reason"]), report
    assert float(str(report["seconds"])) < SECONDS, report
    assert int(str(report["peak_bytes"])) < PEAK_BYTES, report
    reasons = list((tmp_path / "data" / "quarantine").glob("*.reason.txt"))
    assert len(reasons) == 1 and code_words in reasons[0].read_text("utf-8")


def slow_to_draw(path: Path) -> Path:
    """Within the operator limit (99 000), but every line crosses the whole page: 12 s or more to draw at 300 dpi."""
    return one_page_pdf(path, b"0 0 m 595 842 l S\n" * 33_000)


def test_a_page_slow_to_draw_is_stopped_at_the_page_time_limit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text("[limits]\nmax_seconds_per_page = 2\n", encoding="utf-8")
    report = digitise_in_child(slow_to_draw(tmp_path / "slow.pdf"), data)
    assert report["outcome"] == "quarantined" and "không dựng được hình" in str(report["reason"]), report
    assert float(str(report["seconds"])) < 2 + 5, report  # the render was abandoned, not waited out
    assert int(str(report["peak_bytes"])) < PEAK_BYTES, report
