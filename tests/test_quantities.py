"""Quantities: one table of (sentence from a real report, expected) per rule."""
from decimal import Decimal

import pytest

from kg.extract.quantities import fmt, parse_chinese_numeral, quantities, scan
from kg.model import Quantity, Skipped


def one(text, surface):
    """The single mention whose surface is ``surface``; offsets must give the surface back."""
    hits = [m for m in scan(text) if m.text == surface]
    assert len(hits) == 1, [(m.text, type(m).__name__) for m in scan(text)]
    m = hits[0]
    assert text[m.start:m.end] == m.text
    return m


@pytest.mark.parametrize("cn,value", [
    ("两", 2), ("三", 3), ("十", 10), ("二十九", 29), ("一百二十", 120), ("百", 100), ("百亿", 10 ** 10),
    ("千亿", 10 ** 11), ("一亿二千万", 120000000), ("三亿五千万", 350000000), ("万亿", 10 ** 12), ("三万", 30000), ("十万", 100000), ("两千", 2000), ("五", 5),
    ("一二", None), ("七八", None),
])
def test_chinese_numerals(cn, value):
    assert parse_chinese_numeral(cn) == value


# (sentence, surface, value as written, unit as written, normalised value, normalised unit, comparator)
AMOUNTS = [
    ("实现地区生产总值1247亿元、增长0.7%", "1247亿元", "1247", "亿元", "124700000000", "CNY", "eq"),
    ("实现地区生产总值1247亿元、增长0.7%", "0.7%", "0.7", "%", "0.7", "PERCENT", "eq"),
    ("实际利用外资4.4亿美元、增长67.9%", "4.4亿美元", "4.4", "亿美元", "440000000", "USD", "eq"),
    ("发放稳岗补贴9320万元", "9320万元", "9320", "万元", "93200000", "CNY", "eq"),
    ("为22万余名60岁以上老人发放“防疫包”", "22万余名", "22", "万名", "220000", "名", "ge"),
    ("1684户低收入家庭户均稳定增收超万元", "万元", "1", "万元", "10000", "CNY", "ge"),
    ("实施异地搬迁1.35万人", "1.35万人", "1.35", "万人", "13500", "人", "eq"),
    ("供应土地9779亩", "9779亩", "9779", "亩", "651.933333", "HA", "eq"),
    ("建成高标准农田0.6万亩", "0.6万亩", "0.6", "万亩", "400", "HA", "eq"),
    ("腾出用能10.6万吨标煤", "10.6万吨标煤", "10.6", "万吨标煤", "106000", "TCE", "eq"),
    ("PM2.5平均浓度28微克/立方米，为历年最佳", "28微克/立方米", "28", "微克/立方米", "28", "MicroGM-PER-M3", "eq"),
    ("开工建设分布式光伏项目173.3兆瓦、并网159兆瓦", "173.3兆瓦", "173.3", "兆瓦", "173.3", "MegaW", "eq"),
    ("装机容量达到127.8万千瓦", "127.8万千瓦", "127.8", "万千瓦", "1278000", "KiloW", "eq"),
    ("粮食产量1.37万亿斤，增产74亿斤", "1.37万亿斤", "1.37", "万亿斤", "685000000000", "KiloGM", "eq"),
    ("缓税缓费7500多亿元", "7500多亿元", "7500", "亿元", "750000000000", "CNY", "ge"),
    ("一般公共预算收入重返100亿元、增长5.2%", "100亿元", "100", "亿元", "10000000000", "CNY", "ge"),
    ("力争规上工业总产值突破3000亿元", "3000亿元", "3000", "亿元", "300000000000", "CNY", "ge"),
    ("规上工业增加值增长8%以上", "8%以上", "8", "%", "8", "PERCENT", "ge"),
    ("地区生产总值增长6%左右", "6%左右", "6", "%", "6", "PERCENT", "approx"),
    ("城镇调查失业率控制在5%以内", "5%以内", "5", "%", "5", "PERCENT", "le"),
    ("全社会研发投入强度达到3.5%以上", "3.5%以上", "3.5", "%", "3.5", "PERCENT", "ge"),
    ("高于全省平均2个百分点以上", "2个百分点以上", "2", "个百分点", "2", "PERCENT_POINT", "ge"),
    ("年内新建幼儿园两所。", "两所", "2", "所", "2", "所", "eq"),  # a Chinese count after its noun
    ("平均电价下降5分/千瓦时", "5分/千瓦时", "5", "分/千瓦时", "0.05", "CNY-PER-KiloW-HR", "eq"),
    ("高标准农田5000亩，“万亩大方”2处", "2处", "2", "处", "2", "处", "eq"),
    ("办理人大建议1,247件", "1,247件", "1,247", "件", "1247", "件", "eq"),
    ("全省生产总值增长５．５％", "５．５％", "5.5", "%", "5.5", "PERCENT", "eq"),
    ("吸引50多万游客打卡体验", "50多万", "50", "万", "500000", "", "ge"),
    ("主变电压等级为110千伏。", "110千伏", "110", "千伏", "110", "KiloV", "eq"),
    ("人口自然增长率控制在6.8‰以内", "6.8‰以内", "6.8", "‰", "6.8", "PERMILLE", "le"),
    ("营商环境一级、二级指标中超七成达到国内一流", "七成", "7", "成", "70", "PERCENT", "ge"),
    ("新增城镇生活污水处理能力18.92万吨/日", "18.92万吨/日", "18.92", "万吨/日", "189200", "TONNE-PER-DAY", "eq"),
    ("“蒙科聚”平台交易转化2412笔、增长8.7%", "2412笔", "2412", "笔", "2412", "笔", "eq"),
    ("为80万重点群体提供服务", "80万", "80", "万", "800000", "", "eq"),
    ("入境游客达到千万人次", "千万人次", "1000", "万人次", "10000000", "人次", "eq"),
]


