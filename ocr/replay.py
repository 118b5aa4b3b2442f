"""The replay engine, for tests and development loops (as OCRmyPDF's `tesseract_cache` plugin): set SOHOA_OCR_CACHE
to a folder and a page the engine has already read, with the same pixels, language, options and engine version, is
answered with what it gave then instead of being read again.

An engine given the same image and options gives the same answer, so a replayed page is the one a fresh read gives.
What is kept is the engine-neutral page (`ocr.engine.OcrPage`: words, boxes, confidences, the text-layer PDF) and
the orientation verdict; the key also covers the source of the engine's own module and of `ocr.engine`, so a change
to how an engine's output is parsed is never answered from before it. Failures and time-outs are not kept. Not a
production setting: a site reads each page once. The tests of OCR itself run with no store (`tests/ocr/conftest.py`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ocr.engine import Line, OcrEngine, OcrPage, Osd, Word

if TYPE_CHECKING:
    import numpy as np

ENV = "SOHOA_OCR_CACHE"
_FORMAT = b"sohoa-ocr-replay-2"
_NO_VERDICT = b"none"


def folder() -> Path | None:
    configured = os.environ.get(ENV)
    return Path(configured) if configured else None


@cache
def _code_digest(module: str) -> str:
    """The source of the engine's module and of the seam: what turns the engine's output into pages."""
    digest = hashlib.sha256()
    for name in ("ocr.engine", module):
        path = getattr(sys.modules.get(name), "__file__", None)
        if path:
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def key(grey: np.ndarray, *, engine: OcrEngine, what: str) -> str:
    """What a reading depends on: the pixels (with their shape), the engine, its version and code, the options."""
    import numpy as np

    digest = hashlib.sha256(_FORMAT)
    for part in (engine.name, engine.version(), _code_digest(type(engine).__module__), what,
                 f"{grey.shape}{grey.dtype}"):
        digest.update(part.encode() + b"\0")
    digest.update(np.ascontiguousarray(grey).tobytes())
    return digest.hexdigest()


def _recall(store: Path, name: str, suffixes: tuple[str, ...]) -> dict[str, bytes] | None:
    """The files kept under `name`, or None unless every one of them is there."""
    found: dict[str, bytes] = {}
    for suffix in suffixes:
        try:
            found[suffix] = (store / name[:2] / f"{name}{suffix}").read_bytes()
        except OSError:
            return None
    return found


def _keep(store: Path, name: str, outputs: dict[str, bytes]) -> None:
    """Write each file whole under its final name (several test workers share one store); a store that cannot be
    written is passed over: it only saves time."""
    place = store / name[:2]
    try:
        place.mkdir(parents=True, exist_ok=True)
        for suffix, data in outputs.items():
            fd, tmp = tempfile.mkstemp(dir=place, prefix=".part-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, place / f"{name}{suffix}")
    except OSError:
        return


def page_json(page: OcrPage) -> bytes:
    lines = [[[w.text, w.confidence, w.left, w.top, w.width, w.height] for w in line.words] for line in page.lines]
    return json.dumps({"lines": lines, "width": page.width, "height": page.height, "dpi": page.dpi},
                      ensure_ascii=False).encode("utf-8")


def page_from(data: bytes, pdf: bytes) -> OcrPage:
    raw = json.loads(data)
    lines = tuple(Line(tuple(Word(str(t), float(c), int(x), int(y), int(w), int(h)) for t, c, x, y, w, h in line))
                  for line in raw["lines"])
    return OcrPage(lines, int(raw["width"]), int(raw["height"]), int(raw["dpi"]), pdf)


class ReplayEngine:
    """Another engine's readings, kept in `store` and answered from there when the same page comes again."""

    def __init__(self, inner: OcrEngine, store: Path) -> None:
        self.inner = inner
        self.store = store
        self.name = inner.name  # a replayed record says which engine read it, as a fresh one does

    def version(self) -> str:
        return self.inner.version()

    def read(self, grey: np.ndarray, *, dpi: int, language: str = "vie", timeout_s: int = 300,
             psm: int | None = None) -> OcrPage:
        name = key(grey, engine=self.inner, what=f"read {dpi} {language} {psm}")
        kept = _recall(self.store, name, (".json", ".pdf"))
        if kept is not None:
            return page_from(kept[".json"], kept[".pdf"])
        page = self.inner.read(grey, dpi=dpi, language=language, timeout_s=timeout_s, psm=psm)
        _keep(self.store, name, {".json": page_json(page), ".pdf": page.text_layer_pdf})
        return page

    def orientation(self, grey: np.ndarray, *, dpi: int, timeout_s: int = 60) -> Osd | None:
        name = key(grey, engine=self.inner, what=f"orientation {dpi}")
        kept = _recall(self.store, name, (".osd",))
        if kept is not None:
            if kept[".osd"] == _NO_VERDICT:
                return None
            rotate, confidence = kept[".osd"].decode("ascii").split()
            return Osd(int(rotate), float(confidence))
        verdict = self.inner.orientation(grey, dpi=dpi, timeout_s=timeout_s)
        _keep(self.store, name, {".osd": _NO_VERDICT if verdict is None else
                                 f"{verdict.rotate} {verdict.confidence!r}".encode("ascii")})
        return verdict
