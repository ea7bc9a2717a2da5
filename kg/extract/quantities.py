"""Quantities: every number a report writes, with its unit, as pure functions over text.

Work reports write numbers in a compact Chinese convention: Arabic digits with a
Chinese multiplier glued to a unit (``1247亿元``, ``1.35万人``), Chinese numerals with
a measure word (``两个``, ``三年``, ``百亿``), hedges and comparators around them
(``增长8%以上``, ``重返100亿元``, ``5%左右``, ``超万元``), ranges (``5%—5.5%``) and
percentage points (``提高2个百分点``).  One real sentence from the seed::

    实现地区生产总值1247亿元、增长0.7%，规上工业增加值472.8亿元、企稳回正

:func:`scan` returns, in text order, one :class:`Quantity` for every number that
measures something and one :class:`Skipped` (with a documented reason) for every
other number: dates (``2022年``, ``5月``, ``3·16``), ordinals (``第二十九届``,
``第3``), outline numbers, footnote markers, codes (``G524``, ``PM2.5``), quoted
programme names (a number in quotes) and malformed numbers (``1,2,3亿``, ``5%%``).
A malformed number is never given a value.

Offsets always point into the text given: ``text[q.start:q.end] == q.text``.
Values are kept as written (``value=700``, ``unit='亿元'``) and normalised
(``norm_value=7e10``, ``norm_unit='CNY'``, ``unit_iri`` a QUDT unit or currency
where one exists).  Numbers are :class:`decimal.Decimal`, never floats, so a
normalised value is exact.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.model import Number, Quantity, Skipped
from kg.namespace import QUDT_CURRENCY, QUDT_UNIT

# --------------------------------------------------------------------------- units
# surface -> (normalised unit code, factor to that unit, IRI or None, kind)
# kind: money | percent | points | count | physical | time | ratio
_U: dict[str, tuple[str, Decimal, str | None, str]] = {}


def _unit(surfaces: str, code: str, factor: str, iri: str | None, kind: str) -> None:
    for s in surfaces.split():
        _U[s] = (code, Decimal(factor), iri, kind)


_unit("元", "CNY", "1", QUDT_CURRENCY + "CNY", "money")
_unit("美元", "USD", "1", QUDT_CURRENCY + "USD", "money")
_unit("欧元", "EUR", "1", QUDT_CURRENCY + "EUR", "money")
_unit("%", "PERCENT", "1", QUDT_UNIT + "PERCENT", "percent")
_unit("‰", "PERMILLE", "1", QUDT_UNIT + "PERMILLE", "percent")
_unit("成", "PERCENT", "10", QUDT_UNIT + "PERCENT", "percent")  # 七成 = 70%
_unit("个百分点", "PERCENT_POINT", "1", None, "points")
_unit("倍", "TIMES", "1", None, "ratio")
_unit("亩", "HA", "0.0666666666666666666666666667", QUDT_UNIT + "HA", "physical")  # 1 亩 = 1/15 ha
_unit("公顷", "HA", "1", QUDT_UNIT + "HA", "physical")
_unit("平方公里", "KiloM2", "1", QUDT_UNIT + "KiloM2", "physical")
_unit("平方米 平米", "M2", "1", QUDT_UNIT + "M2", "physical")
_unit("立方米 方", "M3", "1", QUDT_UNIT + "M3", "physical")
_unit("公里 千米", "KiloM", "1", QUDT_UNIT + "KiloM", "physical")
_unit("米", "M", "1", QUDT_UNIT + "M", "physical")
_unit("吨标准煤 吨标煤", "TCE", "1", None, "physical")  # tonne of coal equivalent: no QUDT unit
_unit("吨", "TONNE", "1", QUDT_UNIT + "TONNE", "physical")
_unit("公斤 千克", "KiloGM", "1", QUDT_UNIT + "KiloGM", "physical")
_unit("斤", "KiloGM", "0.5", QUDT_UNIT + "KiloGM", "physical")
_unit("千瓦时", "KiloW-HR", "1", QUDT_UNIT + "KiloW-HR", "physical")
_unit("兆瓦时", "MegaW-HR", "1", QUDT_UNIT + "MegaW-HR", "physical")
_unit("度", "KiloW-HR", "1", QUDT_UNIT + "KiloW-HR", "physical")  # 发电量超1000亿度: a kilowatt hour
_unit("千瓦", "KiloW", "1", QUDT_UNIT + "KiloW", "physical")
_unit("兆瓦", "MegaW", "1", QUDT_UNIT + "MegaW", "physical")
_unit("千伏", "KiloV", "1", QUDT_UNIT + "KiloV", "physical")
_unit("微克/立方米", "MicroGM-PER-M3", "1", QUDT_UNIT + "MicroGM-PER-M3", "physical")
_unit("标箱", "TEU", "1", None, "physical")
_unit("分/千瓦时", "CNY-PER-KiloW-HR", "0.01", None, "money")
_unit("分/立方米", "CNY-PER-M3", "0.01", None, "money")
_unit("天", "DAY", "1", QUDT_UNIT + "DAY", "time")
_unit("小时", "HR", "1", QUDT_UNIT + "HR", "time")
_unit("分钟", "MIN", "1", QUDT_UNIT + "MIN", "time")
_unit("个月", "MO", "1", QUDT_UNIT + "MO", "time")
_unit("年", "YR", "1", QUDT_UNIT + "YR", "time")
_unit("周年", "YR", "1", QUDT_UNIT + "YR", "time")
_unit("岁 周岁", "YR", "1", QUDT_UNIT + "YR", "time")
_unit("周", "WK", "1", QUDT_UNIT + "WK", "time")
# Measure words of counts: the thing counted is the normalised unit, QUDT's NUM the IRI.
for _mw in ["个", "家", "项", "所", "户", "套", "件", "人次", "人", "名", "位", "座", "条", "处", "台", "辆", "张", "次", "场", "批次", "批", "只", "头", "株", "棵", "例", "眼", "枚", "对", "艘", "架", "列", "起", "支", "门", "类", "种", "间", "栋", "幢", "床", "册", "篇", "部", "宗", "单", "轮", "款", "份", "块", "片", "届", "国", "省", "县", "市", "区", "乡", "镇", "村", "笔", "场次", "架次"]:
    _unit(_mw, _mw, "1", QUDT_UNIT + "NUM", "count")
_unit("县市区 县区 市县 县(市、区)", "县市区", "1", QUDT_UNIT + "NUM", "count")  # county-level divisions

# Words that start with a unit character but are not a unit after a number (3项目 is rare;
# 项目 after a number is the noun of a modifier such as 百亿项目).
_NOT_UNIT = ("项目", "家庭", "人民", "年度", "年均", "年底", "年末", "年初", "条例", "台账", "场所", "场景", "国道", "省道",
             "县道", "部件", "成为", "成立", "成果", "成效", "成本", "成熟", "成员", "成功", "成都", "成渝", "成交", "成绩",
             "笔记", "人口", "人员", "人才", "人群", "人士", "人大", "人防", "人事", "人力", "人工", "人们",
             "名单", "次数", "户籍", "所有", "部门", "部委", "个人", "单位", "类型", "种类", "批复", "处置",
             "届时", "方面", "方案", "方式", "方向", "门槛", "米粮", "天然", "间接", "支持", "支撑", "起步",
             "国家", "国际", "国内", "国企", "省级", "省市", "省内", "县级", "县域", "市级", "市场", "市民", "市区",
             "区域", "区块", "区县", "乡镇", "乡村", "镇街", "镇级", "村级", "村庄", "村民")
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in _U), key=len, reverse=True))

MULTIPLIERS = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
               "千": Decimal(1000), "百": Decimal(100)}

_ARABIC_OK = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_DOT_PAIR = re.compile(r"\d{1,2}[·•.]\d{1,2}")
_DOT_DATE = re.compile(r"\d{1,2}[·•]\d{1,2}")
_LATIN = re.compile(r"[A-Za-z]")
_SMALL_INT = re.compile(r"\d{1,2}")
_INT_DOT = re.compile(r"\d+\.?")
_YEAR_ONLY = re.compile(r"(?:19|20)\d\d")

# --------------------------------------------------------------------------- numerals
_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10 ** 4, "亿": 10 ** 8}


def parse_chinese_numeral(s: str) -> int | None:
    """``两``→2, ``二十九``→29, ``百亿``→10**10, ``三万``→30000, ``一二``→None (not a numeral)."""
    if not s or any(ch not in _CN_DIGIT and ch not in _CN_SMALL and ch not in _CN_BIG for ch in s):
        return None
    total, section, digit = 0, 0, None
    last_small = 10 ** 9
    last_big = 10 ** 13
    for ch in s:
        if ch in _CN_DIGIT:
            if digit is not None and _CN_DIGIT[ch] != 0:
                return None  # two digits in a row: 一二 is a list, not a number
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            mag = _CN_SMALL[ch]
            if mag >= last_small:
                return None
            section += (1 if digit is None else digit) * mag
            digit, last_small = None, mag
        else:
            mag = _CN_BIG[ch]
            part = section + (digit or 0)
            if part == 0 and total:
                total *= mag  # 万亿: the second multiplier scales the first
            elif total and mag < last_big:
                total += part * mag  # 一亿二千万: a lower group after a higher one
            else:
                total = (total + (part or 1)) * mag  # 百亿 / 万 without a leading digit means one
            last_big = mag
            section, digit, last_small = 0, None, 10 ** 9
    return total + section + (digit or 0)


def parse_arabic(s: str) -> Decimal | None:
    """``1,247.5``→Decimal('1247.5'); ``1,2,3``→None (bad digit grouping); ``1.2.3``→None."""
    if not _ARABIC_OK.fullmatch(s):
        return None
    return Decimal(s.replace(",", ""))


def fmt(d: Decimal | None) -> str:
    """A Decimal as plain text without exponent or trailing zeros: 1.247E+11 -> '124700000000';
    six decimals (six significant digits below 1: a small value never becomes 0)."""
    if d is None:
        return ""
    if d != d.to_integral_value():
        d = d.quantize(Decimal(1).scaleb(-max(6, 5 - d.adjusted())))
    t = format(d, "f")
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    return t


# --------------------------------------------------------------------------- results
SKIP_REASONS = {
    "date": "a calendar date or year (2022年, 5月, 3·16), not a measured value",
    "ordinal": "an ordinal or rank (第二十九届, 第3, 前20), not a measured value",
    "outline": "an outline or list number at the start of a line (1.、(一))",
    "footnote": "a footnote marker ([1], (9)) pointing to the glossary",
    "code": "part of a code or name with Latin letters (G524, PM2.5, 5A, 415X)",
    "quoted": "inside a quoted programme name or slogan (a code or slogan in quotes such as “1+N”)",
    "malformed": "a malformed number (bad digit grouping 1,2,3, repeated %%, stray dots): no value is given",
    "no-unit": "a number without a unit or measure word: its meaning cannot be told safely",
    "modifier": "a size class qualifying the noun after it (超10亿元项目, 60岁以上老人, 百亿项目, 110千伏变电站, "
                "投资3500万元的变电站, 10万元以上的村)",
    "named-count": "counts named slogans, programmes or parts of a name (三个“一号工程”, 中央八项规定, 两个翻一番, "
                   "三次产业): a count in Chinese numerals before a noun, which in these reports almost never "
                   "measures anything (新建幼儿园两所, with the count after its noun, is a quantity, and so is a count of "
                   "what an action made, held or won: 修建了三条园区道路, 成功举办两届……, 两次下调……)",
    "discourse": "counts parts of the speech itself (五个方面, 八个方面工作)",
    "streak": "a streak or reference period (连续三年, 连续48个月, 连续12届, 前三年平均值, 近两年, 今后五年, 五年来, 3年内)",
    "programme": "part of a programme's name (三年行动, 十四五)",
    "anniversary": "an anniversary (实施20周年)",
    "no-indicator": "a number alone in its clause (e.g. a flattened table cell): what it measures is not written",
    "baseline": "the starting value of a from-to change (从2.77%提高到3.3%, 从2020年的10.5万元提高到…): the "
                "reference the change is measured from, not a result of the period reported",
    "glossary": "in the glossary (名词解释): the number defines a term, it reports nothing",
    "heading": "in a heading or the title: the outline, not a fact (e.g. the 1. of an item heading)",
    "toc": "in the table of contents, which repeats the headings",
    "name": "part of a name (十一届九次全会, 九年一贯制学校, 107国道)",
    "fact": "a quantity that describes the situation, neither a result nor a target (我国有2.9亿在校学生)",
    "scope": "the size of the group the next number is about (1000个省级重点产业项目完成投资1865.7亿元)",
    "out-of-range": "an absurd number (over 15 digits before the point or 6 after it, or 10^18 and more once "
                    "normalised): reported, never given a rounded value",
}

# The largest numbers reports write are national totals in 元 (about 10^14): a written number with more
# digits, or a normalised value this large, is a typing error or hostile input, not a quantity.
MAX_INT_DIGITS, MAX_DECIMALS, MAX_NORM = 15, 6, Decimal(10) ** 18


def out_of_range(q: Quantity) -> bool:
    """Whether a parsed quantity is absurd (see ``SKIP_REASONS["out-of-range"]``): it is skipped, not rounded."""
    for v, n in ((q.value, q.norm_value), (q.value_max, q.norm_max)):
        if v is None:
            continue
        _sign, digits, exp = v.as_tuple()
        if not isinstance(exp, int) or len(digits) + exp > MAX_INT_DIGITS or -exp > MAX_DECIMALS:
            return True
        if n is None or not n.is_finite() or abs(n) >= MAX_NORM:
            return True
    return False


# --------------------------------------------------------------------------- scanning
_FW = str.maketrans("０１２３４５６７８９％．～－", "0123456789%.~-")  # 1:1, so offsets hold
_CN_NUM_CH = "〇零一二两三四五六七八九十百千万亿"
_NUM_RUN = re.compile(r"[0-9][0-9.,%]*[0-9%]|[0-9]")  # a run of digits and number punctuation
_CN_RUN = re.compile(f"[{_CN_NUM_CH}]+")
_MULT = r"(?:万亿|亿|万|千(?!瓦|伏|米|克))"  # 千瓦, 千伏, 千米, 千克 are units, not 千 ×
_TAIL = re.compile(
    r"(?P<approx1>余|多)?(?P<mult>" + _MULT + r")?(?P<approx2>余|多)?"
    r"(?P<unit>(?:" + _UNIT_ALT + r")(?:/(?:日|天|年|小时))?)?"
    r"(?P<suffix>以上|以下|以内|左右|之内|多|余)?"
)
_PER = {"日": "DAY", "天": "DAY", "年": "YR", "小时": "HR"}


def unit_info(unit: str) -> tuple[str, Decimal, str | None, str]:
    """(normalised code, factor, IRI or None, kind) of a unit as written without its multiplier;
    a rate per day or year (万吨/日) is the unit's code with -PER-DAY, without an IRI."""
    if unit in _U:
        return _U[unit]
    base, _, per = unit.rpartition("/")
    code, factor, _iri, kind = _U[base]
    return f"{code}-PER-{_PER[per]}", factor, None, kind
