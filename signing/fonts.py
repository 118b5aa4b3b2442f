"""The stamp font, prepared once per data directory.

pyHanko lays out OpenType text assuming 1000 units per em; Liberation Serif has 2048 and comes out about twice too
widely spaced. A copy rescaled to 1000 units per em with fontTools lays out correctly.

The copy is cut down once to the letters a Vietnamese stamp can use (Latin with every Vietnamese letter and tone
mark, digits, punctuation). Each signer then cuts it down further, once, to what its stamps can hold (`PresetFont`),
so that no signature pays for subsetting and saving a font again: that was most of a stamped signature's time.
"""

from __future__ import annotations

import io
import os
import string
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import CIDFontType2, GlyphAccumulator
from pyhanko.pdf_utils.writer import BasePdfFileWriter

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


class _PresetCIDFont(CIDFontType2):
    """The embedded font program is the preset's, compressed once, instead of a save and a compression per stamp."""

    def __init__(self, tt: TTFont, base_ps_name: str, subset_prefix: str, compressed: bytes) -> None:
        super().__init__(tt, base_ps_name, subset_prefix)
        self._compressed = compressed

    def set_font_file(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        stream = generic.StreamObject({generic.NameObject("/Filter"): generic.NameObject("/FlateDecode")},
                                      encoded_data=self._compressed)
        ref = writer.add_object(stream)
        self._font_descriptor[generic.NameObject("/FontFile2")] = ref
        return ref


class _PresetAccumulator(GlyphAccumulator):
    """A glyph accumulator over a font that is already the subset: nothing is subset again at write time."""

    def __init__(self, writer: BasePdfFileWriter, preset: PresetFont, font_size: float,
                 obj_stream: generic.StreamObject | None) -> None:
        super().__init__(writer, io.BytesIO(preset.program), font_size, obj_stream=obj_stream)
        if isinstance(self.cidfont_obj, CIDFontType2):
            self.cidfont_obj = _PresetCIDFont(self.tt, _ps_name(self.tt), self.subset_prefix, preset.compressed)

    def _extract_subset(self, options: subset.Options | None = None) -> None:
        pass


def _ps_name(tt: TTFont) -> str:
    return str(tt["name"].getDebugName(6) or "SohoaStamp")


@dataclass(frozen=True)
class PresetFont(FontEngineFactory):
    """The stamp font cut down once, per signer, to the characters its stamps can hold.

    pyHanko subsets and saves the stamp font again for every signature; with a font that is already exactly the
    subset, each stamp embeds the same small program, compressed once. A character outside the preset would be
    drawn as .notdef, so the preset holds every character of the stamps' fixed texts and names, and every ASCII
    letter, digit and sign a code or an ISO 8601 time can contain.
    """

    program: bytes
    compressed: bytes
    font_size: float

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: generic.StreamObject | None = None
                           ) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return _PresetAccumulator(writer, self, self.font_size, obj_stream)


def preset_font(source: Path, texts: Iterable[str], font_size: float) -> PresetFont:
    """A `PresetFont` of `source` (a file from `stamp_font`) holding the characters of `texts` and of codes."""
    characters = {ord(c) for text in texts for c in unicodedata.normalize("NFC", text)}
    characters |= {ord(c) for c in string.ascii_letters + string.digits + string.punctuation + " "}
    font = TTFont(str(source))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(characters))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    program = buf.getvalue()
    return PresetFont(program, zlib.compress(program), font_size)
