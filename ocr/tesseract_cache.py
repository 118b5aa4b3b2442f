"""A store of Tesseract's raw outputs by what it was given, for tests and development loops (as OCRmyPDF's
`tesseract_cache` plugin): set SOHOA_OCR_CACHE to a folder and a page Tesseract has already read, with the same
pixels, language, options and Tesseract version, is answered from there instead of being read again.

Tesseract given the same image and options gives the same output, so an answer from the store is the one a fresh
run gives; only what Tesseract wrote is kept (its TSV, PDF or OSD files), never what sohoa made of it. Failures and
time-outs are not kept. Not a production setting: a site reads each page once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

ENV = "SOHOA_OCR_CACHE"
_FORMAT = b"sohoa-tesseract-cache-1"


def folder() -> Path | None:
    configured = os.environ.get(ENV)
    return Path(configured) if configured else None


def key(grey: np.ndarray, *, version: str, language: str, config: str) -> str:
    """What Tesseract's output depends on: the pixels (with their shape), the language, the options, the version."""
    digest = hashlib.sha256(_FORMAT)
    for part in (version, language, config, f"{grey.shape}{grey.dtype}"):
        digest.update(part.encode() + b"\0")
    digest.update(np.ascontiguousarray(grey).tobytes())
    return digest.hexdigest()


def recall(store: Path, name: str, suffixes: tuple[str, ...]) -> dict[str, bytes] | None:
    """The outputs kept under `name`, or None unless every one of them is there."""
    found: dict[str, bytes] = {}
    for suffix in suffixes:
        try:
            found[suffix] = (store / name[:2] / f"{name}{suffix}").read_bytes()
        except OSError:
            return None
    return found


def keep(store: Path, name: str, outputs: dict[str, bytes]) -> None:
    """Write each output whole under its final name (several test workers share one store); a store that cannot
    be written is passed over: it only saves time."""
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
