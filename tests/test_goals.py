"""Targets and observations: tables of real sentences, the seed gold, and every report's main targets."""
import os

import pytest

from conftest import CORPUS, ROOT, SEED
from kg.evaluate_goals import evaluate_goals, load_gold, uncovered_numbers
from kg.extract.goals import extract_goals, extract_text, indicator_key
from kg.extract.quantities import SKIP_REASONS

GOLD = os.path.join(ROOT, "tests", "gold", "haining-2023.goals.json")


def facts(text, kind, year=2023):
    res = extract_text(text, kind, year)
    return [(f.kind, f.surface, f.indicator, f.measure, f.comparator, f.value, f.unit) for f in res.facts]


# (sentence from a report, part kind, expected facts in text order)
SENTENCES = [
    ("实现地区生产总值1247亿元、增长0.7%，规上工业增加值472.8亿元、企稳回正。", "review", [
        ("observation", "1247亿元", "地区生产总值", "level", "eq", "1247", "亿元"),
        ("observation", "0.7%", "地区生产总值", "growth", "eq", "0.7", "%"),
        ("observation", "472.8亿元", "规上工业增加值", "level", "eq", "472.8", "亿元"),
    ]),
    ("城镇及农村居民人均可支配收入分别达74764元和47777元，增长2.4%和5.2%。", "review", [
        ("observation", "74764元", "城镇居民人均可支配收入", "level", "eq", "74764", "元"),
        ("observation", "47777元", "农村居民人均可支配收入", "level", "eq", "47777", "元"),
        ("observation", "2.4%", "城镇居民人均可支配收入", "growth", "eq", "2.4", "%"),
        ("observation", "5.2%", "农村居民人均可支配收入", "growth", "eq", "5.2", "%"),
    ]),
    ("城乡居民人均可支配收入分别增长4.3%、6.1%，十方面民生实事圆满完成。", "review", [
        ("observation", "4.3%", "城镇居民人均可支配收入", "growth", "eq", "4.3", "%"),
        ("observation", "6.1%", "农村居民人均可支配收入", "growth", "eq", "6.1", "%"),
    ]),
    ("一般公共预算收入95.1亿元、下降16.9%。", "review", [
        ("observation", "95.1亿元", "一般公共预算收入", "level", "eq", "95.1", "亿元"),
        ("observation", "16.9%", "一般公共预算收入", "growth", "eq", "16.9", "%"),
    ]),
    ("财政民生支出96.2亿元，占一般公共预算支出的78.6%。", "review", [
        ("observation", "96.2亿元", "财政民生支出", "level", "eq", "96.2", "亿元"),
        ("observation", "78.6%", "财政民生支出占一般公共预算支出比重", "level", "eq", "78.6", "%"),
    ]),
    ("天通吉成等12家企业成为国家级专精特新“小巨人”企业，新增“浙江制造”标准23项。", "review", [
        ("observation", "12家", "国家级专精特新小巨人企业", "level", "eq", "12", "家"),
        ("observation", "23项", "新增浙江制造标准", "level", "eq", "23", "项"),
    ]),
    ("建筑业产值超400亿元。金融机构存贷款突破5000亿元，嘉兴唯一。", "review", [
        ("observation", "400亿元", "建筑业产值", "level", "ge", "400", "亿元"),
        ("observation", "5000亿元", "金融机构存贷款", "level", "ge", "5000", "亿元"),
    ]),
    ("全年国内生产总值增长3%，城镇新增就业1206万人，年末城镇调查失业率降到5.5%，居民消费价格上涨2%。", "review", [
        ("observation", "3%", "国内生产总值", "growth", "eq", "3", "%"),
        ("observation", "1206万人", "城镇新增就业", "level", "eq", "1206", "万人"),
        ("observation", "5.5%", "年末城镇调查失业率", "level", "eq", "5.5", "%"),
        ("observation", "2%", "居民消费价格", "growth", "eq", "2", "%"),
    ]),
    ("固定资产投资增长15%，力争700亿元；全社会研发投入强度达到3.8%；城镇和农村居民人均可支配收入与经济增长同步。", "plan", [
        ("target", "15%", "固定资产投资", "growth", "eq", "15", "%"),
        ("target", "700亿元", "固定资产投资", "level", "eq", "700", "亿元"),
        ("target", "3.8%", "全社会研发投入强度", "level", "eq", "3.8", "%"),
    ]),
    ("力争规上工业总产值突破3000亿元，规上工业增加值增长8%以上，战略性新兴产业、高新技术产业增加值增长10%以上。", "plan", [
        ("target", "3000亿元", "规上工业总产值", "level", "ge", "3000", "亿元"),
        ("target", "8%以上", "规上工业增加值", "growth", "ge", "8", "%"),
        ("target", "10%以上", "战略性新兴产业、高新技术产业增加值", "growth", "ge", "10", "%"),
    ]),
    ("光伏新能源产业推动晶科二期、正泰二期两个百亿项目建成投产，产值突破750亿元、向千亿目标进军。", "plan", [
        ("target", "750亿元", "光伏新能源产业产值", "level", "ge", "750", "亿元"),
    ]),
    ("全省地区生产总值增长5.0%—5.5%，根据实际情况争取更好的结果，城镇调查失业率5%左右。", "plan", [
        ("target", "5.0%—5.5%", "地区生产总值", "growth", "range", "5.0", "%"),
        ("target", "5%左右", "城镇调查失业率", "level", "approx", "5", "%"),
    ]),
    ("国务院“高效办成一件事”13件事项(1)全部落地，组织“政银企对接”“百行联千企”(2)活动14次。", "review", [
        ("observation", "13件", "落地的事项", "level", "eq", "13", "件"),
        ("observation", "14次", "组织政银企对接百行联千企活动", "level", "eq", "14", "次"),
    ]),
    ("粮食产量1.37万亿斤，增产74亿斤。", "review", [
        ("observation", "1.37万亿斤", "粮食产量", "level", "eq", "1.37", "万亿斤"),
        ("observation", "74亿斤", "粮食产量", "change", "eq", "74", "亿斤"),
    ]),
    ("优良天数261天，较2020年增加36天，居保定市前列。", "review", [
        ("observation", "261天", "优良天数", "level", "eq", "261", "天"),
        ("observation", "36天", "优良天数", "change", "eq", "36", "天"),
    ]),
    ("全年新增市场主体2537家，总数达到20179家。", "review", [
        ("observation", "2537家", "新增市场主体", "level", "eq", "2537", "家"),
        ("observation", "20179家", "市场主体总数", "level", "eq", "20179", "家"),
    ]),
    ("预计全年地区生产总值完成92.4亿元，增长6.5%(年度目标6%以上);", "review", [
        ("observation", "92.4亿元", "地区生产总值", "level", "eq", "92.4", "亿元"),
        ("observation", "6.5%", "地区生产总值", "growth", "eq", "6.5", "%"),
        ("target", "6%以上", "地区生产总值", "growth", "ge", "6", "%"),
    ]),
    ("研发投入强度从2.77%提高到3.3%左右，区域创新能力稳居全国第4位。", "review", [
        ("observation", "3.3%左右", "研发投入强度", "level", "approx", "3.3", "%"),
        ("observation", "4位", "区域创新能力全国排名", "level", "eq", "4", "位"),  # a rank is a result
    ]),
    ("人均地区生产总值从2020年的10.5万元提高到2025年的14万元左右。", "review", [  # 10.5万元: the baseline
        ("observation", "14万元左右", "人均地区生产总值", "level", "approx", "14", "万元"),
    ]),
    ("交通亡人事故下降31.6%、亡人数为历年新低。", "review", [
        ("observation", "31.6%", "交通亡人事故", "growth", "eq", "31.6", "%"),
    ]),
]


