"""The stamp font, prepared once per data directory.

pyHanko lays out OpenType text assuming 1000 units per em; Liberation Serif has 2048 and comes out about twice too
widely spaced. A copy rescaled to 1000 units per em with fontTools lays out correctly.

pyHanko subsets the stamp font again for every signature; most of a stamped signature's time went there. The copy
is therefore cut down once to the letters a Vietnamese stamp can use (Latin with every Vietnamese letter and tone
mark, digits, punctuation), which makes each of those subsettings several times cheaper.
"""

from __future__ import annotations

import os
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

# Basic Latin, Latin-1, Latin Extended-A/B (Ă, Đ, Ơ, Ư), combining tone marks, Latin Extended Additional (Ạ…ỹ),
# general punctuation (dashes, quotes) and the No./degree signs forms use.
STAMP_CHARACTERS = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x324), *range(0x1EA0, 0x1F00),
                    *range(0x2010, 0x2028), 0x2116]


def stamp_font(source: Path, cache_dir: Path) -> Path:
    if not source.is_file():
        raise FileNotFoundError(f"stamp font {source} is missing (Debian package fonts-liberation2)")
    target = cache_dir / f"{source.stem}-1000upm-vi.ttf"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    font = TTFont(str(source))
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    if "FFTM" in font:  # FontForge's timestamp table: the subsetter cannot keep it and warns about it
        del font["FFTM"]
    options = subset.Options()
    options.layout_features = ["*"]  # keep the shaping tables harfbuzz uses for stacked marks
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_CHARACTERS)
    subsetter.subset(font)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    font.save(str(tmp))
    os.replace(tmp, target)
    return target
