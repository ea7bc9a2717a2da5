"""Fuzzing the reader (bytes -> Report) and the outline (Report -> Outline) with hypothesis.

The reader takes any bytes and either gives a Report or raises KGError with one line;
the outline takes any text and gives spans that are exact: every offset inside the text,
every title, term and marker equal to the text between its offsets, every sentence inside
its paragraph. Runs derandomized (the same examples on every run, so CI cannot flake):
about 10,500 examples in a few seconds; ``KG_FUZZ_SCALE=10`` runs ten times as many.
"""
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED
from kg.errors import KGError
from kg.model import Report
from kg.read import _LONE_LINE_END, decode, report_from_bytes
from kg.segment import segment

SCALE = float(os.environ.get("KG_FUZZ_SCALE", "1"))
SEED_TEXT = open(SEED, encoding="utf-8").read()


def fuzz(n: int):
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# What report lines are made of: numbering, markers, punctuation, line ends of every kind.
FRAGMENTS = [
    "一、", "二、", "十一、", "（一）", "(二)", "（十）", "1.", "2、", "12．", "3.5", "一是", "二是", "三是",
    "。", "！", "？", "；", "：", "，", "、", "“", "”", "）", "——", "……",
    "政府工作报告", "各位代表：", "2024年工作回顾", "2025年工作目标任务", "加强政府自身建设", "名词解释", "附件1",
    "[1]", "^[2]", "[12]", "经济运行恢复向好", "工业经济质效提升", "地区生产总值增长5%左右", "海宁市",
    "\n", "\n", "\n", "\r\n", "\r", "\u2028", "\u3000\u3000", " ", "\t", "\ufeff", "\x85", "\x0b", "\x00",
]
# single characters of every kind the reader and the outline treat apart (cheaper to draw than st.text)
CHARS = list("的是在发展建设经济年万亿元%0123456789.．,，、:：;；!！?？()（）[]【】《》“”‘’\"'^—-_ aZ\u3000\xa0\t\r\n"
             "\ufeff\ufffd\u2028\u2029\x85\x0b\x0c\x00\x1f\x7f\ud7ff\U0001f600\u0301")
pieces = st.one_of(st.sampled_from(FRAGMENTS + CHARS), st.text(max_size=4))
texts = st.lists(pieces, max_size=60).map("".join)  # shrinks to a short failing text


def random_text(seed: int) -> str:
    """Up to 120 pieces chosen by ``random.Random(seed)``: one draw per example instead of
    one per piece, so many more examples in the same time (a failure names its seed)."""
    import random

    r = random.Random(seed)
    out = []
    for _ in range(r.randint(0, 120)):
        k = r.random()
        if k < 0.55:
            out.append(r.choice(FRAGMENTS))
        elif k < 0.9:
            out.append(r.choice(CHARS))
        else:
            out.append(chr(r.choice([r.randint(0x20, 0x7E), r.randint(0x4E00, 0x9FFF), r.randint(0, 0x10FFFF)])))
    return "".join(out).encode("utf-8", "replace").decode("utf-8", "replace")  # no lone surrogates


seeded_texts = st.integers(0, 2**64).map(random_text)


def check_outline(text: str) -> None:
    o = segment(Report(id="r", path="r.txt", text=text, sha256="", encoding="utf-8"))
    n = len(text)

    def span(a, b):
        assert 0 <= a <= b <= n, (a, b, n)

    for p in o.paragraphs:
        span(p.start, p.end)
    paragraphs = {p.index: p for p in o.paragraphs}
    for s in o.sentences:
        span(s.start, s.end)
        surface = text[s.start:s.end]
        assert surface and surface == surface.strip(" \t\u3000\xa0\r\ufeff") and "\n" not in surface
        p = paragraphs[s.paragraph]
        assert p.start <= s.start and s.end <= p.end
    for sec in o.sections:
        if sec.start is not None:
            span(sec.start, sec.end)
        for h in (sec.heading, sec.toc):
            if h is not None:
                span(h.start, h.end)
                assert text[h.title_start:h.title_end] == h.title
                if h.subtitle_span:
                    assert text[h.subtitle_span[0]:h.subtitle_span[1]] == h.subtitle
        if sec.heading is not None:
            assert sec.title == sec.heading.title
    for e in o.list_entries:
        assert text[e.heading.title_start:e.heading.title_end] == e.title
    for t in o.topics:
        span(t.start, t.end)
    for e in o.enums:
        span(e.start, e.end)
        assert text[e.start:e.end].startswith(e.marker)
    for f in o.footnotes:
        assert text[f.start:f.end].lstrip("^") == f"[{f.number}]"
    for g in o.glossary:
        span(g.start, g.end)
        assert text[g.term_start:g.term_end] == g.term
    for a in o.annexes:
        span(a.start, a.end)


@fuzz(4000)
@given(st.binary(max_size=2048))
def test_any_bytes_give_a_report_or_one_line(data):
    try:
        r = report_from_bytes(data, "f.txt")
    except KGError as e:
        assert str(e).startswith("f.txt: ") and "\n" not in str(e)
        return
    assert r.title_span is None or r.text[r.title_span[0]:r.title_span[1]] == r.title


@fuzz(2500)
@given(seeded_texts, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"]))
def test_any_text_in_any_supported_encoding_decodes_to_itself_or_one_line(text, codec):
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    try:
        got, _ = decode(data, "f.txt")
    except KGError as e:
        assert str(e).startswith("f.txt: ") and "\n" not in str(e)
        return
    # Without a BOM, UTF-16 is recognised by what it decodes to (read._utf16_without_bom: tested on
    # the 141 reports); GB18030 bytes may also be UTF-8. Either way a short random text may read otherwise.
    # A NUL byte says binary, or UTF-16 when the text reads as such.
    ambiguous = codec in ("utf-16-le", "utf-16-be") or (codec == "gb18030" and _utf8(data)) or "\x00" in text
    if not ambiguous:
        expected = text[1:] if text.startswith("\ufeff") and codec == "utf-8" else text
        assert got == _LONE_LINE_END.sub("\n", expected)  # line ends change one for one, nothing else


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@fuzz(1000)
@given(texts)
def test_the_outline_of_any_text_is_exact(text):
    check_outline(text)


@fuzz(2700)
@given(seeded_texts)
def test_the_outline_of_many_more_texts_is_exact(text):
    check_outline(text)


@fuzz(300)
@given(st.lists(st.tuples(st.integers(0, len(SEED_TEXT)), st.integers(0, 40), pieces), min_size=1, max_size=12))
def test_edited_reports_read_and_outline_exactly(edits):
    """The seed with random cuts and insertions: through the whole reader, then the outline."""
    text = SEED_TEXT
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut:]
    try:
        r = report_from_bytes(text.encode("utf-8"), "edited.txt")
    except KGError as e:
        assert "\n" not in str(e)
        return
    assert len(r.text) == len(text.lstrip("\ufeff")) or len(r.text) == len(text)
    check_outline(r.text)