@pytest.mark.parametrize("text,kind,expected", SENTENCES)
def test_sentences(text, kind, expected):
    assert facts(text, kind) == expected


def test_decline_is_negative_growth():
    res = extract_text("一般公共预算收入95.1亿元、下降16.9%。", "review", 2023)
    growth = [f for f in res.observations if f.measure == "growth"][0]
    assert (growth.value, growth.norm_value, growth.year) == ("16.9", "-16.9", 2022)


def test_hedge_and_year_of_targets():
    res = extract_text("建议今年经济社会发展的主要预期目标是：固定资产投资增长15%，力争700亿元；确保社会大局和谐稳定。", "plan", 2023)
    by = {f.surface: f for f in res.targets}
    assert by["700亿元"].hedge == "力争" and by["15%"].hedge == ""
    assert all(f.year == 2023 for f in res.targets)
    qual = [f for f in res.targets if f.measure == "qualitative"]
    assert [(f.indicator, f.hedge, f.value) for f in qual] == [("社会大局", "确保", "")]


def test_explicit_year_wins():
    res = extract_text("到2030年，全社会研发投入强度达到3.5%以上。", "plan", 2026)
    assert [(f.year, f.comparator) for f in res.targets] == [(2030, "ge")]


def test_indicator_keys_merge_spellings():
    assert indicator_key("规模以上工业增加值") == indicator_key("规上工业增加值")
    assert indicator_key("“浙江制造”标准") == "浙江制造标准"


