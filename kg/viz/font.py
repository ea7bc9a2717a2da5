"""The page's CJK font: the characters a page shows, cut from kg/static/noto-sans-sc.otf
(Noto Sans CJK SC, SIL OFL 1.1) and embedded as a WOFF data URL, so the page reads the
same on a machine with no Chinese font (a bare server, a container, a CI runner).

Characters outside the shipped font (rare names outside GB 2312 that no report in
tests/data uses) fall through to the next family of the CSS stack, a system CJK font.
"""
from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

FAMILY = "KG Sans SC"
FONT = Path(__file__).parent.parent / "static" / "noto-sans-sc.otf"
# What the page's CSS and its canvas labels are drawn in: the embedded subset first.
STACK = f'"{FAMILY}", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", ' \
        '"Microsoft YaHei", "PingFang SC", sans-serif'


def font_face(text: str) -> str:
    """An ``@font-face`` rule for FAMILY holding the glyphs of every character of ``text``
    that the shipped font has; "" when ``text`` has none beyond ASCII."""
    chars = "".join(sorted({c for c in text if ord(c) > 0x7E}))
    if not chars:
        return ""
    return _rule(chars)


@lru_cache(maxsize=8)
def _rule(chars: str) -> str:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.layout_features = []
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # the copyright and licence records travel along
    font = subset.load_font(str(FONT), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars + "".join(map(chr, range(0x20, 0x7F))))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: 400; '
            f'font-display: block; src: url(data:font/woff;base64,{data}) format("woff"); }}')