@pytest.mark.parametrize("text,surface,value,unit,norm,norm_unit,cmp", AMOUNTS)
def test_amounts(text, surface, value, unit, norm, norm_unit, cmp):
    q = one(text, surface)
    assert isinstance(q, Quantity)
    assert q.value == Decimal(value.replace(",", ""))
    assert q.unit == unit
    assert fmt(q.norm_value) == norm
    assert q.norm_unit == norm_unit
    assert q.comparator == cmp


# A rank is a result or a target (排名提升至全国第六位): the numeral is its value, 前 makes it "at most"
@pytest.mark.parametrize("text,surface,value,unit,cmp", [
    ("区域农业品牌排名提升至全国第六位", "六位", "6", "位", "eq"),
    ("我省运动员在九届全运会上获得金牌12枚、总分第8位的好成绩", "8位", "8", "位", "eq"),
    ("全国冬运会连续十四届保持金牌、奖牌总数第一名", "一名", "1", "名", "eq"),
    ("地方财政绩效管理综合考核跃居全国第一档次", "一档次", "1", "档次", "eq"),
    ("“高效办成一件事”工作成效处于全国第一方阵", "一方阵", "1", "方阵", "eq"),
    ("力争财政收入达30亿元，综合实力进入全省前50位", "50位", "50", "位", "le"),
    ("营商环境评价指数列全省第3。", "3", "3", "", "eq"),
    ("生态满意度进入全省前20。", "20", "20", "", "le"),
])
def test_ranks(text, surface, value, unit, cmp):
    q = one(text, surface)
    assert isinstance(q, Quantity) and q.unit_kind == "rank"
    assert (q.value, q.unit, q.comparator) == (Decimal(value), unit, cmp)