_DOUBLE_DIGITS = re.compile(r"位数的?(?:增长|增幅|增速|以上的?增长)")
_RANGE_SEP = re.compile(r"[—–\-~至]{1,2}")
_SHARED_UNIT = re.compile(r"和\d[\d.,]*")
_POINTS_AFTER = re.compile(r"[和、及与至][\d.]+个百分点")
_COUNT_END = "，,、；;。！？!?）)\n"
# Comparators, one vocabulary for the tables, the queries and the RDF (skos:notation of gr:Comparator):
# eq, approx (左右, 约, 近), ge (以上, 多, 余, 超过, 突破, 不低于), le (以内, 以下, 不超过, 低于), range (5%—6%).
COMPARATORS = ("eq", "approx", "ge", "le", "range")
_PREFIX_CMP = [  # verb before the number -> comparator (longest first)
    ("不低于", "ge"), ("不少于", "ge"), ("不超过", "le"), ("不高于", "le"), ("超过", "ge"), ("突破", "ge"),
    ("重返", "ge"), ("达到", "eq"), ("接近", "approx"), ("低于", "le"), ("高于", "ge"), ("不到", "le"),
    ("约", "approx"), ("近", "approx"), ("超", "ge"), ("逾", "ge"),
]
_SUFFIX_CMP = {"以上": "ge", "以下": "le", "以内": "le", "之内": "le", "左右": "approx", "多": "ge", "余": "ge"}
_DOWN = ("下降", "减少", "降低", "降至", "降到", "回落", "收窄", "压减", "削减", "下滑", "递减", "改善", "压缩", "缩短", "缩减",
         "压降", "精简", "减")
