"""The OCR tests read every page with Tesseract itself, never from the store of earlier readings the other tests
share (the replay engine, `ocr.replay`)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _real_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOHOA_OCR_CACHE", raising=False)
