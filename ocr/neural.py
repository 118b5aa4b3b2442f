"""A second reader for figures: PP-OCR's text-line recognizer (v4), run on ONNX Runtime.

Tesseract's `vie` model reads print well and handwriting badly: a number or a day written in by pen after printing
comes out as soup ("4HØ", "€ÉÉ"). PP-OCR's recognizer was trained on far more varied lines and reads such figures
("440", "18"), but its alphabet (Chinese and Latin) has no Vietnamese tone marks: it is a reader of figures and
codes beside Tesseract, never a replacement for it.

The model ships inside the `rapidocr-onnxruntime` wheel (Apache-2.0; only its model file is used here, loaded from
where pip put it: nothing is downloaded at run time). One line image goes in; out come the characters and, per
character, the time steps of the recognizer's output it spans and their probabilities, so that a part of the line
that must be figures (the digits of a số, the day of a date) can be decoded again from the same scores with only
the characters it may hold (`Line.constrained`). That is CTC decoding restricted to an alphabet: where the free
decoding saw "Λ8", the digits-only one gives "18" with the probability the model put on each digit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np

from ocr.models import RecognizerUnavailable, model_path
from ocr.recognizer import FIGURES, Char

__all__ = ["NAME", "Line", "NeuralReader", "RecognizerUnavailable", "model_path", "shared_reader"]

NAME = "ppocr-v4"  # stored with every value this reader gave
HEIGHT = 48  # the recognizer's input height
MAX_WIDTH = 2400  # a line wider than 50 heights is cut: no field needs more


@dataclass(frozen=True)
class Line:
    """One line as the recognizer read it, with its scores kept for a constrained decoding of any part of it."""

    chars: tuple[Char, ...]
    steps: tuple[tuple[int, int], ...]  # per character, its first time step and one past its last
    scores: np.ndarray  # (steps, classes) probabilities, the model's own output
    alphabet: tuple[str, ...]  # class index -> character; 0 is CTC's blank

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def confidence(self) -> float:
        return min((c.probability for c in self.chars), default=0.0)

    def constrained(self, first: int, last: int, allowed: str = FIGURES, skip: str = " ") -> tuple[str, float]:
        """Characters `first`..`last` (inclusive, indices into `chars`) decoded again with only `allowed`: each
        character keeps its place (its time steps) and takes the allowed class the model scored highest there. The
        confidence is the lowest share, over those characters, of the model's character probability that went to
        the class chosen: "8" read as "8" is near 1, a "Λ" taken for "1" is what the model gave "1" beside "Λ".
        Characters read as one of `skip` (and not allowed) are left out: a dot between two words is no letter."""
        columns = [i for i, ch in enumerate(self.alphabet) if ch and ch in allowed]
        if not columns or first > last:
            return "", 0.0
        out, worst = [], 1.0
        for c, (start, end) in zip(self.chars[first : last + 1], self.steps[first : last + 1], strict=True):
            if c.text in skip and c.text not in allowed:
                continue
            window = self.scores[start:end]
            ours = window[:, columns]
            step, col = np.unravel_index(int(np.argmax(ours)), ours.shape)
            best_any = float(window[step, 1:].max())
            out.append(self.alphabet[columns[col]])
            worst = min(worst, float(ours[step, col]) / best_any if best_any > 0 else 0.0)
        return "".join(out), worst


class NeuralReader:
    """PP-OCRv4 line recognition on ONNX Runtime; one session per process, used from any thread."""

    name = NAME

    def __init__(self, model: Path | None = None, *, threads: int = 1) -> None:
        path = model or model_path()
        try:
            import onnxruntime
        except ImportError as e:  # pragma: no cover - a dependency of the project
            raise RecognizerUnavailable(f"onnxruntime is not installed: {e}") from e
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads  # one per worker, like Tesseract's OMP_THREAD_LIMIT=1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as e:
            raise RecognizerUnavailable(f"cannot load the recognizer model {path}: {e}") from e
        meta = self._session.get_modelmeta().custom_metadata_map
        characters = meta.get("character", "").splitlines()
        if not characters:
            raise RecognizerUnavailable(f"the model {path} carries no character list")
        self.alphabet = ("", *characters, " ")  # CTC blank first, space last, as PP-OCR trains them
        self._input = self._session.get_inputs()[0].name
        self._lock = threading.Lock()

    def read(self, image: np.ndarray) -> Line:
        """Read one line: `image` grey or RGB, the line's height filling most of it."""
        batch = _normalised(image)
        with self._lock:  # an ONNX Runtime session runs one call at a time here: it has one thread of its own
            scores = self._session.run(None, {self._input: batch})[0][0]
        chars, steps = _greedy(scores, self.alphabet)
        return Line(chars, steps, scores, self.alphabet)


def _normalised(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    elif image.shape[2] == 4:
        image = image[:, :, :3]
    h, w = image.shape[:2]
    width = max(HEIGHT, min(MAX_WIDTH, int(np.ceil(HEIGHT * w / max(1, h)))))
    resized = cv2.resize(image, (width, HEIGHT), interpolation=cv2.INTER_AREA if h > HEIGHT else cv2.INTER_CUBIC)
    out = (resized.astype(np.float32) / 255.0 - 0.5) / 0.5
    return out.transpose(2, 0, 1)[np.newaxis]


def _greedy(scores: np.ndarray, alphabet: tuple[str, ...]) -> tuple[tuple[Char, ...], tuple[tuple[int, int], ...]]:
    """CTC's best path: the likeliest class per step, repeats merged, blanks dropped; each character's place along
    the line (a share of its width) and its time steps."""
    best = scores.argmax(axis=1)
    total = max(1, len(best))
    chars: list[Char] = []
    steps: list[tuple[int, int]] = []
    step = 0
    while step < len(best):
        label = int(best[step])
        end = step + 1
        while end < len(best) and best[end] == label:
            end += 1
        if label != 0:
            chars.append(Char(alphabet[label], step / total, end / total, float(scores[step:end, label].max())))
            steps.append((step, end))
        step = end
    return tuple(chars), tuple(steps)


@cache
def shared_reader() -> NeuralReader:
    """The process's reader: the model is loaded once (about 0.3 s) and kept."""
    return NeuralReader()
