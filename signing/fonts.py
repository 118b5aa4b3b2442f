"""The stamp font, prepared once per data directory.

pyHanko lays out OpenType text assuming 1000 units per em; Liberation Serif has 2048 and comes out about twice too
widely spaced. A copy rescaled to 1000 units per em with fontTools lays out correctly.
"""

from __future__ import annotations

import os
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem


def stamp_font(source: Path, cache_dir: Path) -> Path:
    if not source.is_file():
        raise FileNotFoundError(f"stamp font {source} is missing (Debian package fonts-liberation2)")
    target = cache_dir / f"{source.stem}-1000upm.ttf"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    font = TTFont(str(source))
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    if "FFTM" in font:  # FontForge's timestamp table: the subsetter cannot keep it and warns on every stamp
        del font["FFTM"]
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    font.save(str(tmp))
    os.replace(tmp, target)
    return target