_UP = ("增长", "提高", "提升", "增加", "上升", "上涨", "回升", "涨幅", "递增")
_LINE_START_OUTLINE = re.compile(r"(?:^|\n)[ \t\u3000]*$")
_QUOTES = re.compile(r"“[^”\n]{0,48}”|\"[^\"\n]{0,48}\"|「[^」\n]{0,48}」")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTES.finditer(text)]


def _inside(spans: list[tuple[int, int]], i: int) -> bool:
    for a, b in spans:
        if a < i < b:
            return True
    return False


def _unit_ok(norm: str, uend: int, unit: str) -> bool:
    """A unit match is a unit unless it begins a longer word (项目, 人民, 年度…)."""
    if not unit:
        return True
    two = norm[uend - len(unit): uend - len(unit) + 2] if len(unit) == 1 else ""
    return not (two and two in _NOT_UNIT)


def _tail(norm: str, pos: int) -> tuple[re.Match[str], str, int, str | None]:
    m = _TAIL.match(norm, pos)
    assert m is not None  # every part of _TAIL is optional: it always matches
    unit = m.group("unit") or ""
    if unit and not _unit_ok(norm, m.end("unit"), unit):
        # drop the unit (and a suffix after it) but keep a multiplier
        end = m.end("approx2") if m.group("approx2") else m.end("mult") if m.group("mult") else m.end("approx1") if m.group("approx1") else pos
        return m, "", end, None
    suffix = m.group("suffix")
    end = m.end()
    # 多/余 as a suffix only right after a unit or multiplier ("7500多亿元" is handled by approx1)
    return m, unit, end, suffix


