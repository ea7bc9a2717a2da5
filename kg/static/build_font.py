"""Make kg/static/noto-sans-sc.otf: Noto Sans CJK SC Regular cut down to the characters
government work reports use, from which each page embeds the few it needs.

    python kg/static/build_font.py NotoSansCJK-Regular.ttc

The TTC is Debian's ``fonts-noto-cjk`` (``apt-get download fonts-noto-cjk``, then
``dpkg-deb -x``; it need not be installed): see kg/static/README.md for the version and
checksums. Kept: ASCII and Latin-1, general and CJK punctuation, full-width forms, circled
numbers, units (㎡, ℃), every character of GB 2312 (6,763 hanzi), and every character of the
reports in seeds/ and tests/data/ (a few names outside GB 2312, such as 堃 or 犇). Hinting
and OpenType layout features are dropped: the page draws horizontal text at small sizes.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("noto-sans-sc.otf")
FONT_NUMBER = 2  # Noto Sans CJK SC in NotoSansCJK-Regular.ttc

RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x206F), (0x2100, 0x218F), (0x2190, 0x21FF),
          (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0x3200, 0x32FF), (0x3300, 0x33FF),
          (0xFF00, 0xFFEF)]


def gb2312() -> set[str]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def report_chars() -> set[str]:
    chars: set[str] = set()
    for path in sorted([*ROOT.glob("seeds/*.txt"), *ROOT.glob("tests/data/**/*.txt")]):
        chars.update(path.read_text(encoding="utf-8", errors="ignore"))
    return {c for c in chars if c.isprintable()}


def main(ttc: str) -> None:
    from fontTools import subset

    chars = gb2312() | report_chars()
    chars.update(chr(c) for a, b in RANGES for c in range(a, b + 1))
    options = subset.Options()
    options.font_number = FONT_NUMBER
    options.hinting = False
    options.layout_features = []
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence records
    options.notdef_outline = True
    font = subset.load_font(ttc, options)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)
    font.save(OUT)
    print(f"{OUT}: {len(font.getBestCmap())} characters, {OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1])
