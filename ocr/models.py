"""Where the second reader's model lies: inside the `rapidocr-onnxruntime` wheel (Apache-2.0), whose model file is
all that is used of it, or where SOHOA_FIGURE_MODEL says. Kept apart from `ocr.neural` so that checking the
settings (`context.settings`) does not load OpenCV or ONNX Runtime.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

MODEL_PACKAGE = "rapidocr_onnxruntime"
MODEL_FILE = "models/ch_PP-OCRv4_rec_infer.onnx"


class RecognizerUnavailable(RuntimeError):
    """The model file is missing or cannot be loaded."""


def model_path() -> Path:
    """The recognizer's model file: SOHOA_FIGURE_MODEL, else inside the installed `rapidocr-onnxruntime`."""
    configured = os.environ.get("SOHOA_FIGURE_MODEL")
    if configured:
        return Path(configured)
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RecognizerUnavailable(f"the package {MODEL_PACKAGE} (which carries the model) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
