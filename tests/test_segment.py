from collections import Counter

import pytest

from conftest import corpus_path
from kg.model import Report
from kg.read import detect_metadata, read_report
from kg.segment import _Line, cn_to_int, parse_heading, part_kind, segment


def outline_of(text: str):
    """Segment a short excerpt (too short for read's is-it-a-report check)."""
    full = "政府工作报告\n各位代表：\n" + text
    report = Report(id="t", path="t.txt", text=full, sha256="0" * 64, encoding="utf-8", **detect_metadata(full))
    return segment(report), full


# ------------------------------------------------------------- heading table


@pytest.mark.parametrize(
    "line, rank, number, title, run_in, subtitle",
    [
        ("一、2022年工作回顾", 1, "一", "2022年工作回顾", False, ""),
        ("一、2024年工作回顾——经济稳中有进、发展持续向好", 1, "一", "2024年工作回顾", False, "经济稳中有进、发展持续向好"),
        ("(一)经济运行恢复向好。工业经济质效提升。“142”产业集群加速崛起", 2, "(一)", "经济运行恢复向好", True, ""),
        ("（一）创新宏观调控，保持经济运行在合理区间。", 2, "(一)", "创新宏观调控，保持经济运行在合理区间", False, ""),
        ("(一)持续激发消费潜能。承接用好国家", 2, "(一)", "持续激发消费潜能", True, ""),
        ("1.奋力兴产业。在“工业强市、产业兴市”发", 3, "1", "奋力兴产业", True, ""),
        ("3.建设高水平健康海宁", 3, "3", "建设高水平健康海宁", False, ""),
        ("1、农业高质高效。完成3.12万亩", 3, "1", "农业高质高效", True, ""),
        ("（十一）全面推进平安浙江法治浙江建设", 2, "(十一)", "全面推进平安浙江法治浙江建设", False, ""),
        ("2024年工作回顾", 0, "", "2024年工作回顾", False, ""),
        ("加强政府自身建设", 0, "", "加强政府自身建设", False, ""),
    ],
)
def test_heading_table(line, rank, number, title, run_in, subtitle):
    h = parse_heading(_Line(0, len(line), line))
    assert h is not None, line
    assert (h.rank, h.number, h.title, h.run_in, h.subtitle) == (rank, number, title, run_in, subtitle)
    assert line[h.title_start : h.title_end] == title


@pytest.mark.parametrize(
    "line",
    [
        "2024年是实现“十四五”规划目标任务的关键一年，",  # a year, not an item
        "1.5亿元用于乡村振兴。",  # a decimal, not an item
        "各位代表：",
        "[1]“1556”战略：坚持“一个引领”",
        "一是协同发展走深走实、成效明显。",
        "我们始终保持发展定力，经济运行跑出新速度",  # unnumbered but has punctuation: not a part
    ],
)
def test_not_headings(line):
    assert parse_heading(_Line(0, len(line), line)) is None


@pytest.mark.parametrize("s, n", [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23)])
def test_chinese_numerals(s, n):
    assert cn_to_int(s) == n


@pytest.mark.parametrize(
    "title, year, kind",
    [
        ("2022年工作回顾", 2023, "review"),
        ("2023年奋斗目标和重点工作", 2023, "plan"),
        ("切实加强政府自身建设", 2023, "self"),
        ("过去一年和五年工作回顾", 2023, "review"),
        ("对今年政府工作的建议", 2023, "plan"),
        ("2025年主要工作和“十四五”发展成就", 2026, "review"),
        ("“十五五”时期的主要目标任务", 2026, "plan"),
        ("牢记人民至上，在建设服务型政府中践行初心使命", 2025, "self"),
    ],
)
def test_part_kind(title, year, kind):
    assert part_kind(title, year) == kind


# ------------------------------------------------------------- the seed


def test_seed_outline_counts(seed_outline):
    levels = Counter(s.level for s in seed_outline.sections)
    assert levels == {"part": 3, "section": 17, "item": 25}
    assert [len([s for s in seed_outline.sections if s.level == "section" and s.path[0] == p]) for p in (1, 2, 3)] == [5, 8, 4]
    assert seed_outline.has_toc
    assert all(s.toc is not None for s in seed_outline.sections)