# ------------------------------------------------------------------ seed gold
@pytest.fixture(scope="module")
def seed_scores():
    return evaluate_goals(GOLD, SEED)


def test_seed_gold_is_well_formed():
    gold = load_gold(GOLD)
    text = open(SEED, encoding="utf-8").read()
    for kind in ("targets", "observations", "skipped"):
        for row in gold[kind]:
            assert text[row["start"]:row["end"]] == row["text"], row
    for row in gold["skipped"]:
        assert row["reason"] in SKIP_REASONS
    assert {r["text"] for r in gold["skipped"]} >= {"3·16", "二十九届"}


@pytest.mark.parametrize("kind", ["targets", "observations"])
def test_seed_f1(seed_scores, kind):
    s = seed_scores[kind]
    assert s["f1"] >= 0.9, (s["missed"], s["spurious"])
    assert s["measure_exact"] >= 0.9 and s["year_exact"] >= 0.9
    assert s["indicator_exact"] >= 0.85, s["indicator_diffs"]


def test_every_seed_number_is_accounted_for(seed_scores):
    assert seed_scores["uncovered"] == []


def test_every_number_of_the_seed_body_is_extracted_or_skipped(seed_outline):
    res = extract_goals(seed_outline)
    text = seed_outline.report.text
    gold = {"targets": [vars_(f) for f in res.targets], "observations": [vars_(f) for f in res.observations],
            "skipped": [{"start": s.start, "end": s.end} for s in res.skipped]}
    assert uncovered_numbers(text, gold) == []
    for s in res.skipped:
        assert s.reason in SKIP_REASONS and text[s.start:s.end] == s.surface


def vars_(f):
    return {"start": f.start, "end": f.end}


def test_uncovered_numbers_are_found():
    text = "增长7%，另有123。"
    assert uncovered_numbers(text, {"targets": [{"start": 2, "end": 4}], "observations": []}) == [(7, "123")]