# _DOWN / _UP words ending right before a number, or one character before it when that
# character is 了/至/到 (为 too for _UP); _DOWN wins. One regex each over the last 4 characters.
_DOWN_END = re.compile("(?:" + "|".join(_DOWN) + ")[了至到]?\\Z")
_UP_END = re.compile("(?:" + "|".join(_UP) + ")[了至到为]?\\Z")
# a comparator verb ending right before a number: the longest (where one word ends another,
# 接近/近, 不超过/超过, _PREFIX_CMP lists the longer first, so this is the first of the list)
_PREFIX_CMP_WORD = dict(_PREFIX_CMP)
_PREFIX_LEN = max(len(w) for w in _PREFIX_CMP_WORD)
_PREFIX_END = re.compile("(?:" + "|".join(sorted(_PREFIX_CMP_WORD, key=len, reverse=True)) + ")\\Z")


def _direction(norm: str, start: int) -> int:
    lo = max(0, start - 4)
    if _DOWN_END.search(norm, lo, start):
        return -1
    if _UP_END.search(norm, lo, start):
        return 1
    return 0


def _prefix_cmp(norm: str, start: int) -> str | None:
    m = _PREFIX_END.search(norm, max(0, start - _PREFIX_LEN), start)
    return _PREFIX_CMP_WORD[m.group()] if m else None


def _make(text: str, norm: str, start: int, num_end: int, number: str, value: Decimal, numeral: str,
          lo_bound: int) -> Number | None:
    """Read multiplier/unit/suffix/range after a number that ends at num_end."""
    m, unit, end, suffix = _tail(norm, num_end)
    mult = m.group("mult") or ""
    approx = m.group("approx1") or m.group("approx2")
    value_max = None
    # a range: 5%—5.5%, 5.0—5.5%, 1-2个
    r = _RANGE_SEP.match(norm, end if not suffix else end - len(suffix))
    if r and not suffix:
        m2 = _NUM_RUN.match(norm, r.end())
        if m2 and "%" not in m2.group(0)[:-1]:
            v2 = parse_arabic(m2.group(0).rstrip("%"))
            run_end = m2.end() - (1 if m2.group(0).endswith("%") else 0)
            if v2 is not None:
                t2, unit2, end2, suffix2 = _tail(norm, run_end)
                mult2 = t2.group("mult") or ""
                if unit2 and (not unit or unit == unit2) and (not mult or mult == mult2):
                    value_max, unit, mult, end, suffix = v2, unit2, mult2, end2, suffix2
    if unit == "个" and _POINTS_AFTER.match(norm, end):
        unit = "个百分点"  # 分别高于全省2.2个和3.7个百分点: the first is a difference of rates too
    if not unit and not mult and value_max is None:
        shared = _SHARED_UNIT.match(norm, end)  # 城乡居民人均居住面积分别达到14和25平方米: 14 平方米 too
        if shared:
            t3, unit3, _, _ = _tail(norm, shared.end())
            if unit3:
                unit, mult = unit3, t3.group("mult") or ""
    surface_unit = mult + unit
    nxt = norm[end:end + 1]
    if not unit and mult in ("万", "亿") and numeral == "arabic" and (not nxt or nxt in _COUNT_END):
        # 县城新增人口100万、: a count of what the words before it name
        cmp = _SUFFIX_CMP.get(suffix or "", "") or ("ge" if approx else _prefix_cmp(norm, start) or "eq")
        return Quantity(start, end, text[start:end], number, value, mult, value * MULTIPLIERS[mult], "",
                        None, "number", cmp, numeral=numeral)
    if not unit and mult in ("万", "亿") and "\u4e00" <= nxt <= "\u9fff" and nxt not in "的和及与或等":
        # 50多万游客, 80万重点群体: a count whose noun follows the multiplier without a measure word
        cmp = "ge" if approx else (_SUFFIX_CMP.get(suffix or "", "") or _prefix_cmp(norm, start) or "eq")
        scale = MULTIPLIERS[mult]
        return Quantity(start, end, text[start:end], number, value, mult, value * scale, "", QUDT_UNIT + "NUM",
                        "count", cmp, numeral=numeral)
    if not unit and not mult:
        return Quantity(start, end, text[start:end], number, value, "", value, "", None, "none",
                        numeral=numeral)
    if unit:
        code, factor, iri, kind = unit_info(unit)
    else:
        code, factor, iri, kind = "", Decimal(1), None, "none"
    scale = MULTIPLIERS.get(mult, Decimal(1)) * factor
    comparator = "eq"
    pc = _prefix_cmp(norm, start)
    if value_max is not None:
        comparator = "range"
    elif suffix:
        comparator = _SUFFIX_CMP[suffix]
    elif approx:
        comparator = "ge"
    elif pc:
        comparator = pc
    norm_value = value * scale
    return Quantity(
        start, end, text[start:end], number, value, surface_unit,
        norm_value,
        code, iri, kind, comparator,
        value_max, (value_max * scale) if value_max is not None else None,
        _direction(norm, start - (len(_prefix_word(norm, start)))), numeral,
    )