def test_seed_truncated_parts_say_so(seed_outline):
    o = seed_outline
    with_body = {s.label for s in o.sections if s.has_body}
    assert {"一", "一(一)", "一(五)", "二", "二(一)", "二(一)1", "二(一)2", "二(一)3"} <= with_body
    without = {s.label for s in o.sections if not s.has_body}
    assert {"二(二)", "二(八)", "二(八)3", "三", "三(四)"} <= without
    item3 = o.section((2, 1, 3))
    assert item3.has_body and item3.end == len(o.report.text.rstrip())  # the cut-off text ends in it
    assert o.section((2, 2)).start is None and o.section((2, 2)).heading is None


def test_seed_minsheng_projects_are_list_entries_of_section_8(seed_outline):
    entries = seed_outline.list_entries
    assert len(entries) == 8
    assert {e.parent for e in entries} == {(2, 8)}
    assert [e.ordinal for e in entries] == list(range(1, 9))
    assert entries[0].title == "为老助餐扩面提升项目"
    assert all(e.in_toc and e.start is None for e in entries)
    assert seed_outline.section((2, 8, 4)) is None  # not an item of (八)


def test_seed_part_kinds(seed_outline):
    kinds = {s.label: s.kind for s in seed_outline.sections if s.level == "part"}
    assert kinds == {"一": "review", "二": "plan", "三": "self"}
    assert seed_outline.section((1, 3, )).kind == "review"


def test_seed_run_in_headings_open_paragraphs(seed_outline):
    o = seed_outline
    s = o.section((1, 1))
    text = o.report.text
    assert s.heading.run_in and text[s.heading.start : s.heading.end] == "(一)经济运行恢复向好"
    first = next(p for p in o.paragraphs if p.section == (1, 1))
    assert first.start == s.heading.start


def test_seed_lead_sentences(seed_outline):
    text = seed_outline.report.text
    topics = [text[t.start : t.end] for t in seed_outline.topics]
    for expected in ["工业经济质效提升。", "有效投资量质并进。", "融杭接沪蹄疾步稳。", "社会治理更加高效。"]:
        assert expected in topics
    assert "(一)经济运行恢复向好。" not in topics


def test_every_span_gives_back_its_surface(seed_outline):
    o = seed_outline
    text = o.report.text
    for s in o.sentences:
        assert text[s.start : s.end].strip() == text[s.start : s.end] != ""
    for s in o.sections:
        if s.heading:
            assert text[s.heading.title_start : s.heading.title_end] == s.title
        if s.toc:
            assert text[s.toc.title_start : s.toc.title_end] == s.toc.title
            assert s.title.startswith(s.toc.title)  # the body may say more: 聚焦“新兴海工程”,打造…
    for e in o.list_entries:
        assert text[e.heading.title_start : e.heading.title_end] == e.title


def test_sentences_cover_paragraphs(seed_outline):
    o = seed_outline
    text = o.report.text
    for p in o.paragraphs:
        sents = [s for s in o.sentences if s.paragraph == p.index]
        joined = "".join(text[s.start : s.end] for s in sents)
        assert joined.replace(" ", "") == text[p.start : p.end].replace(" ", "").replace("\u3000", "")


# ------------------------------------------------------------- the corpus


@pytest.mark.parametrize(
    "name, parts, sections_per_part, items, entries",
    [
        ("anguo-2022", 3, [6, 7, 0], 0, 0),
        ("baoding-2025", 2, [0, 9], 0, 0),
        ("fujian-2025", 3, [8, 9, 5], 0, 0),
        ("gaotang-2025", 3, [0, 8, 4], 24, 0),
        ("guowuyuan-2023", 2, [10, 8], 0, 0),
        ("laiyuan-2025", 3, [0, 8, 0], 0, 0),
        ("lixian-2022", 3, [0, 7, 0], 24, 0),
        ("zhejiang-2025", 2, [11, 11], 10, 0),
        ("zhejiang-2026", 3, [10, 6, 10], 10, 0),
    ],
)
def test_corpus_outline_counts(name, parts, sections_per_part, items, entries):
    o = segment(read_report(corpus_path(name)))
    levels = Counter(s.level for s in o.sections)
    assert levels["part"] == parts
    got = [len([s for s in o.sections if s.level == "section" and s.path[0] == p]) for p in range(1, parts + 1)]
    assert got == sections_per_part
    assert levels["item"] == items
    assert len(o.list_entries) == entries
    assert not o.has_toc
    assert all(s.has_body for s in o.sections)