# ------------------------------------------------------------------ main expected targets of every report
# (report, [(indicator, measure, comparator, value, unit)]) read from each report's 主要预期目标 sentence
MAIN_TARGETS = {
    "haining-2023": [("地区生产总值", "growth", "eq", "7", "%"), ("一般公共预算收入", "level", "ge", "100", "亿元"),
                     ("一般公共预算收入", "growth", "eq", "5.2", "%"), ("固定资产投资", "growth", "eq", "15", "%"),
                     ("固定资产投资", "level", "eq", "700", "亿元"), ("全社会研发投入强度", "level", "eq", "3.8", "%")],
    "anguo-2022": [("生产总值", "growth", "approx", "8", "%"), ("一般公共预算收入", "growth", "approx", "8", "%"),
                   ("规模以上工业增加值", "growth", "approx", "9", "%"), ("固定资产投资", "growth", "approx", "9", "%"),
                   ("社会消费品零售总额", "growth", "approx", "8.5", "%"), ("实际利用外资", "growth", "approx", "5", "%"),
                   ("居民人均可支配收入", "growth", "approx", "8.5", "%")],
    "baoding-2025": [("地区生产总值", "growth", "approx", "6", "%"), ("一般公共预算收入", "growth", "approx", "3", "%"),
                     ("规上工业增加值", "growth", "approx", "7", "%"), ("固定资产投资", "growth", "approx", "7.5", "%"),
                     ("社会消费品零售总额", "growth", "approx", "6", "%"), ("居民人均可支配收入", "growth", "approx", "6", "%"),
                     ("居民消费价格指数", "growth", "approx", "2", "%")],
    "fujian-2025": [("地区生产总值", "growth", "range", "5.0", "%"), ("固定资产投资", "growth", "approx", "5", "%"),
                    ("社会消费品零售总额", "growth", "approx", "5.5", "%"), ("出口", "growth", "approx", "3", "%"),
                    ("城镇调查失业率", "level", "approx", "5", "%"), ("居民消费价格", "growth", "approx", "2", "%"),
                    ("粮食产量", "level", "ge", "511", "万吨")],
    "gaotang-2025": [("地区生产总值", "growth", "ge", "6", "%"), ("一般公共预算收入", "growth", "eq", "3.5", "%"),
                     ("固定资产投资", "growth", "eq", "7", "%"), ("社会消费品零售总额", "growth", "ge", "6.5", "%")],
    "guowuyuan-2023": [("国内生产总值", "growth", "approx", "5", "%"), ("城镇新增就业", "level", "approx", "1200", "万人"),
                       ("城镇调查失业率", "level", "approx", "5.5", "%"), ("居民消费价格", "growth", "approx", "3", "%"),
                       ("粮食产量", "level", "ge", "1.3", "万亿斤")],
    "laiyuan-2025": [("地区生产总值", "growth", "ge", "6", "%"), ("一般公共预算收入", "growth", "approx", "6", "%"),
                     ("规模以上工业增加值", "growth", "ge", "6", "%"), ("固定资产投资", "growth", "ge", "8", "%"),
                     ("社会消费品零售总额", "growth", "ge", "6", "%"), ("居民人均可支配收入", "growth", "ge", "6", "%"),
                     ("粮食总产量", "level", "ge", "3.8", "亿斤")],
    "lixian-2022": [("生产总值", "growth", "ge", "8", "%"), ("一般公共预算收入", "growth", "ge", "10", "%"),
                    ("规模以上工业增加值", "growth", "approx", "10", "%"), ("固定资产投资", "growth", "ge", "8", "%"),
                    ("社会消费品零售总额", "growth", "approx", "9", "%"), ("外贸进出口总值", "growth", "approx", "6", "%"),
                    ("实际利用外资", "growth", "approx", "5", "%"), ("居民人均可支配收入", "growth", "approx", "8.5", "%")],
    "zhejiang-2025": [("生产总值", "growth", "approx", "5.5", "%"), ("城镇调查失业率", "level", "le", "5", "%"),
                      ("居民消费价格", "growth", "approx", "2", "%")],
    "zhejiang-2026": [("生产总值", "growth", "range", "5", "%"), ("城镇调查失业率", "level", "le", "5", "%"),
                      ("居民消费价格", "growth", "approx", "2", "%")],
}
# qualitative main targets that must come out too (indicator of a target without a value)
MAIN_QUALITATIVE = {
    "haining-2023": {"城镇和农村居民人均可支配收入"}, "fujian-2025": {"居民收入", "单位地区生产总值能耗"},
    "gaotang-2025": {"居民收入", "进出口"}, "guowuyuan-2023": {"居民收入", "国际收支"},
    "zhejiang-2025": {"居民可支配收入"}, "zhejiang-2026": {"居民人均可支配收入"},
}


def _path(rid):
    return SEED if rid == "haining-2023" else os.path.join(CORPUS, rid + ".txt")


@pytest.mark.parametrize("rid", sorted(MAIN_TARGETS))
def test_main_expected_targets(rid):
    from kg.read import read_report
    from kg.segment import segment

    report = read_report(_path(rid))
    res = extract_goals(segment(report))
    main = [f for f in res.targets if f.goal == "main"]
    got = [(f.indicator, f.measure, f.comparator, f.value, f.unit) for f in main if f.measure != "qualitative"]
    assert got == MAIN_TARGETS[rid]
    assert all(f.year == report.year for f in main)
    quals = {f.indicator for f in main if f.measure == "qualitative"}
    assert MAIN_QUALITATIVE.get(rid, set()) <= quals
    assert any(g.main for g in res.goals)


