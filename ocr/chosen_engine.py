"""Which page engine this process reads with, and reading through it: the registry of engines (`ENGINES`), the
choice (`[ocr] engine`, set by the composition root; SOHOA_OCR_ENGINE overrides it), and the replay engine put around
it while SOHOA_OCR_CACHE names a store (`ocr.replay`). Page reading calls `read_image` and `detect_orientation` here,
never an engine by name."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from ocr import replay
from ocr.engine import OcrEngine, OcrError, OcrPage, Osd

if TYPE_CHECKING:  # only annotations: the settings and the command line do not load numpy through here
    import numpy as np

ENGINE_ENV = "SOHOA_OCR_ENGINE"


def _tesseract() -> OcrEngine:
    from ocr.tesseract import TesseractEngine

    return TesseractEngine()


ENGINES: dict[str, Callable[[], OcrEngine]] = {"tesseract": _tesseract}  # name -> how to make it (lazily)
_made: dict[str, OcrEngine] = {}
_default = ["tesseract"]


def engine_named(name: str) -> OcrEngine:
    """The engine registered under `name` (one per process), wrapped in the replay engine while SOHOA_OCR_CACHE
    names a store. KeyError for a name not registered."""
    if name not in _made:
        _made[name] = ENGINES[name]()
    store = replay.folder()
    return replay.ReplayEngine(_made[name], store) if store else _made[name]


def current_engine() -> OcrEngine:
    """The engine this process reads pages with: SOHOA_OCR_ENGINE, else the one `use_engine` chose (the
    composition root, from `[ocr] engine`), else Tesseract."""
    return engine_named(os.environ.get(ENGINE_ENV) or _default[0])


def use_engine(name: str) -> None:
    """Make `name` this process's engine (the settings' choice); KeyError for an engine not registered."""
    if name not in ENGINES:
        raise KeyError(name)
    _default[0] = name


def read_image(grey: np.ndarray, *, dpi: int, language: str = "vie", timeout_s: int = 300,
               psm: int | None = None) -> OcrPage:
    """Read one grey page with this process's engine; raises OcrError on failure or past the timeout."""
    return current_engine().read(grey, dpi=dpi, language=language, timeout_s=timeout_s, psm=psm)


def detect_orientation(grey: np.ndarray, *, dpi: int, timeout_s: int = 60) -> Osd | None:
    """This process's engine's orientation verdict on a grey page; None when it cannot judge or failed (the page is
    then judged by its readings alone)."""
    try:
        return current_engine().orientation(grey, dpi=dpi, timeout_s=timeout_s)
    except OcrError:
        return None