def test_unnumbered_parts_and_restarting_sections():
    o = segment(read_report(corpus_path("gaotang-2025")))
    parts = [s for s in o.sections if s.level == "part"]
    assert [p.title for p in parts] == ["2024年工作回顾", "2025年工作目标任务", "加强政府自身建设"]
    assert [p.kind for p in parts] == ["review", "plan", "self"]
    assert o.section((3, 1)).title == "持之以恒强化忠诚担当"  # 一、 again, under the third part
    assert o.section((2, 1, 1)).label == "〔2025年工作目标任务〕一(一)"


def test_subtitle_on_its_own_line():
    o = segment(read_report(corpus_path("baoding-2025")))
    part = o.section((1,))
    assert part.heading.subtitle == "经济稳中有进、发展质效向好"
    s0, s1 = part.heading.subtitle_span
    assert o.report.text[s0:s1] == part.heading.subtitle
    paras = [o.report.text[p.start : p.end] for p in o.paragraphs if p.section == (1,)]
    assert not any(t.startswith("——经济稳中有进") for t in paras)


def test_enumerations():
    o = segment(read_report(corpus_path("baoding-2025")))
    text = o.report.text
    assert [e.ordinal for e in o.enums] == list(range(1, 9))
    assert text[o.enums[0].start : o.enums[0].end].startswith("一是协同发展走深走实、成效明显。")
    assert all(e.section == (1,) for e in o.enums)


def test_enumerations_inside_a_paragraph():
    o, text = outline_of("一、2021年工作回顾\n存在的问题：一是经济总量较小；二是财政收支矛盾依然突出；三是城乡发展不平衡。统一是好的。\n")
    got = [text[e.start : e.end] for e in o.enums]
    assert got == ["一是经济总量较小", "二是财政收支矛盾依然突出", "三是城乡发展不平衡。统一是好的。"]


def test_glossary_and_footnotes_are_not_items():
    o = segment(read_report(corpus_path("lixian-2022")))
    text = o.report.text
    assert len(o.glossary) == 18
    assert o.glossary[0].number == 1 and o.glossary[0].term == "清理河道“五乱”"
    assert o.glossary[9].term == "“河长制”"  # 10.“河长制”。是指… ends its term with 。
    assert len(o.footnotes) > 5
    fn = next(f for f in o.footnotes if f.number == 11)
    assert text[fn.start : fn.end] == "[11]" and text[fn.start - 5 : fn.start] == "“放管服”"
    assert sum(1 for s in o.sections if s.level == "item") == 24  # the 1.…18. glossary adds none


def test_annexes_and_bracketed_glossary():
    o = segment(read_report(corpus_path("anguo-2022")))
    assert [(a.number, a.title) for a in o.annexes] == [("1", "安国市2022年十大工程"), ("2", "安国市2021年十大工程进展情况说明")]
    assert len(o.glossary) == 21 and o.glossary[0].term == "“1556”战略"
    assert {f.number for f in o.footnotes} == set(range(1, 22))
    # the annexes restart 一、… and 1. numbering: none of it enters the outline
    assert Counter(s.level for s in o.sections) == {"part": 3, "section": 13}


def test_caret_footnote_marker():
    o, text = outline_of("一、2021年工作回顾\n深化“放管服”^[3]改革，成效明显。推进“最多跑一次”[12]改革。\n")
    assert [(f.number, text[f.start : f.end]) for f in o.footnotes] == [(3, "^[3]"), (12, "[12]")]


def test_a_truncated_report_without_toc_still_segments():
    o, text = outline_of("一、2022年工作回顾\n(一)经济运行恢复向好。工业经济质效提升。实现地区生产总值1247亿元、增")
    assert o.section((1, 1)).has_body
    assert o.sentences[-1].end == len(text)
