"""Charts drawn on the server as SVG: no script, nothing fetched, allowed by the pages' Content Security Policy, and
readable without colour — every bar carries its figure in words, the chart has a title and a description for screen
readers, and each page gives the same figures in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

ROW = 28  # pixels per bar
LABEL = 300  # pixels for the labels on the left
FIGURES = 240  # pixels for the figures on the right
LABEL_CHARS = 34  # a longer label is cut with an ellipsis (the table beside the chart has it whole)


def vn_number(value: float) -> str:
    """1.872.917: thousands separated by dots, as Vietnamese writes them."""
    return f"{value:,.0f}".replace(",", ".")


def percent(share: float) -> str:
    """12,5%: a share as Vietnamese writes it (a decimal comma)."""
    return f"{share:.1%}".replace(".", ",")


def bar_chart(title: str, rows: Sequence[tuple[str, float]], *, unit: str = "",
              targets: Sequence[float | None] | None = None, width: int = 820) -> Markup:
    """Horizontal bars, one per (label, value); with `targets`, each bar is drawn against its target (a dashed
    outline) and its figure says how far along it is."""
    rows = list(rows)
    if not rows:
        return Markup(f'<p class="muted">{escape(title)}: chưa có số liệu.</p>')
    goal = list(targets) if targets is not None else [None] * len(rows)
    top = max([v for _, v in rows] + [t for t in goal if t] + [1])
    span = width - LABEL - FIGURES
    height = ROW * len(rows) + 12
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f"<desc>{escape('; '.join(f'{label}: {vn_number(value)} {unit}'.strip() for label, value in rows))}"
             "</desc>",
             f'<line class="axis" x1="{LABEL}" y1="0" x2="{LABEL}" y2="{height - 6}"/>']
    for index, ((label, value), target) in enumerate(zip(rows, goal, strict=True)):
        y = 6 + index * ROW
        length = max(1.0, span * value / top) if value else 0.0
        figure = f"{vn_number(value)} {unit}".strip()
        if target:
            parts.append(f'<rect class="target" x="{LABEL}" y="{y + 2}" width="{span * target / top:.1f}" '
                         f'height="{ROW - 10}"/>')
            figure += f" / {vn_number(target)} ({percent(value / target)})"
        shown = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        parts += [f'<text x="{LABEL - 8}" y="{y + ROW / 2 + 2}" text-anchor="end" font-size="14">'
                  f"{escape(shown)}</text>",
                  f'<rect class="bar" x="{LABEL}" y="{y + 4}" width="{length:.1f}" height="{ROW - 14}"/>',
                  f'<text x="{LABEL + max(length, span * (target or 0) / top) + 6:.1f}" y="{y + ROW / 2 + 2}" '
                  f'font-size="14">{escape(figure)}</text>']
    parts.append("</svg>")
    return Markup("".join(parts))
