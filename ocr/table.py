"""Ruled tables read row by row: "label | value", as a person reads a form printed as a grid.

Tesseract reads a ruled form's label cell and value cell as two lines (the gap between them splits one line into
columns), so a label no longer stands before its value. The grid is found with OpenCV: the page's ink opened with a
long horizontal and a long vertical kernel leaves only the rules; a region where both kinds cross, wide enough to be
a table, gives the row boundaries (its horizontal rules) and the column boundaries (its vertical ones). The words
whose centres lie in one row are then put on one line, cell after cell with "|" between, at the place of the
first line they came from. Words outside every table keep their lines; a page without a table is left as read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from ocr.engine import Line, OcrPage, Word

_WORK_LONG_SIDE = 1800  # pixels: rules survive halving, and the morphology costs a quarter
MIN_TABLE_WIDTH = 0.4  # of the page: narrower boxes are stamps, signatures or underlines
MIN_ROWS = 2
_RULE_WORDS = {"|", "||", "¦", "[", "]"}  # what Tesseract makes of a vertical rule


@dataclass(frozen=True)
class Table:
    rows: tuple[int, ...]  # y of each horizontal rule, top to bottom (page pixels)
    columns: tuple[int, ...]  # x of each vertical rule, left to right

    def cell(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) of the cell holding point (x, y); None outside the table."""
        if not (self.rows[0] < y < self.rows[-1] and self.columns[0] < x < self.columns[-1]):
            return None
        row = int(np.searchsorted(self.rows, y)) - 1
        column = int(np.searchsorted(self.columns, x)) - 1
        return row, column


def _positions(profile: np.ndarray, least: float) -> list[int]:
    """Centres of the runs where `profile` reaches `least`: one per rule, however thick."""
    hot = np.flatnonzero(profile >= least)
    if hot.size == 0:
        return []
    runs = np.split(hot, np.flatnonzero(np.diff(hot) > 2) + 1)
    return [int(run.mean()) for run in runs]


def find_tables(grey: np.ndarray) -> list[Table]:
    """The ruled tables of a grey page (dark ink on light paper), in page pixels."""
    scale = min(1.0, _WORK_LONG_SIDE / max(grey.shape))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    h, w = ink.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (w // 12, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, h // 60)))
    grid = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grid)
    tables = []
    for x, y, bw, bh, _area in stats[1:count]:
        if bw < MIN_TABLE_WIDTH * w or bh < h // 40:
            continue
        box_h = horizontal[y : y + bh, x : x + bw] > 0
        box_v = vertical[y : y + bh, x : x + bw] > 0
        rows = _positions(box_h.sum(axis=1), 0.6 * bw)
        columns = _positions(box_v.sum(axis=0), 0.6 * bh)
        if len(rows) < MIN_ROWS + 1 or len(columns) < 2:
            continue
        tables.append(Table(tuple(round((y + r) / scale) for r in rows),
                            tuple(round((x + c) / scale) for c in columns)))
    return tables


def read_rows(page: OcrPage, tables: list[Table], scale: float = 1.0) -> OcrPage:
    """`page` with the words of each table row on one line, cells in order, "|" between. `scale` maps the
    tables' pixels onto the words' (a page read enlarged)."""
    if not tables:
        return page
    rows: dict[tuple[int, int], list[tuple[int, int, Word]]] = {}  # (table, row) -> (column, line, word)
    widths = [len(t.columns) - 1 for t in tables]  # columns per table: an empty cell keeps its place
    kept: list[Line | tuple[int, int]] = []  # lines and table rows, in the order they were first met
    for index, line in enumerate(page.lines):
        rest = []
        for word in line.words:
            cx, cy = (word.left + word.width / 2) / scale, (word.top + word.height / 2) / scale
            where = next(((t, c) for t, table in enumerate(tables) if (c := table.cell(cx, cy)) is not None), None)
            if where is None:
                rest.append(word)
                continue
            key = (where[0], where[1][0])
            if key not in kept:
                kept.append(key)
            text = word.text.strip("".join(_RULE_WORDS))  # "|ViCông": a rule read into the word beside it
            if text:
                rows.setdefault(key, []).append((where[1][1], index, replace(word, text=text)))
        if rest:
            kept.append(Line(tuple(rest)))
    lines = []
    for item in kept:
        if isinstance(item, Line):
            lines.append(item)
            continue
        cells = rows.get(item, [])
        if not cells:
            continue
        words: list[Word] = []
        first = min((w for _, _, w in cells), key=lambda w: w.left)
        for column in range(widths[item[0]]):  # in a cell: line by line as read, left to right
            in_cell = [w for _, _, w in sorted((c for c in cells if c[0] == column), key=lambda c: (c[1], c[2].left))]
            if column:  # "| VŨ NGỌC LINH | 23/5/1947": a cell left blank (or unread) is still a cell
                last = words[-1] if words else first
                words.append(Word("|", 100.0, last.left + (last.width + 1 if words else -2), last.top, 1,
                                  last.height))
            words.extend(in_cell)
        while words and words[-1].text == "|":  # blank cells at the row's end say nothing
            words.pop()
        lines.append(Line(tuple(words)))
    return OcrPage(tuple(lines), page.width, page.height, page.dpi, page.text_layer_pdf)