def _prefix_word(norm: str, start: int) -> str:
    m = _PREFIX_END.search(norm, max(0, start - _PREFIX_LEN), start)
    return m.group() if m else ""


_DATE_AFTER = re.compile(r"(?:年|月|日|号)")
_YEAR = re.compile(r"(?:19|20)\d\d(?=年|—|-|～|~)")
_MONTH_DAY = re.compile(r"(?:\d{1,2}月(?:\d{1,2}[日号])?(?:[至—\-]\d{1,2}[日号])?|\d{1,2}[日号])")
_ISO_DATE = re.compile(r"(?:19|20)\d\d-\d\d(?:-\d\d)?")


_SCI_AFTER = re.compile(r"[eE][-+]?\d")
_SCI_BEFORE = re.compile(r"\d[eE][-+]?\Z")


def _arabic_skip(text: str, norm: str, s: int, e: int, quoted) -> str | None:
    run = norm[s:e]
    before, after = norm[s - 1:s] if s else "", norm[e:e + 1]
    if _inside(quoted, s):
        q = next((a, b) for a, b in quoted if a < s < b)
        inner = norm[q[0] + 1:q[1] - 1]
        if _DOT_PAIR.fullmatch(inner):
            return "date"
        return "quoted"
    if _SCI_AFTER.match(norm, e) or _SCI_BEFORE.search(norm, max(0, s - 3), s):
        return "malformed"  # 1e-308: scientific notation, which reports do not use
    if _LATIN.match(before) or _LATIN.match(after):
        return "code"
    if before == "[" and after == "]" or (before and before in "(（" and after and after in ")）" and _SMALL_INT.fullmatch(run)):
        return "footnote"
    if norm.endswith("第", 0, s) or norm.endswith("前", 0, s) and after in "名位" or norm.endswith("全省前", 0, s) or norm.endswith("全国前", 0, s):
        return "ordinal"
    if _INT_DOT.fullmatch(run) and _LINE_START_OUTLINE.search(norm, max(0, s - 8), s) and (after in "．.、" or run.endswith(".")):
        return "outline"
    return None


_WINDOW = 40  # context read on each side of a span (comparators, quotes, 第, units)