# ------------------------------------------------------------------ part kinds
REPORTS = os.path.join(ROOT, "tests", "data", "reports")


@pytest.mark.parametrize("rid, path, kind", [
    ("fuping-2013", (1,), "plan"),  # 突出质量和效益抓项目，加速建设“实力阜平”: the year's tasks, by its words
    ("fuping-2013", (6,), "plan"),
    ("hebei-2003", (1,), "review"),  # 国民经济持续快速健康发展: what was done
    ("gaotang-2021", (2,), "other"),  # a review section that comes before the plan part in the text
    ("hebei-2021", (2,), "plan"),
])
def test_parts_titled_by_their_theme_are_read_by_their_words(rid, path, kind):
    from kg.extract.goals import part_kinds
    from kg.read import read_report
    from kg.segment import segment

    assert part_kinds(segment(read_report(os.path.join(REPORTS, rid + ".txt"))))[path] == kind


def test_numbers_of_a_plan_part_titled_by_its_theme_are_targets():
    from kg.read import read_report
    from kg.segment import segment

    res = extract_goals(segment(read_report(os.path.join(REPORTS, "fuping-2013.txt"))))
    by = {f.surface: f.kind for f in res.facts if f.surface in ("4个", "45个", "2万只")}
    assert by == {"4个": "target", "45个": "target", "2万只": "target"}  # 建成肉羊繁育场4个、肉羊育肥小区45个……


def test_a_review_part_that_turns_to_the_next_plan_holds_its_targets():
    """国务院2021: 二、“十三五”时期发展成就和“十四五”时期主要目标任务 — results up to “十四五”时期是……, targets after."""
    from kg.read import read_report
    from kg.segment import segment

    res = extract_goals(segment(read_report(os.path.join(REPORTS, "guowuyuan-2021.txt"))))
    kinds = {(f.surface, f.indicator): f.kind for f in res.facts}
    assert kinds[("5.5%以内", "城镇调查失业率")] == "target" and kinds[("24.1%", "森林覆盖率")] == "target"
    assert kinds[("100万亿元", "国内生产总值")] == "observation"


# ------------------------------------------------------------------ held-out excerpts
def test_heldout_excerpts():
    """Excerpts of three other reports, annotated by reading before the rules were run on them."""
    from kg.evaluate_goals import evaluate_excerpts

    s = evaluate_excerpts(os.path.join(ROOT, "tests", "gold", "heldout.goals.json"))
    for kind in ("targets", "observations"):
        assert s[kind]["f1"] >= 0.9, (kind, s[kind]["missed"], s[kind]["spurious"])
        assert s[kind]["tp"] >= 8
        assert s[kind]["measure_exact"] >= 0.9


def test_glossary_numbers_are_skipped():
    from kg.read import read_report
    from kg.segment import segment

    report = read_report(os.path.join(CORPUS, "lixian-2022.txt"))
    outline = segment(report)
    a, b = outline.glossary_span
    res = extract_goals(outline)
    assert not [f for f in res.facts if a <= f.start < b]
    skipped = [s for s in res.skipped if a <= s.start < b]
    assert any(s.surface == "30名" and s.reason == "glossary" for s in skipped)


def test_baseline_years():
    res = extract_text("人均地区生产总值从2020年的10.5万元提高到2025年的14万元左右。", "review", 2026)
    assert [(f.surface, f.year) for f in res.observations] == [("14万元左右", 2025)]
    assert [(s.surface, s.reason) for s in res.skipped if s.reason == "baseline"] == [("10.5万元", "baseline")]
    res = extract_text("研发投入强度从2.77%提高到3.3%左右。", "review", 2026)
    assert [(s.surface, s.reason) for s in res.skipped] == [("2.77%", "baseline")]


