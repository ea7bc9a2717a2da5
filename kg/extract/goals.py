"""Goals, targets and observations: what each number in a report measures, and when.

A work report states last year's results in its review part and this year's
targets in its plan part, in one compact convention: an indicator, a verb, a
number.  The plan part opens with the main expected targets, e.g. from the seed::

    建议今年经济社会发展的主要预期目标是：地区生产总值增长7%；一般公共预算收入重返100亿元、增长5.2%；
    固定资产投资增长15%，力争700亿元；……城镇和农村居民人均可支配收入与经济增长同步；

and the review part reports results such as
``城镇及农村居民人均可支配收入分别达74764元和47777元，增长2.4%和5.2%`` (four
observations: two levels and two growth rates, one per number).

For every :class:`~kg.extract.quantities.Quantity` in a sentence this module finds
the indicator it measures (the noun phrase before it, carried over from the
previous number for ``、增长0.7%``, distributed over a list for ``分别``, or the
noun after it for ``12家企业成为……``), the measure (level, growth rate or
change), the year, the comparator and the hedge (力争, 争取, 确保).  Numbers in
review parts are observations, in plan parts targets; qualitative targets
(``与经济增长同步``) are targets without a value.  Targets hang under goals:
the main expected targets, or the plan section whose heading states the goal
(a heading such as ``聚焦……，打造……基地``).

Everything is offsets into the report text; nothing here is specific to one report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Optional

from kg.extract.quantities import _prefix_word, fmt, normalise, scan
from kg.model import Fact, Goal, Goals, Outline, Quantity, Skipped, SkippedNumber, Unit

# ----------------------------------------------------------------------------- lexicon (general usage)
_CLAUSE_DELIM = "，,；;。：:！？!?\n"
_LEAD_STRIP = re.compile(
    r"^(?:[—\-]+|其中|同时|全年|今年|去年|上年|当年|累计|共计|总计|合计|预计|初步核算|"
    r"建议|力争|确保|争取|努力|推动|推进|实现|完成|达到|保持|全力|持续|继续|进一步|使|让|将|要|出台|开展|举办|"
    r"全省|全市|全县|全区|全州|全国|我省|我市|我县|我区|本市|全域|创建|"
    r"在|为|把)+"
)
_TRAIL_STRIP = re.compile(
    r"(?:分别|均|同比|比上年|较上年|较去年|比去年|年均|累计|平均|"
    r"增长|增加|下降|减少|降低|提高|提升|上升|上涨|回落|收窄|压减|增产|减产|增|减|降|"
    r"达到|达|为|是|至|到|在|突破|超过|超|逾|重返|保持|稳定|控制|实现|完成|新增|净|净增|"
    r"不低于|不少于|不超过|低于|高于|接近|约|近|总计|合计|共|占|的|了|已|再|从|由)+$"
)
_GROWTH_VERB = re.compile(r"(?:增长|增速|增幅|涨幅|下降|减少|降低|回落|提高|提升|上升|上涨|压减|收窄|增产|减产)(?:了)?$")
_DOWN_VERB = re.compile(r"(?:下降|减少|降低|回落|压减|收窄|减产)")
_SHARE_VERB = re.compile(r"^占")
_HEDGE = re.compile(r"力争|争取|努力|确保|力促|力求")
_TARGET_CUE = re.compile(r"力争|确保|争取|目标|预期|计划|将|要|今年|明年|年内|到20\d\d年")
_PAST_CUE = re.compile(r"过去|去年|上年|已|累计|全年|实现了|完成了|取得")
_EXAMPLES_END = re.compile(r"等$")
_LIST_SPLIT = re.compile(r"、|和|及|与|以及")
_QUOTES_RX = re.compile(r"[“”\"「」‘’《》]")
_YEAR_RX = re.compile(r"(?:到|至|在|于)?((?:19|20)\d\d)年(?:底|末|前)?")
_MAIN_TARGETS = re.compile(r"预期目标")
_QUAL_PRED = re.compile(
    r"与|完成|保持|实现|确保|进入|达到|稳定|继续|促稳|稳量|基本|进一步|高于|低于|不低于|和谐|全面|持续|明显|大幅|稳步|同步"
)
_QUAL_SKIP = re.compile(r"争取更好|根据实际情况|在实际工作中")
_RIGHT_STOP = re.compile(r"[，,；;。：:！？!?\n、]")
_GROUP_JOIN = re.compile(r"^(?:、|和|及|与|或|，|,)$")
_SPACES = re.compile(r"\s+")
_TARGET_ASIDE = re.compile(r"^\s*[(（]\s*(?:年度|全年|年初)?(?:预期)?目标(?:为|是)?\s*$")
# 从2.77%提高到3.3%: the first number is a starting value, of the year written with it (从2020年的10.5万元) or unknown
_FROM_BEFORE = re.compile(r"[从由](?:(?P<y>(?:19|20)\d\d)年(?:底|末)?的?)?[^，,；;。从由]{0,6}$")
_TO_AFTER = re.compile(r"^(?:、[^，,；;。]{1,12})?(?:提高|提升|增加|增长|降低|下降|降|缩小|扩大|上升|减少|跃升|跃居)?[到至]")
_NEW_PREFIX = re.compile(r"^(?:新增|新认定|新建|新开工|累计)")
_COMMA_ETC = re.compile(r"[，,；;：:]")
_RATE_TAIL = re.compile(r"(?:涨幅|增速|增幅)$")
_MEASURE_TAIL1 = re.compile(r"(?:分别|均|同比|比上年|较上年|年均|平均)+$")
_MEASURE_TAIL2 = re.compile(r"(?:控制在|保持在|稳定在|到|至|了|为|在)$")
_TO_LEVEL = re.compile(r"(?:提高|提升|降|降低|下降|增加|减少|缩小|扩大|上升|跃升)(?:到|至)$")  # 提高到3.3%: a level, not a growth
_QUAL_DELIM = re.compile(r"[，,；;。]|$")
_THREE_CJK = re.compile(r"[\u4e00-\u9fff]{3}")
_NUMBERISH = re.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万亿]")
# review/plan part headings when an outline gives no kind (e.g. a test sentence)
PLAN_KINDS = ("plan",)
REVIEW_KINDS = ("review",)


def indicator_key(label: str) -> str:
    """Concept key: the same indicator written differently in different reports gets one key."""
    k = _QUOTES_RX.sub("", label)
    k = k.replace("规模以上", "规上").replace("（", "(").replace("）", ")")
    k = _SPACES.sub("", k)
    return k


_COMPARE_TAIL = re.compile(r"(?:同比|比上年|较上年|比去年|较去年|比上年同期|[较比](?:19|20)\d\d年|较同期|"
                           r"(?:高于|低于|快于|慢于)(?:全国|全省|全市|全县|全区)?平均?).*$")
_YEAR_TAIL = re.compile(r"(?:(?:19|20)\d\d年(?:底|末|前)?的?)$")  # 提高到2025年的14万元: the year is the period
_FROM_TAIL = re.compile(r"[从由](?:(?:19|20)\d\d年(?:底|末)?的?)?$")
_GENERIC_HEADS = ("产值", "总产值", "营收", "营业收入", "增加值", "规模", "投资", "产量", "销售额", "营收入")
_TOPIC_HEAD = re.compile(r"^[\u4e00-\u9fff“”\"]{2,14}?(?:产业|行业|集群|经济|板块)")


_FOOTNOTE_MARK = re.compile(r"[(（]\d{1,2}[)）]|\[\d{1,3}\]")


def _clean(label: str) -> str:
    label = _FOOTNOTE_MARK.sub("", _QUOTES_RX.sub("", label)).strip(" \u3000、")
    label = _COMPARE_TAIL.sub("", label)
    label = _FROM_TAIL.sub("", _YEAR_TAIL.sub("", label))
    prev = None
    while prev != label:
        prev = label
        label = _LEAD_STRIP.sub("", label)
        label = _TRAIL_STRIP.sub("", label)
        label = label.strip(" \u3000、")
    return label


# ----------------------------------------------------------------------------- core
_CLAUSE_ENDS = "；;。！？!?\n"
_CLAUSE_END = re.compile(f"[{_CLAUSE_ENDS}]")
_LAST_CLAUSE_END = re.compile(f"(?s:.*)[{_CLAUSE_ENDS}]")  # greedy: ends after the last one
_LAST_DELIM = {  # allow_list -> a match that ends after the last delimiter (、 too unless a list is wanted)
    True: re.compile(f"(?s:.*)[{re.escape(_CLAUSE_DELIM)}]"),
    False: re.compile(f"(?s:.*)[{re.escape(_CLAUSE_DELIM + '、')}]"),
}


def _clause_bounds(text: str, u: Unit, pos: int) -> tuple[int, int]:
    """The clause of ``pos`` within the sentence: between the delimiters ；。！？ and line breaks around it."""
    a, b = pos, pos
    if pos > u.start:
        m = _LAST_CLAUSE_END.match(text, u.start, pos)
        a = m.end() if m else u.start
    if pos < u.end:
        e = _CLAUSE_END.search(text, pos, u.end)
        b = e.start() if e else u.end
    return a, b


def _segment_start(text: str, lo: int, pos: int, allow_list: bool) -> int:
    """Start of the phrase before ``pos``: after the last clause delimiter (and 、 unless a list is wanted)."""
    if pos <= lo:
        return pos
    m = _LAST_DELIM[allow_list].match(text, lo, pos)
    return m.end() if m else lo


def _year_for(kind: str, report_year: Optional[int], clause: str) -> Optional[int]:
    m = None
    for m in _YEAR_RX.finditer(clause):  # noqa: B007  (the last one is wanted)
        pass
    if m is not None:
        return int(m.group(1))
    if report_year is None:
        return None
    return report_year - 1 if kind == "observation" else report_year


def _classify(part_kind: str, clause: str, before: str) -> str:
    if "目标" in before[-8:] and ("(" in before[-8:] or "（" in before[-8:]):
        return "target-last-year"  # 增长6.5%(年度目标6%以上): last year's target quoted in the review
    if part_kind in PLAN_KINDS:
        return "target"
    if part_kind in REVIEW_KINDS:
        return "observation"
    if _TARGET_CUE.search(clause) and not _PAST_CUE.search(clause):
        return "target"
    return "observation"


def _distribute(subject: str, n: int) -> Optional[list[str]]:
    """``城镇及农村居民人均可支配收入`` over two numbers -> [城镇居民人均可支配收入, 农村居民人均可支配收入]."""
    items = [x for x in _LIST_SPLIT.split(subject) if x]
    if len(items) == 1 and n == 2 and subject.startswith("城乡") and len(subject) > 2:
        return ["城镇" + subject[2:], "农村" + subject[2:]]  # 城乡 = urban and rural, in that order
    if len(items) != n or n < 2:
        return None
    last = items[-1]
    prev = items[-2]
    tail = ""
    j = last.find(prev[-1]) if prev else -1
    if 0 <= j < len(last) - 1:
        tail = last[j + 1:]
    elif len(last) > len(prev):
        tail = last[len(prev):]
    out = [x + tail if not x.endswith(tail) else x for x in items[:-1]] + [last]
    return out


@dataclass
class _Ctx:
    """What the previous numbers of the sentence measured, for the numbers that follow."""

    indicator: str = ""
    group: Optional[list[str]] = None  # indicators of the last list of numbers (分别 …)
    prev_end: Optional[int] = None  # end of the previous number
    measure: str = "level"  # measure of the previous number


@dataclass
class _Group:
    """Numbers joined only by 、/和 (24.1%、40.7%和66.7%) and what they share."""

    qs: list[Quantity]
    clause_start: int
    clause_end: int
    raw: str  # the phrase before the first number (its indicator, verbs and all)
    labels: list[str]
    measure: str
    hedge: str


def _groups(text: str, qs: list[Quantity]) -> list[list[Quantity]]:
    groups: list[list[Quantity]] = []
    for q in qs:
        gap = text[groups[-1][-1].end:q.start] if groups else ""
        if groups and _GROUP_JOIN.match(gap or "x") and gap not in "，,":
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


def _resolve(text: str, u: Unit, g: list[Quantity], qs: list[Quantity], ctx: _Ctx) -> _Group:
    """The indicator of each number of a group, its measure and hedge (see the module docstring)."""
    first = g[0]
    ca, cb = _clause_bounds(text, u, first.start)
    pstart = first.start - len(_prefix_of(text, first.start))
    prev_end = ctx.prev_end
    same_clause = prev_end is not None and prev_end >= ca
    lo = prev_end if prev_end is not None and same_clause else ca
    seg_list = _segment_start(text, lo, pstart, allow_list=True)
    raw_list = text[seg_list:pstart]
    use_list = "分别" in raw_list and len(g) > 1
    whole_list = (not use_list and "、" in raw_list and len(g) == 1
                  and (seg_list == ca or text[seg_list - 1] in _CLAUSE_DELIM))
    seg = seg_list if (use_list or whole_list) else _segment_start(text, lo, pstart, allow_list=False)
    raw = text[seg:pstart]
    measure = _measure(raw, first)
    # nothing but 、/增长 between the previous number and this one: 1247亿元、增长0.7%
    gap_clean = same_clause and not _COMMA_ETC.search(text[prev_end:pstart]) and _clean(text[prev_end:pstart]) == ""
    subject = _clean(raw.split("分别")[0]) if use_list else _clean(raw)
    group = ctx.group or []
    group_fits = bool(group) and len(group) == len(g)
    if _TARGET_ASIDE.match(raw) and ctx.indicator:  # 增长6.5%(年度目标6%以上): last year's target, same measure
        subject, measure = ctx.indicator, ctx.measure
    elif raw.strip().startswith("占") and ctx.indicator:  # 占一般公共预算支出的78.6%: a share of the last indicator
        subject = ctx.indicator + _clean_keep_lead(raw).rstrip("的") + (
            "" if raw.rstrip("的").endswith(("比重", "比例")) else "比重")
        measure = "level"
    if use_list and not subject and (group_fits or ctx.indicator):
        labels = list(group) if group_fits else [ctx.indicator] * len(g)
    elif use_list:
        labels = _distribute(subject, len(g)) or [subject] * len(g)
    elif _counts_following_noun(text, g[-1]) and not gap_clean:  # 12家企业成为……
        right = _right_phrase(text, g[-1].end, _next_start(text, qs, g[-1], cb))
        if len(right) <= 4 and subject and not _EXAMPLES_END.search(raw.strip()):
            right = subject + right  # 出台助企纾困25条政策
        labels = [right] * len(g)
    elif not subject and group_fits and len(g) > 1 and same_clause:  # ，增长2.4%和5.2%
        labels = list(group)
    else:
        if not subject or _EXAMPLES_END.search(_QUOTES_RX.sub("", raw).strip()):
            if ctx.indicator and not _EXAMPLES_END.search(raw.strip()) and (gap_clean or not subject and same_clause):
                subject = ctx.indicator  # 、增长0.7% / ，力争700亿元: the same indicator again
            elif not (not subject and group_fits and gap_clean):
                subject = _right_phrase(text, g[-1].end, cb)  # 天通吉成等12家…: the noun after the number
        labels = list(group) if not subject and group_fits else [subject] * len(g)
    if measure == "growth":
        labels = [_RATE_TAIL.sub("", x) or x for x in labels]
    if labels[0] in ("总数", "总量", "总额", "总计") and ctx.indicator:
        # 新增市场主体2537家，总数达到20179家: the total of the thing just counted
        labels = [_NEW_PREFIX.sub("", ctx.indicator) + x for x in labels]
    if labels[0] in _GENERIC_HEADS:  # 光伏新能源产业……，产值突破750亿元
        t = _TOPIC_HEAD.match(_QUOTES_RX.sub("", text[u.start:u.end]).lstrip("—- \u3000"))
        if t:
            labels = [t.group(0) + x for x in labels]
    hedge = ""
    for hm in _HEDGE.finditer(text[_segment_start(text, ca, pstart, allow_list=True):pstart]):
        hedge = hm.group(0)
    return _Group(g, ca, cb, raw, labels, measure, hedge)


def _next_start(text: str, qs: list[Quantity], q: Quantity, lim: int) -> int:
    later = [x.start - len(_prefix_of(text, x.start)) for x in qs if x.start > q.start]
    return min([lim] + later)


def extract_units(text: str, units: Iterable[Unit], report_year: Optional[int] = None,
                  goal_for=None, norm: Optional[str] = None) -> Goals:
    """Targets, observations and skips for the given sentences. ``goal_for(unit, in_main) -> Goal id``.

    ``norm``: :func:`~kg.extract.quantities.normalise` of ``text``, when the caller has it.
    """
    targets: list[Fact] = []
    observations: list[Fact] = []
    skipped: list[SkippedNumber] = []
    if norm is None:
        norm = normalise(text)
    for u in units:
        mentions = scan(text, u.start, u.end, norm)
        qs = [m for m in mentions if isinstance(m, Quantity)]
        for m in mentions:
            if isinstance(m, Skipped):
                skipped.append(SkippedNumber(m.start, m.end, m.text, m.reason, u.index))
        sent = text[u.start:u.end]
        main = u.kind != "review" and bool(_MAIN_TARGETS.search(sent)) and ("：" in sent or ":" in sent)
        goal = goal_for(u, main) if goal_for else ("main" if main else None)
        ctx = _Ctx()
        for g in _groups(text, qs):
            grp = _resolve(text, u, g, qs, ctx)
            ctx.prev_end = g[-1].end
            ctx.measure = grp.measure
            ctx.indicator = grp.labels[-1] or ctx.indicator
            ctx.group = grp.labels if len(g) > 1 else ctx.group
            for q, label in zip(g, grp.labels):
                if not label:  # a number alone (a flattened table cell): what it measures is unknown
                    skipped.append(SkippedNumber(q.start, q.end, q.text, "no-indicator", u.index))
                    continue
                base = _FROM_BEFORE.search(text, max(u.start, q.start - 14), q.start)
                base_year = None
                if base and _TO_AFTER.match(text[q.end:q.end + 16]):
                    if not base.group("y"):  # the start of a from-to change, its year not written
                        skipped.append(SkippedNumber(q.start, q.end, q.text, "baseline", u.index))
                        continue
                    base_year = int(base.group("y"))
                fact = _fact(text, u, grp, q, label, report_year, goal)
                if base_year is not None:
                    fact = replace(fact, kind="observation", year=base_year, goal=None, hedge="")
                (targets if fact.kind == "target" else observations).append(fact)
        if main:
            targets.extend(_qualitative(text, u, qs, report_year, goal))
    targets.sort(key=lambda f: f.start)
    observations.sort(key=lambda f: f.start)
    return Goals(targets=tuple(targets), observations=tuple(observations), skipped=tuple(skipped))


def _fact(text: str, u: Unit, grp: _Group, q: Quantity, label: str, report_year, goal) -> Fact:
    ca, cb = grp.clause_start, grp.clause_end
    cls = _classify(u.kind, text[ca:cb], text[ca:q.start])
    kind = "observation" if cls == "observation" else "target"
    year = _year_for(kind, report_year, text[ca:q.start])
    if cls == "target-last-year" and report_year:
        year = report_year - 1
    down = q.direction < 0 or (grp.measure != "level" and _DOWN_VERB.search(grp.raw[-6:]) is not None)
    nv, nmax = q.norm_value, q.norm_max
    if grp.measure in ("growth", "change") and down:  # 下降16.9%: a negative growth rate
        nv = -nv
        nmax = -nmax if nmax is not None else None
    return Fact(
        kind=kind, indicator=label, indicator_key=indicator_key(label), measure=grp.measure,
        comparator=q.comparator, value=q.number.replace(",", "") if q.numeral == "arabic" else fmt(q.value),
        unit=q.unit, value_max=fmt(q.value_max), norm_value=fmt(nv), norm_max=fmt(nmax),
        norm_unit=q.norm_unit, unit_iri=q.unit_iri, year=year,
        hedge=grp.hedge if kind == "target" else "",
        start=q.start, end=q.end, surface=q.text, clause_start=ca, clause_end=cb,
        sentence=u.index, section=u.section, goal=goal if kind == "target" else None,
        direction=-1 if down else q.direction,
    )


def _prefix_of(text: str, start: int) -> str:
    return _prefix_word(text, start)  # the comparator verb glued before a number


def _clean_keep_lead(raw: str) -> str:
    return _QUOTES_RX.sub("", raw).strip()


def _measure(raw: str, q: Quantity) -> str:
    if q.unit_kind == "points":
        return "change"  # 个百分点 is always a difference of two rates
    if _TO_LEVEL.search(raw.rstrip()):
        return "level"  # 提高到3.3%, 降至13%: the new level, not a growth rate
    r = _QUOTES_RX.sub("", raw).rstrip()
    r = _MEASURE_TAIL1.sub("", r)
    r = _MEASURE_TAIL2.sub("", r)
    if _GROWTH_VERB.search(r) or q.direction != 0 and not _TO_LEVEL.search(raw.rstrip()):
        if q.unit_kind in ("percent",):
            return "growth"
        if q.direction != 0 or _GROWTH_VERB.search(r):
            return "change"
    return "level"


def _counts_following_noun(text: str, q: Quantity) -> bool:
    """``12家企业成为……``, ``25条政策``: a count whose measure word is followed by the noun counted."""
    if q.unit_kind != "count":
        return False
    nxt = text[q.end:q.end + 1]
    return bool(nxt) and "\u4e00" <= nxt <= "\u9fff" and nxt not in "的和及与或等"


def _right_phrase(text: str, pos: int, lim: int) -> str:
    m = _RIGHT_STOP.search(text, pos, lim)
    e = m.start() if m else lim
    # cut short by the next number (重大项目完成投资1.4万亿元): drop the dangling verb
    phrase = _clean(text[pos:e]) if m is None and lim < len(text) and text[lim:lim + 1] not in _CLAUSE_DELIM \
        else _FOOTNOTE_MARK.sub("", _QUOTES_RX.sub("", text[pos:e])).strip()
    return phrase[:24]


def _qualitative(text: str, u: Unit, qs: list[Quantity], report_year, goal) -> list[Fact]:
    """Clauses of the main-targets sentence that set a target without a number."""
    sent = text[u.start:u.end]
    colon = max(sent.find("："), sent.find(":"))
    base = u.start + (colon + 1 if colon >= 0 else 0)
    out = []
    pos = base
    for m in _QUAL_DELIM.finditer(text[base:u.end]):
        a, b = pos, base + m.start()
        pos = base + m.end()
        clause = text[a:b]
        if not clause.strip() or any(a <= q.start < b for q in qs) or _QUAL_SKIP.search(clause):
            continue
        if not _THREE_CJK.search(clause):
            continue
        lead = _LEAD_STRIP.match(clause)
        body_start = a + (lead.end() if lead else 0)
        body = text[body_start:b]
        p = _QUAL_PRED.search(body, 1)
        ind = _clean(body[: p.start()] if p else body)
        hedge = _HEDGE.search(clause)
        out.append(Fact(
            kind="target", indicator=ind, indicator_key=indicator_key(ind), measure="qualitative",
            comparator="qualitative", value="", unit="", value_max="", norm_value="", norm_max="", norm_unit="",
            unit_iri=None, year=report_year, hedge=hedge.group(0) if hedge else "", start=a, end=b, surface=clause,
            clause_start=a, clause_end=b, sentence=u.index, section=u.section, goal=goal,
        ))
    return out


# ----------------------------------------------------------------------------- entry points
def extract_text(text: str, kind: str = "other", report_year: Optional[int] = None) -> Goals:
    """For plain text (one part kind throughout): tests and quick looks."""
    from kg.segment import sentence_spans

    units = [Unit(a, b, (), kind, i) for i, (a, b) in enumerate(sentence_spans(text))]
    return extract_units(text, units, report_year)


def extract_goals(outline: Outline) -> Goals:
    """The goal stage. Reads the outline (sentences, part kinds, section headings) and the
    report text; adds goals, targets and observations, and every other number with the
    reason it is skipped."""
    report = outline.report
    text = report.text
    sections = {s.path: s for s in outline.sections}

    def part_kind(path: tuple[int, ...]) -> str:
        for i in range(len(path), 0, -1):
            s = sections.get(path[:i])
            if s is not None and s.level == "part":
                return s.kind
        s = sections.get(path[:1]) if path else None
        return s.kind if s is not None else "other"

    gloss = outline.glossary_span
    in_glossary = [s for s in outline.sentences if gloss and gloss[0] <= s.start < gloss[1]]
    units = [Unit(s.start, s.end, s.section, part_kind(s.section), s.index) for s in outline.sentences
             if not (gloss and gloss[0] <= s.start < gloss[1])]
    goals: dict[str, Goal] = {}

    def goal_for(u: Unit, in_main: bool) -> Optional[str]:
        if in_main:
            gid = "main"
            if gid not in goals:
                goals[gid] = Goal(gid, "经济社会发展主要预期目标", u.start, u.end, u.section, True)
            return gid
        if u.kind != "plan" or not u.section:
            return None
        # the deepest ancestor below the part whose heading states a goal (the section level)
        path = u.section[:2] if len(u.section) >= 2 else u.section[:1]
        s = sections.get(path)
        if s is None or s.heading is None:
            return None
        gid = "s" + "-".join(str(i) for i in path)
        if gid not in goals:
            h = s.heading
            goals[gid] = Goal(gid, _QUOTES_RX.sub("", s.title).strip(), h.title_start, h.title_end, path)
        return gid

    norm = normalise(text)
    res = extract_units(text, units, report.year, goal_for, norm)
    skipped = list(res.skipped)
    for s in in_glossary:  # 名词解释: numbers define a term, they report nothing
        for m in scan(text, s.start, s.end, norm):
            skipped.append(SkippedNumber(m.start, m.end, m.text, "glossary" if isinstance(m, Quantity) else m.reason,
                                         s.index))
    units_all = units + [Unit(s.start, s.end, s.section, "other", s.index) for s in in_glossary]
    used = {f.goal for f in res.targets}
    used_goals = sorted((g for g in goals.values() if g.id in used), key=lambda g: g.start)
    # numbers outside sentences (title, table of contents, headings) are recorded as skipped too
    body_start = min((s.start for s in outline.sections if s.start is not None), default=0)
    pos = 0
    for u in sorted(units_all, key=lambda x: x.start) + [Unit(len(text), len(text))]:
        if u.start > pos and _NUMBERISH.search(text, pos, u.start):
            for m in scan(text, pos, u.start, norm):
                reason = m.reason if isinstance(m, Skipped) else ("heading" if m.start >= body_start else "toc")
                skipped.append(SkippedNumber(m.start, m.end, m.text, reason, None))
        pos = max(pos, u.end)
    skipped.sort(key=lambda x: x.start)
    return replace(res, goals=tuple(used_goals), skipped=tuple(skipped))