@pytest.mark.parametrize("text,surface,lo,hi,unit", [
    ("全省地区生产总值增长5.0%—5.5%，根据实际情况争取更好的结果", "5.0%—5.5%", "5.0", "5.5", "%"),
    ("全省生产总值增长5%—5.5%，在实际工作中努力争取更好结果", "5%—5.5%", "5", "5.5", "%"),
    ("气源综合价格下降3-5分/立方米", "3-5分/立方米", "3", "5", "分/立方米"),
])
def test_ranges(text, surface, lo, hi, unit):
    q = one(text, surface)
    assert (q.comparator, q.value, q.value_max, q.unit) == ("range", Decimal(lo), Decimal(hi), unit)


@pytest.mark.parametrize("text,surface,direction", [
    ("一般公共预算收入95.1亿元、下降16.9%", "16.9%", -1),
    ("交通亡人事故下降31.6%、亡人数为历年新低", "31.6%", -1),
    ("服务业增加值500.9亿元、增长1.3%", "1.3%", 1),
    ("服务业增加值500.9亿元、增长1.3%", "500.9亿元", 0),
    ("居民消费价格涨幅2%左右", "2%左右", 1),
])
def test_direction(text, surface, direction):
    q = one(text, surface)
    assert q.direction == direction


# (sentence, surface, skip reason): numbers that measure nothing, each with its documented reason
SKIPS = [
    ("苦战实战打赢了“3·16”“3·18”“4·2”等疫情歼灭战", "3·16", "date"),
    ("2022年工作回顾", "2022年", "date"),
    ("经济运行5月迅速恢复、6月稳步向好", "5月", "date"),
    ("时间：2026-01-22 浙江省省长", "2026-01-22", "date"),
    ("回首2021，我们激情奋进", "2021", "date"),
    ("第二十九届观潮节成功举办", "二十九届", "ordinal"),
    ("以接受第三轮中央生态环境保护督察为契机", "三轮", "ordinal"),
    ("现在，我代表容城县第十四届人民政府", "十四届", "ordinal"),
    ("漳州核电2—4号机组、宁德核电5号机组", "5", "ordinal"),
    ("“142”产业集群加速崛起", "142", "quoted"),
    ("共同富裕“五个10万”行动扎实推进", "10", "quoted"),
    ("G524国道海宁段全线开工", "524", "code"),
    ("比率100%，PM2.5平均浓度", "2.5", "code"),
    ("深入实施“1556”战略[1]，真抓实干", "1", "footnote"),
    ("为22万余名60岁以上老人发放“防疫包”", "60岁以上", "modifier"),
    ("新开工超亿元产业项目77个、超10亿元项目9个", "10亿元", "modifier"),
    ("国内推力最大的220吨级氢氧火箭发动机整机试验圆满成功", "220吨", "modifier"),
    ("推动晶科二期、正泰二期两个百亿项目建成投产", "百亿", "modifier"),
    ("推动晶科二期、正泰二期两个百亿项目建成投产", "两个", "named-count"),
    ("全年入境游客达到千万人次层级", "千万人次", "modifier"),  # a size class, as 百亿级  # a Chinese count before its noun
    ("建设110千伏输变电工程", "110千伏", "modifier"),  # a voltage class
    ("①启动投资3500万元的胡村变电站建设", "3500万元", "modifier"),  # the size of a project
    ("④启动津保北线李家营段3.5公里改线工程", "3.5公里", "modifier"),
    ("村集体收入10万元以上的村达到50%", "10万元以上", "modifier"),  # a threshold
    ("对纳税过百万元的骨干企业实行挂牌保护", "百万元", "modifier"),
    ("加快发展普惠托育服务，3岁以下婴幼儿托位增加", "3岁以下", "modifier"),
    ("自治区党委召开十一届九次全会暨全区经济工作会议", "九次", "name"),
    ("完成了市十六届人大三次会议确定的目标任务", "三次", "name"),
    ("力争新谋划的九年一贯制学校开工建设", "九年", "name"),
    ("南外环下穿107国道和京广铁路地道桥", "107", "no-unit"),
    ("对今后五年和2012年的工作提出建议", "五年", "streak"),
    ("五年来，在市委、市政府的正确领导下", "五年", "streak"),
    ("争取3年内让全部废弃矿山复绿焕新", "3年", "streak"),
    ("虽然全国百强县中我区有4个，但还有34个旗县经济总量不足百亿", "4个", "fact"),
    ("今年我区有17万应届大学生毕业", "17万", "fact"),
    ("科创中心连续三年获国家级科技企业孵化器考核优秀", "三年", "streak"),
    ("生产安全事故起数、亡人数同比前三年平均值分别下降41%和45.8%", "三年", "streak"),
    ("完成国企改革三年行动", "三年", "programme"),
    ("“八八战略”实施20周年", "20周年", "anniversary"),
    ("工作成效主要体现在五个方面：", "五个", "discourse"),
    ("坚定不移推进三个“一号工程”", "三个", "named-count"),
    ("深化12345便民热线改革", "12345", "no-unit"),
    ("收入倍差缩小至1.83。", "1.83", "no-unit"),
]