def test_random_slices_never_crash_extraction():
    import glob
    import random

    texts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(CORPUS, "*[0-9].txt")))]
    rnd = random.Random(7)
    for _ in range(200):
        t = rnd.choice(texts)
        a = rnd.randrange(len(t))
        s = t[a:a + rnd.randrange(1, 400)]
        for kind in ("review", "plan", "other"):
            res = extract_text(s, kind, 2024)
            for f in res.facts:
                assert s[f.start:f.end] == f.surface and f.indicator


def _clause_bounds_loop(text, u, pos):
    a = pos
    while a > u.start and text[a - 1] not in "；;。！？!?\n":
        a -= 1
    b = pos
    while b < u.end and text[b] not in "；;。！？!?\n":
        b += 1
    return a, b


def _segment_start_loop(text, lo, pos, allow_list):
    from kg.extract.goals import _CLAUSE_DELIM

    delims = _CLAUSE_DELIM if allow_list else _CLAUSE_DELIM + "、"
    a = pos
    while a > lo and text[a - 1] not in delims:
        a -= 1
    return a


def test_clause_and_segment_bounds_agree_with_the_character_loops():
    import random

    from kg.extract.goals import _clause_bounds, _segment_start
    from kg.model import Unit

    rnd = random.Random(7)
    alphabet = "增长收入亿元5%，,；;。：:！？!?\n、和"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        a, b = sorted(rnd.randint(0, len(text)) for _ in range(2))
        pos = rnd.randint(0, len(text))
        u = Unit(a, b)
        assert _clause_bounds(text, u, pos) == _clause_bounds_loop(text, u, pos), (text, a, b, pos)
        for allow in (True, False):
            assert _segment_start(text, a, pos, allow) == _segment_start_loop(text, a, pos, allow), (text, a, pos)


# ------------------------------------------------------------------ passage gold (tests/gold/passages)
PASSAGES = os.path.join(ROOT, "tests", "gold", "passages")


class _F:
    def __init__(self, start, end, value="1", value_max="", norm_value="1", unit="%", comparator="eq",
                 measure="level", indicator="x"):
        self.start, self.end, self.value, self.value_max, self.norm_value = start, end, value, value_max, norm_value
        self.unit, self.comparator, self.measure, self.indicator, self.surface = unit, comparator, measure, indicator, ""


def test_passage_gold_rows_match_predictions_one_to_one_by_overlap():
    from kg.evaluate_goals import match_passage

    gold = [{"kind": "target", "start": 10, "end": 14}, {"kind": "result", "start": 20, "end": 24},
            {"kind": "qualitative", "start": 30, "end": 40}, {"kind": "none", "start": 50, "end": 52}]
    a, b, c = _F(10, 16), _F(12, 13), _F(33, 35)
    pairs, missed, spurious = match_passage(gold, [b, a, c], "targets")
    assert [(g["start"], f) for g, f in pairs] == [(10, a), (30, c)] and missed == [] and spurious == [b]
    pairs, missed, spurious = match_passage(gold, [_F(50, 52)], "observations")
    assert pairs == [] and [g["start"] for g in missed] == [20] and len(spurious) == 1


@pytest.mark.parametrize("fact, gold, same", [
    (_F(0, 1, "5", norm_value="-5"), "-5", True),  # 下降5%: a decrease is negative
    (_F(0, 1, "5", "6", norm_value="5"), "5-6", True),  # 5%—6%: a range
    (_F(0, 1, "3,800"), "3800", True),
    (_F(0, 1, "5.0"), "5", True),
    (_F(0, 1, "5"), "-5", False),
])
def test_passage_values_are_compared_signed_and_as_ranges(fact, gold, same):
    from kg.evaluate_goals import same_value, signed_value

    assert same_value(gold, signed_value(fact)) is same


def test_passage_scores_of_the_dev_split():
    from kg.evaluate_goals import load_passages, predict_from_reports, score_passages

    passages = load_passages(PASSAGES, "dev")
    assert len(passages) == 46 and len({p["report"] for p in passages}) == 23
    s = score_passages(passages, predict_from_reports(os.path.join(ROOT, "tests", "data", "reports")))
    for kind in ("targets", "observations"):
        assert s[kind]["tp"] + s[kind]["fn"] > 100
        assert s[kind]["f1"] >= 0.8, [e for e in s[kind]["errors"]]