_ANY_DIGIT = re.compile(r"\d")  # what every date and Arabic-number pattern starts with
_NUMERAL_ANY = re.compile(f"[\\d{_CN_NUM_CH}]")  # what every mention starts with
_FW_ANY = re.compile("[０-９％．～－]")  # the characters _FW changes


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one: offsets are unchanged."""
    return text.translate(_FW) if _FW_ANY.search(text) else text


def scan(text: str, start: int = 0, end: int | None = None, norm: str | None = None) -> list[Number]:
    """All numbers in ``text[start:end]``, as quantities or skips, in text order.

    Reads only a window around the span, so scanning a report sentence by sentence
    costs the length of the report, not its square. ``norm`` is :func:`normalise`
    of the whole text when the caller scans many spans of it.
    """
    end = len(text) if end is None else end
    if not _NUMERAL_ANY.search(text if norm is None else norm, start, end):
        return []  # every mention starts with a digit or a Chinese numeral inside the span
    w0, w1 = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
    if w0 == 0 and w1 == len(text):
        return _scan(text, start, end, norm)
    out = _scan(text[w0:w1], start - w0, end - w0, norm[w0:w1] if norm is not None else None)
    for m in out:  # objects made by this call and seen by no one yet: shift them in place
        object.__setattr__(m, "start", m.start + w0)
        object.__setattr__(m, "end", m.end + w0)
    return out


def _scan(text: str, start: int, end: int, norm: str | None = None) -> list[Number]:
    if norm is None:
        norm = normalise(text)  # same length: offsets are shared with text
    quoted = _quoted_spans(norm)
    out: list[Number] = []
    taken = [False] * (len(text) + 1)

    def add(x: Number) -> None:
        out.append(x)
        for i in range(x.start, min(x.end, len(taken))):
            taken[i] = True

    pos = start
    # no digit before ``end``: none of the date or Arabic-number patterns can match (most sentences)
    digits = _ANY_DIGIT.search(norm, 0, end) is not None
    # dates first: years, month/day, dotted dates like 3·16 (in quotes or not)
    for m in _ISO_DATE.finditer(norm, start, end) if digits else ():
        add(Skipped(m.start(), m.end(), text[m.start():m.end()], "date"))
    for rx in (_YEAR, _MONTH_DAY) if digits else ():
        for m in rx.finditer(norm, start, end):
            if taken[m.start()] or m.start() and norm[m.start() - 1].isdigit():
                continue
            if rx is _MONTH_DAY and m.group(0).endswith(("日", "号")) and "月" not in m.group(0):
                continue  # a lone 15日 is only a date after 月 (handled with the month)
            e2 = m.end() + (1 if norm[m.end():m.end() + 1] == "年" else 0)
            if rx is _YEAR and m.start() > 0 and norm[m.start() - 1] == "第":
                continue
            if rx is _MONTH_DAY and norm[m.end():m.end() + 1] == "份":
                e2 += 1
            add(Skipped(m.start(), e2, text[m.start():e2], "date"))
    for m in _DOT_DATE.finditer(norm, 0, end) if digits else ():
        if m.start() >= start and not taken[m.start()]:
            add(Skipped(m.start(), m.end(), text[m.start():m.end()], "date"))
    for m in _FRACTION.finditer(norm, start, end):
        if not taken[m.start()] and not _inside(quoted, m.start()):
            add(_fraction(text, norm, m))
    while digits:
        found = _NUM_RUN.search(norm, pos, end)
        if not found:
            break
        s, e = found.start(), found.end()
        pos = e
        if taken[s]:
            continue
        run = found.group(0)
        rank = _rank(text, norm, s, e, run, "arabic") if _INT.fullmatch(run) else None
        if rank is not None:
            add(rank)
            pos = max(pos, rank.end)
            continue
        reason = _arabic_skip(text, norm, s, e, quoted)
        if reason:
            add(Skipped(s, e, text[s:e], reason))
            continue
        pct = run.endswith("%")
        body = run[:-1] if pct else run
        if "%%" in run or "%" in body or norm[e:e + 1] == "%":
            ee = e
            while ee < len(norm) and norm[ee] == "%":
                ee += 1
            add(Skipped(s, ee, text[s:ee], "malformed"))
            pos = ee
            continue
        if body.endswith((".", ",")):
            body = body.rstrip(".,")
            e = s + len(body) + (1 if pct else 0)
            pos = e
        value = parse_arabic(body)
        if value is None or norm[e:e + 1].isdigit():
            add(Skipped(s, e, text[s:e], "malformed"))
            continue
        num_end = s + len(body)
        q = _make(text, norm, s, num_end, body, value, "arabic", start)
        if q is not None:
            add(_checked(norm, q))
            pos = max(pos, q.end)
    # Chinese numerals: only with a unit/measure word or a multiplier, never a lone 一
    for found in _CN_RUN.finditer(norm, start, end):
        s, e = found.start(), found.end()
        if taken[s]:
            continue
        cn = found.group(0)
        # a multiplier glued to a following Arabic number belongs to it (handled above)
        if any(taken[i] for i in range(s, e)):
            continue
        q = _chinese(text, norm, s, e, cn, quoted)
        if q is not None:
            add(_checked(norm, q))
    out.sort(key=lambda x: (x.start, x.end))
    return out


def _checked(norm: str, q: Number) -> Number:
    """A parsed quantity, or a skip when it is absurd or its context says it measures nothing."""
    if not isinstance(q, Quantity):
        return q
    why = "out-of-range" if out_of_range(q) else _context_skip(norm, q)
    return Skipped(q.start, q.end, q.text, why) if why else q


# A rank: 排名提升至全国第六位, 总分第8位, 进入全省前50位, 跃居全国第一档次. The numeral is the value;
# 前 makes it "at most". Without a rank verb before it, 第 is an ordinal (第三轮督察, 第十三届).
_RANK_BEFORE = re.compile(r"(?:排名|排位|位次|名次|位居|跃居|居|列|排|升至|提升至|上升至|跃升至|[升跃提]到|进入|跻身|保持|处于|"
                          r"总分|总数|得分|获得|获|夺得|荣获|第[\d一二三四五六七八九十]{1,3}[位名]?、)"
                          r"(?:全国|全省|全市|全区|全县|全州|全球|世界|全国同类城市|同类城市|同类)?(?P<w>第|前)\Z")
_RANK_UNIT = re.compile(r"位|名|档次|方阵|梯队|平台")
_INT = re.compile(r"\d{1,3}")


def _rank(text: str, norm: str, s: int, e: int, number: str, numeral: str) -> Quantity | None:
    m = _RANK_BEFORE.search(norm, max(0, s - 12), s)
    if not m:
        return None
    value = Decimal(number) if numeral == "arabic" else Decimal(parse_chinese_numeral(number) or 0)
    if value <= 0:
        return None
    u = _RANK_UNIT.match(norm, e)
    if not u and _CJK.match(norm, e) and not norm.startswith("的", e):
        return None  # 第二轮, 第一批, 第四届: an ordinal before a measure word
    end = u.end() if u else e
    return Quantity(s, end, text[s:end], number, value, u.group() if u else "", value, "RANK", None, "rank",
                    "le" if m.group("w") == "前" else "eq", numeral=numeral)


# A fraction is a share: 苹果产量稳定在全国1/4, 打造三分之一以上五星级党支部 (written as a percentage, 25%, 33.3%)
_FRACTION = re.compile(r"(?<![\d/.])(?P<a>[1-9])/(?P<b>[2-9]|10)(?![\d/.])"
                       r"|(?P<cb>[二三四五六七八九十]|十[一二三四五六七八九]?)分之(?P<ca>[一二三四五六七八九])")


def _fraction(text: str, norm: str, m: re.Match[str]) -> Number:
    if m.group("a"):
        a, b = int(m.group("a")), int(m.group("b"))
    else:
        a, b = parse_chinese_numeral(m.group("ca")) or 0, parse_chinese_numeral(m.group("cb")) or 1
    end = m.end()
    suffix = re.match(r"以上|以下|以内|左右", norm[end:end + 2])
    if suffix:
        end += 2
    if not 0 < a < b:
        return Skipped(m.start(), end, text[m.start():end], "malformed")
    value = (Decimal(100) * a / b).quantize(Decimal("0.1"))
    cmp = _SUFFIX_CMP[suffix.group()] if suffix else _prefix_cmp(norm, m.start()) or "eq"
    return Quantity(m.start(), end, text[m.start():end], m.group(), value, "%", value, "PERCENT", QUDT_UNIT + "PERCENT",
                    "percent", cmp, numeral="fraction")


def _chinese(text: str, norm: str, s: int, e: int, cn: str, quoted) -> Number | None:
    before = norm[s - 1:s] if s else ""
    if before in ("第", "前") and len(cn) <= 3:
        rank = _rank(text, norm, s, e, cn, "chinese")
        if rank is not None:
            return rank
    if cn in ("零", "〇"):
        return None  # 零部件, 零关税, 零碳: a word, not the number nought
    if cn == "两" and _DOUBLE_DIGITS.match(norm, e):
        # 实现了两位数增长: a growth rate of at least 10 per cent
        return Quantity(s, e + 2, text[s:e + 2], "两位数", Decimal(10), "%", Decimal(10), "PERCENT",
                        QUDT_UNIT + "PERCENT", "percent", "ge", direction=1, numeral="chinese")
    bare_mult = cn in ("万", "亿", "万亿")
    if not bare_mult and (cn == "一" and not _ONE_MORE.search(norm, max(0, s - 14), s) or len(cn) == 1 and cn in "十百千"):
        return None  # 一张清单, 一批: the article "a", not a count (the commonest run: checked first)
    value = parse_chinese_numeral(cn)
    if value is None:
        return None
    # split off a trailing multiplier (百亿 = 百 × 亿 handled by the numeral parser itself)
    _m, unit, tend, suffix = _tail(norm, e)
    if bare_mult and (not _prefix_cmp(norm, s) or not unit):
        return None  # 超万元 / 超亿元: a multiplier standing for one of itself, only after a comparator
    has_big = cn[-1] in "万亿"
    if not unit and not has_big:
        return None  # 两大, 三区三线: a numeral without a measure word is part of a word
    if not unit and has_big and len(cn) < 2:
        return None
    if before == "第":
        return Skipped(s, tend, text[s:tend], "ordinal")
    if _inside(quoted, s):
        return Skipped(s, tend, text[s:tend], "quoted")
    if unit == "届" and not (value <= 9 and _ACTED_ON.search(norm, max(0, s - 5), s)):
        return None  # 第十四届, 十四届全运会: an edition; 成功举办两届……: how many were held
    # the trailing 万/亿 of a Chinese numeral is a multiplier: keep it in the written unit
    mult = ""
    number = cn
    if has_big and value is not None:
        for k in ("万亿", "亿", "万"):
            if cn.endswith(k) and len(cn) > len(k):
                mult, number = k, cn[: -len(k)]
                break
        if bare_mult:
            mult, number = cn, "一"
    num_value = parse_chinese_numeral(number) if number != "一" or not bare_mult else 1
    if num_value is None:
        return None
    return _build_cn(text, norm, s, tend, number, Decimal(num_value), mult, unit, suffix)


def _build_cn(text, norm, s, end, number, value, mult, unit, suffix) -> Quantity:
    if unit:
        code, factor, iri, kind = unit_info(unit)
    else:
        code, factor, iri, kind = "", Decimal(1), None, "none"
    scale = MULTIPLIERS.get(mult, Decimal(1)) * factor
    comparator = _SUFFIX_CMP.get(suffix or "", None) or _prefix_cmp(norm, s) or "eq"
    return Quantity(s, end, text[s:end], number, value, mult + unit, value * scale, code, iri,
                    kind if unit else "none", comparator, None, None,
                    _direction(norm, s - len(_prefix_word(norm, s))), "chinese")


# Context rules that turn a parsed quantity into a documented skip (general Chinese usage).
_MODIFIER_HEAD = re.compile(r"(?:项目|产业|企业|级|老人|老年|目标|工程|集群|人口|儿童|群体|家庭|以上的|以下的|规模)")
# 3.5公里改线工程, 9兆瓦时储能系统: the size names the project or the equipment
_PROJECT_OF = re.compile(r"的[^，,；;。、]{1,16}?(?:项目|工程|改造|建设|中心|大楼|馆|院|站|园|厂)|、(?:占地|建筑面积|总投资|全长)"
                         r"|[\u4e00-\u9fff]{2,14}?(?:项目|工程)(?![\u4e00-\u9fff]{0,2}(?:投资|资金))")
_PHYSICAL_HEAD = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:工程|项目|系统|机组|电站|装置|生产线|光伏|风电|发电|储能|抽水蓄能|厂|基地)")
_SIZE_BEFORE = re.compile(r"(?:投资|总投资|计划投资|占地|面积|全长|总长|过|超|出栏|年产|产能|规模|(?<![提增])高|(?<![延增成])长|宽|深)\Z")  # 投资3500万元的……变电站
_STREAK_BEFORE = ("连续", "前", "近", "过去", "最近", "今后", "未来", "这", "过去的", "今后的", "延长", "时隔", "用")
_STREAK_AFTER = ("来", "内", "以来")
_STREAK_UNITS = ("年", "月", "届", "次", "季度", "周", "天")  # 五年来, 3年内: a period, not an amount of time
_PROGRAMME_AFTER = re.compile(r"[\u4e00-\u9fff]{0,3}?(?:行动|计划|攻坚|规划)")
_NAME_AFTER = re.compile(r"(?:全会|全体|会议|党代会|一贯制)")  # 十一届九次全会, 九年一贯制
# 我国有2.9亿在校学生, 全国百强县中我区有4个; not 已有/现有/拥有 (a result) nor 测评点中有22项 (a part of a whole)
_SLOGAN_COUNT = re.compile(r"[两三四五六七八九十]个\Z")
# A Chinese count right after an action on things (修建了三条……, 成功举办两届……, 建成四座……) counts them; so does
# one before the act it counts (两次下调……); a slogan's head (方面, 原则, 理念, 规定) or a quote never
_ACTED_ON = re.compile(r"(?:建成|新建|修建|改建|扩建|建设|改造|新增|举办|承办|开通|获得|荣获|引进|完成|组织|召开|出台|创建|"
                       r"培育|签约|投产|设立|组建|开工|竣工|发布|认定|评选|表彰|接待|派出|选派|救治|打掉|破获|查处|"
                       r"(?<![提改])获|建)(?:了|成功)?\Z")
# 修建了三条园区道路和一座地道桥: 一 after a count of the same list is one more
_ONE_MORE = re.compile(r"[两三四五六七八九十\d][条座所家处台栋辆艘架部项个][^，,；;。、和]{1,10}[和、及]\Z")
_ACTS_COUNTED = re.compile(r"(?:下调|上调|召开|举办|开展|组织|降低|提高|调整|发放|派出)")
_SLOGAN_HEAD = re.compile(r"[^，,；;。]{0,6}?(?:方面|原则|理念|规定|意识|自信|全面|战略|要求|精神|任务|重点|机制|体系|目标|"
                          r"行动|工程|中心|基地|板块|产业|经济|之城|强省|强市|强县)")


def _counted_things(norm: str, q: Quantity, after: str) -> bool:
    """Whether a Chinese count before a noun counts real things or acts (see _ACTED_ON), not a slogan."""
    if q.unit_kind != "count" or q.value > 99 or after[:1] in "“\"「（(":
        return False
    if q.unit == "次" and _ACTS_COUNTED.match(after):
        return True
    head = norm[q.end:q.end + 16]
    acted = _ACTED_ON.search(norm, max(0, q.start - 5), q.start) \
        or q.value == 1 and _ONE_MORE.search(norm, max(0, q.start - 14), q.start)
    return bool(acted) and not _SLOGAN_HEAD.match(head) and not q.unit.endswith("个")
_ACHIEVED = re.compile(r"获|入选|达到|实现|完成|建成|通过|荣获|被评为|列入|纳入")
_FACT_BEFORE = re.compile(r"(?<![拥共现具没所占含已中])有\Z")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LISTED = re.compile(r"[\u4e00-\u9fff]{1,4}[（(]")  # the things counted are then named in brackets
_CLAUSE_END_CH = "，,；;。！？!?：:）)\n"  # 新建幼儿园两所。: a count after its noun, at the end of a clause


def _context_skip(norm: str, q: Quantity) -> str | None:
    if q.unit_kind == "rank":
        return None
    after = norm[q.end:q.end + 6]
    before = norm[max(0, q.start - 4):q.start]
    if q.unit == "":
        if after[:1] and after[:1] in "号强" or before.endswith("第"):
            return "ordinal"  # 4号线, 500强
        if q.numeral == "arabic" and _YEAR_ONLY.fullmatch(q.number):
            return "date"  # 回首2021
        if after.startswith("方面"):
            return "discourse"
        return "no-unit"
    if after.startswith("级"):
        return "modifier"  # 百亿级, 220吨级: a size class
    if (q.unit_kind in ("money", "none") or q.norm_unit == "YR" and q.unit.endswith("岁")) and _MODIFIER_HEAD.match(after):
        return "modifier"
    if q.unit.endswith("岁") and _CJK.match(after):
        return "modifier"  # 3岁以下婴幼儿: an age class
    if q.unit.endswith("千伏") and _CJK.match(after):
        return "modifier"  # 110千伏变电站: a voltage class names the equipment
    if q.unit_kind == "physical" and _PHYSICAL_HEAD.match(after):
        return "modifier"
    if after.startswith("的") and q.unit_kind in ("money", "physical", "count") and (
            q.comparator in ("ge", "le") or q.comparator == "approx" and q.unit_kind != "count" or _SIZE_BEFORE.search(before)):
        return "modifier"  # 10万元以上的村, 投资3500万元的胡村变电站, 纳税过百万元的企业, 投资近150亿元的……项目
    if q.unit_kind in ("money", "physical") and _PROJECT_OF.match(norm, q.end):
        return "modifier"  # 3800万元的背街巷道改造, 总投资11亿元、占地600亩的…校区: the size of a project
    if q.unit.endswith("号"):
        return "ordinal"
    if q.unit_kind == "none" and q.unit:  # 百亿, 千亿: a bare multiplier numeral
        return "modifier"
    if q.norm_unit == "YR" and q.unit.endswith("周年"):
        return "anniversary"
    if q.unit in ("次", "年") and _NAME_AFTER.match(after):
        return "name"
    if before.endswith("连续") and q.unit_kind in ("time", "count") and q.unit.lstrip("个") in _STREAK_UNITS:
        return "streak"  # 连续48个月保持两位数增长, 连续12届获……: how long a run lasted
    if q.norm_unit == "YR" and q.unit == "年":
        if any(before.endswith(w) for w in _STREAK_BEFORE) or after.startswith(_STREAK_AFTER):
            return "streak"
        if _PROGRAMME_AFTER.match(after):
            return "programme"
    if q.unit.endswith("个") and after.startswith("方面"):
        return "discourse"
    if q.numeral == "chinese" and q.unit_kind == "count" and (after[:1] and after[:1] in "“\"「" or _LISTED.match(after)):
        return "named-count"  # 三个“一号工程”, 打造三个基地（机械制造……）
    if q.numeral == "arabic" and _SLOGAN_COUNT.search(before):
        return "named-count"  # 解决好三个1亿人问题: a number inside a counted slogan
    if q.numeral == "chinese" and q.unit not in ("成", "%") and _CJK.match(after) and (
            q.unit.startswith(("万", "亿")) or q.unit_kind == "money"):
        return "modifier"  # 百万吨乙烯, 千亿斤粮食产能提升行动, 营收过百亿元农产品加工企业: a size class
    if q.numeral == "chinese" and not (q.unit.startswith(("万", "亿")) or q.unit in ("成", "%")):
        if q.norm_unit == "YR":
            return "streak"  # 五年来, 今后五年, 奋斗的五年: a period
        if not after[:1] or after[:1] not in _CLAUSE_END_CH:
            if _counted_things(norm, q, after):
                return None  # 修建了三条园区道路, 成功举办两届……大赛, 两次下调存款准备金率: real things or acts
            return "named-count"  # 中央八项规定, 两个翻一番, 三次产业: the count names or lists, it measures nothing
    if _FACT_BEFORE.search(before) and not _ACHIEVED.search(re.split(r"[，,；;。]", norm[q.end:q.end + 12])[0]):
        return "fact"  # 我国有2.9亿在校学生; not 有109项作品获全国大奖
    return None


def quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Only the quantities of :func:`scan`."""
    return [x for x in scan(text, start, end) if isinstance(x, Quantity)]