@pytest.mark.parametrize("text,surface,reason", SKIPS)
def test_skips(text, surface, reason):
    m = one(text, surface)
    assert isinstance(m, Skipped)
    assert m.reason == reason


def test_outline_numbers_are_skipped():
    text = "长10%以上。\n2.全力强企业。新增上市公司3家。"
    kinds = [(m.text, getattr(m, "reason", "Q")) for m in scan(text)]
    assert kinds == [("10%以上", "Q"), ("2", "outline"), ("3家", "Q")]


@pytest.mark.parametrize("text,surface", [
    ("收入1,2,3亿元", "1,2,3"),  # bad digit grouping: no value rather than 3亿
    ("增长5%%", "5%%"),
    ("产值1.2.3亿元", "1.2.3"),
    ("增长%%5", None),
])
def test_malformed_never_gets_a_value(text, surface):
    ms = scan(text)
    if surface is not None:
        m = one(text, surface)
        assert isinstance(m, Skipped) and m.reason == "malformed"
    # no quantity may claim a value from inside the malformed run
    for q in quantities(text):
        assert q.text not in ("3亿元", "2,3亿元", "5%", "3亿元")
    assert all(text[m.start:m.end] == m.text for m in ms)


@pytest.mark.parametrize("text", ["", "%%", "亿元", "，，，", "1" * 400, "第", "超", "万亿", "1,", "1.", "—5%", "5%—"])
def test_junk_never_crashes(text):
    for m in scan(text):
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text", ["统一一般公共预算", "落实一揽子政策", "建立“一张清单、十大机制”", "两大国家战略叠加效应"])
def test_numerals_inside_words_are_not_numbers(text):
    assert quantities(text) == []


def test_every_unit_is_consistent():
    from kg.extract.quantities import _U
    for code, factor, iri, kind in _U.values():
        assert code and factor > 0 and kind
        assert iri is None or iri.startswith("http://qudt.org/vocab/")


def test_random_slices_of_real_text_never_crash_and_keep_offsets():
    """Every slice boundary and junk insertion: mentions stay exact, values stay finite."""
    import glob
    import os
    import random

    here = os.path.dirname(os.path.abspath(__file__))
    texts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(here, "data", "corpus", "*[0-9].txt")))]
    rnd = random.Random(4)
    junk = ["%%", "1,2,3", "..", "亿亿", "万万", "—", "第", "“", "”", "１２．", "0.", ",", "个百分点", "以上以上"]
    for _ in range(300):
        t = rnd.choice(texts)
        a = rnd.randrange(len(t))
        s = t[a:a + rnd.randrange(1, 120)]
        if rnd.random() < 0.5:
            k = rnd.randrange(len(s) + 1)
            s = s[:k] + rnd.choice(junk) + s[k:]
        for m in scan(s):
            assert s[m.start:m.end] == m.text
            if isinstance(m, Quantity):
                assert m.norm_value.is_finite() and m.value >= 0


