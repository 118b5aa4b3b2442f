"""Page readings kept while a stack is split: the splitter reads each page to find where documents begin, and the
pipeline then reads the same pixels again as each document's pages; the second reading is the first one, recalled.
Nothing is kept outside `remembering()`; a reading is given back once (then forgotten: it holds the page's prepared
image), and never more than `CAPACITY` are kept (the pages of a document being gathered, with room)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

CAPACITY = 32

_lock = threading.Lock()
_users = [0]
_kept: OrderedDict[str, Any] = OrderedDict()


@contextmanager
def remembering() -> Iterator[None]:
    with _lock:
        _users[0] += 1
    try:
        yield
    finally:
        with _lock:
            _users[0] -= 1
            if _users[0] == 0:
                _kept.clear()


def key_of(pixels: np.ndarray, **options: object) -> str | None:
    """The pixels' and options' key, or None when nothing is being remembered (no hashing then)."""
    if _users[0] == 0:
        return None
    digest = hashlib.sha256(np.ascontiguousarray(pixels).data)  # the buffer itself: no copy of a contiguous page
    digest.update(repr((pixels.shape, str(pixels.dtype), sorted(options.items()))).encode())
    return digest.hexdigest()


def recall(key: str | None) -> Any:
    """The reading kept under `key`, taken out (a page is recalled once: by its document), or None."""
    if key is None:
        return None
    with _lock:
        return _kept.pop(key, None)


def keep(key: str | None, reading: object) -> None:
    if key is None:
        return
    with _lock:
        if _users[0] == 0:
            return
        _kept[key] = reading
        while len(_kept) > CAPACITY:
            _kept.popitem(last=False)
