"""Builds resources/fonts/KwcSansJP-Regular.otf: a Japanese subset of Noto Sans CJK JP (SIL OFL 1.1).

Why a subset of our own: (1) the full CJK font is 16+ MB; this one covers what Japanese business text
uses (every character of CP932: JIS X 0208 kanji and kana, NEC/IBM extensions) plus Latin and the
symbols the app shows; (2) without ligatures, so copied text keeps every letter; (3) stock Noto CJK
maps several code points to one glyph (日 U+65E5 and the Kangxi radical ⽇ U+2F47, the em dash and
U+0336 …), and Qt's PDF text map then writes the lowest code point, so copying text out of a PDF gave
look-alike radicals. Leaving those code points out of the character map fixes it at the font. The OFL
allows modified versions under a different name, so the family is renamed "KWC Sans JP".

Usage (needs Debian's fonts-noto-cjk and fontTools):  python scripts/build_fonts.py [SOURCE.ttc]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection

REPO = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TARGET = REPO / "resources" / "fonts" / "KwcSansJP-Regular.otf"
FAMILY = "KWC Sans JP"

# Code points that share a glyph with a common character and must not be in the map.
EXCLUDED_RANGES = [
    (0x0300, 0x036F),  # combining marks (U+0336 shares the em dash's glyph)
    (0x2E80, 0x2EFF),  # CJK radicals supplement
    (0x2F00, 0x2FDF),  # Kangxi radicals (⽇ ⽉ ⾦ ⽬ ⾏ …)
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x3190, 0x319F),  # kanbun
]


# When code points share a glyph, keep the one Japanese and English text really uses.
PREFERRED = {0x0020, 0x002D, 0x2013, 0x2014, 0x30FB, 0xFF5E, 0xFF0F, 0x2026, 0x2460}


def wanted_code_points() -> set[int]:
    points: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    ranges = [(0x2010, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF),
              (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x2700, 0x27BF), (0x3000, 0x30FF),
              (0x31F0, 0x31FF), (0x3200, 0x33FF), (0xFF00, 0xFFEF)]
    for low, high in ranges:
        points |= set(range(low, high + 1))
    for lead in range(0x81, 0xFD):  # every double-byte CP932 character: what Japanese text uses
        for trail in range(0x40, 0xFD):
            try:
                points |= {ord(c) for c in bytes([lead, trail]).decode("cp932")}
            except UnicodeDecodeError:
                pass
    return {p for p in points if not any(low <= p <= high for low, high in EXCLUDED_RANGES)}


def _dropped(points: list[int]) -> list[int]:
    """All but the one code point kept for a shared glyph (a preferred one, else the lowest)."""
    keep = min(points, key=lambda p: (p not in PREFERRED and (p - 0x2460) not in range(20), p))
    return sorted(p for p in points if p != keep)


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    collection = TTCollection(str(source))
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK JP")
    cmap = font.getBestCmap()
    unicodes = sorted(p for p in wanted_code_points() if p in cmap)

    options = Options()
    # No "liga": Qt would set "fi" as one glyph, which a PDF's text map cannot turn back into "f" + "i".
    options.layout_features = ["kern", "vert"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # smaller; Qt and PDF viewers render CFF fine unhinted
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)

    # No two code points may share a glyph, or a PDF's text map may name the wrong one.
    by_glyph: dict[str, list[int]] = defaultdict(list)
    for point, glyph in font.getBestCmap().items():
        by_glyph[glyph].append(point)
    shared = {g: p for g, p in by_glyph.items() if len(p) > 1}
    for table in font["cmap"].tables:
        for points in shared.values():
            for point in _dropped(points):
                table.cmap.pop(point, None)

    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            record.string = FAMILY if record.nameID != 4 else f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = "KWCSansJP-Regular"
        elif record.nameID == 3:
            record.string = f"KWC Sans JP Regular (subset of Noto Sans CJK JP {names.getDebugName(5)})"
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(TARGET))
    dropped = sum(len(_dropped(p)) for p in shared.values())
    print(f"{TARGET.relative_to(REPO)}: {len(unicodes) - dropped} characters, "
          f"{TARGET.stat().st_size / 1e6:.1f} MB; {dropped} duplicate code points dropped: "
          + " ".join(f"U+{p:04X}" for ps in shared.values() for p in _dropped(ps))[:400])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