# --- the look-behind helpers: (text before the number, expected), and the loops they replace
def _direction_loop(norm, start):
    from kg.extract.quantities import _DOWN, _UP

    back = norm[max(0, start - 4):start]
    for w in _DOWN:
        if back.endswith(w) or back[:-1].endswith(w) and back[-1:] in "了至到":
            return -1
    for w in _UP:
        if back.endswith(w) or back[:-1].endswith(w) and back[-1:] in "了至到为":
            return 1
    return 0


def _prefix_word_loop(norm, start):
    from kg.extract.quantities import _PREFIX_CMP

    return next((w for w, _ in _PREFIX_CMP if norm.endswith(w, 0, start)), "")


@pytest.mark.parametrize("before, direction, word", [
    ("地区生产总值增长", 1, ""), ("能耗下降了", -1, ""), ("收入提高为", 1, ""), ("收入下降为", 0, ""),
    ("单位能耗降至", -1, ""), ("投资增长超过", 0, "超过"), ("占比不超过", 0, "不超过"), ("人口接近", 0, "接近"),
    ("用时近", 0, "近"), ("减", -1, ""), ("", 0, ""), ("年均增长约", 0, "约"), ("不低于", 0, "不低于"),
])
def test_direction_and_prefix_word(before, direction, word):
    from kg.extract.quantities import _PREFIX_CMP, _direction, _prefix_cmp, _prefix_word

    text = before + "5%"
    n = len(before)
    assert (_direction(text, n), _prefix_word(text, n)) == (direction, word)
    assert _prefix_cmp(text, n) == (dict(_PREFIX_CMP)[word] if word else None)


def test_lookbehind_regexes_agree_with_the_word_loops():
    """Every word list entry, alone and after each other entry, with and without 了/至/到/为."""
    from kg.extract.quantities import _DOWN, _PREFIX_CMP, _UP, _direction, _prefix_word

    words = list(_DOWN) + list(_UP) + [w for w, _ in _PREFIX_CMP] + ["", "同比", "了", "为"]
    for a in words:
        for b in words:
            for tail in ("", "了", "至", "到", "为", "x"):
                norm = "前" + a + b + tail
                for start in range(len(norm) + 1):
                    assert _direction(norm, start) == _direction_loop(norm, start), (norm, start)
                    assert _prefix_word(norm, start) == _prefix_word_loop(norm, start), (norm, start)


def test_prefix_comparators_list_longer_words_first():
    """_prefix_word takes the longest word; the list order must agree (不超过 before 超过)."""
    from kg.extract.quantities import _PREFIX_CMP

    words = [w for w, _ in _PREFIX_CMP]
    for i, w in enumerate(words):
        for v in words[i + 1:]:
            assert not v.endswith(w) or v == w, (w, v)


def test_scan_of_a_span_gives_offsets_into_the_whole_text():
    text = "前言。" * 30 + "实现地区生产总值1247亿元、增长0.7%。" + "后记。" * 30
    start = text.index("实现")
    ms = scan(text, start, start + 22)
    assert [(m.text, text[m.start:m.end]) for m in ms] == [("1247亿元", "1247亿元"), ("0.7%", "0.7%")]


@pytest.mark.parametrize("text, span, expected", [
    ("各位代表：现在，我代表市人民政府向大会报告工作。", None, []),
    ("增长8%。各位代表：现在报告工作。两个先行。", (5, 16), []),  # numbers around the span, none in it
    ("增长8%。各位代表：现在报告工作。两个先行。", (16, 23), ["两个"]),
    ("全年增长８％。", None, ["８％"]),  # full-width digits are digits
])
def test_spans_without_numerals(text, span, expected):
    ms = scan(text, *span) if span else scan(text)
    assert [m.text for m in ms] == expected
