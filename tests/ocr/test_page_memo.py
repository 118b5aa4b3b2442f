"""Readings kept while a stack is split: only then, given back once, and never more than the capacity."""

from __future__ import annotations

import numpy as np

from ocr import page_memo


def test_nothing_is_kept_outside_a_stack_and_a_reading_is_given_back_once() -> None:
    pixels = np.zeros((4, 5), dtype=np.uint8)
    assert page_memo.key_of(pixels, dpi=300) is None  # not splitting: not even hashed
    with page_memo.remembering():
        key = page_memo.key_of(pixels, dpi=300)
        assert key is not None and key != page_memo.key_of(pixels, dpi=200)  # the options are part of the key
        assert key != page_memo.key_of(np.ones((4, 5), dtype=np.uint8), dpi=300)
        page_memo.keep(key, "reading")
        assert page_memo.recall(key) == "reading"
        assert page_memo.recall(key) is None  # given back once
        page_memo.keep(key, "again")
    with page_memo.remembering():
        assert page_memo.recall(key) is None  # forgotten when the stack was done


def test_no_more_than_the_capacity_is_kept_the_oldest_going_first() -> None:
    with page_memo.remembering():
        keys = [page_memo.key_of(np.full((2, 2), i, dtype=np.uint8), dpi=300) for i in range(page_memo.CAPACITY + 2)]
        for i, key in enumerate(keys):
            page_memo.keep(key, i)
        assert page_memo.recall(keys[0]) is None and page_memo.recall(keys[1]) is None
        assert page_memo.recall(keys[-1]) == page_memo.CAPACITY + 1
