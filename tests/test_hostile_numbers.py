"""The number parser under hostile and absurd input: never a crash, offsets always exact, and an
absurd number reported as skipped, never rounded into another value.

The fuzz runs 10,000 examples (``HYPOTHESIS_PROFILE=quick`` for 500 while developing).
"""
from __future__ import annotations

import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.goals import extract_text
from kg.extract.quantities import MAX_NORM, SKIP_REASONS, fmt, out_of_range, scan
from kg.model import Quantity, Skipped

settings.register_profile("ci", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("quick", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# (sentence, the number as written, the skip reason): absurd or malformed numbers are skipped whole
ABSURD = [
    ("全年增长" + "9" * 32 + "%。", "9" * 32 + "%", "out-of-range"),  # was 1e31: rounded to 28 digits
    ("收入增长0.0000000000000000001亿元。", "0.0000000000000000001亿元", "out-of-range"),  # was 0
    ("收入达到1" + "0" * 400 + "亿元。", "1" + "0" * 400 + "亿元", "out-of-range"),
    ("收入达到亿亿亿亿亿亿元。", "亿亿亿亿亿亿元", "out-of-range"),
    ("收入达到" + "9" * 16 + "元。", "9" * 16 + "元", "out-of-range"),
    ("收入达到1.1234567元。", "1.1234567元", "out-of-range"),
]


@pytest.mark.parametrize("text, surface, reason", ABSURD)
def test_absurd_numbers_are_skipped_not_mangled(text, surface, reason):
    found = scan(text)
    assert [(m.text, m.reason) for m in found if isinstance(m, Skipped)] == [(surface, reason)]
    assert not extract_text(text, "review", 2024).facts


def test_scientific_notation_is_malformed_not_a_smaller_number():
    """1e-308万元 once became 308万元: both pieces are skipped as malformed."""
    found = scan("收入达到1e-308万元。")
    assert [(m.text, m.reason) for m in found] == [("1", "malformed"), ("308", "malformed")]
    assert not extract_text("收入达到1e-308万元。", "review", 2024).facts


@pytest.mark.parametrize("text, surface, norm", [
    ("全国生产总值134.9万亿元", "134.9万亿元", "134900000000000"),  # the largest figures reports write
    ("达到999999万亿元", "999999万亿元", "999999000000000000"),
    ("电价下降0.5分/千瓦时", "0.5分/千瓦时", "0.005"),
    ("收入达到1.123456元", "1.123456元", "1.123456"),
])
def test_large_and_small_but_plausible_numbers_keep_their_value(text, surface, norm):
    (q,) = [m for m in scan(text) if isinstance(m, Quantity)]
    assert (q.text, fmt(q.norm_value)) == (surface, norm)


# ------------------------------------------------------------------ fuzz
_PIECES = (
    list("0123456789０１２３４５６７８９.,%％．-—~～eE+") + list("〇零一二两三四五六七八九十百千万亿")
    + ["元", "亿元", "万元", "万亿", "个", "人", "万人", "吨", "亩", "公里", "千瓦", "千瓦时", "个百分点", "倍", "年",
       "月", "日", "号", "岁", "第", "前", "约", "超", "近", "多", "余", "以上", "以下", "以内", "左右", "分/千瓦时",
       "增长", "下降", "达到", "力争", "比上年", "提高到", "从", "占", "分别", "和", "、", "，", "。", "；", "：",
       "“", "”", "（", "）", "(", ")", "[", "]", "\n", " ", "　", "G", "PM", "级", "项目", "周年", "方面", "三年行动",
       "地区生产总值", "城镇新增就业", "预期目标"]
)
TEXTS = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=40).map("".join),
    st.text(alphabet=st.sampled_from("".join(p for p in _PIECES if len(p) == 1) + "增长达元万亿%"), max_size=60),
    st.text(max_size=40),
)


def _check(text: str, found) -> None:
    last_start = -1
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text  # offsets are exact
        assert m.start >= last_start  # text order
        last_start = m.start
        if isinstance(m, Skipped):
            assert m.reason in SKIP_REASONS
            continue
        assert isinstance(m, Quantity)
        assert m.value.is_finite() and m.norm_value.is_finite() and not out_of_range(m)
        assert abs(m.norm_value) < MAX_NORM
        if m.numeral == "arabic":
            assert Decimal(m.number.replace(",", "")) == m.value  # the value is the number as written
        written = Decimal(fmt(m.norm_value))  # plain text, close to the value (six decimals or digits)
        assert abs(written - m.norm_value) <= max(Decimal("0.0000005"), abs(m.norm_value) * Decimal("0.000005"))


@given(TEXTS)
def test_fuzz_the_number_parser(text):
    _check(text, scan(text))


@given(TEXTS, st.integers(0, 60), st.integers(0, 60))
def test_fuzz_the_number_parser_on_a_span(text, a, b):
    a, b = min(a, b, len(text)), min(max(a, b), len(text))
    found = scan(text, a, b)
    _check(text, found)
    assert all(a <= m.start < b for m in found)


@settings(max_examples=1_000)
@given(TEXTS, st.sampled_from(["review", "plan", "other"]))
def test_fuzz_the_goal_stage(text, kind):
    res = extract_text(text, kind, 2024)
    for f in res.facts:
        assert text[f.start:f.end] == f.surface
    for s in res.skipped:
        assert text[s.start:s.end] == s.surface and s.reason in SKIP_REASONS
