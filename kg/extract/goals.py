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
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.extract.quantities import _ACTS_COUNTED, _UNIT_ALT, _prefix_word, fmt, normalise, scan
from kg.model import Fact, Goal, Goals, Outline, Quantity, Skipped, SkippedNumber, Unit

# ----------------------------------------------------------------------------- lexicon (general usage)
_CLAUSE_DELIM = "，,；;。：:！？!?\n"
# a streak between an indicator and its verb (粮食总产量连续9年稳定在……, 连续五年财政民生支出占比): not part of the label
_STREAK = r"连续(?:[\d一二三四五六七八九十两多]+(?:个)?(?:年|月|届|次|季度|周))?"
_LEAD_STRIP = re.compile(
    r"^(?:[—\-]+|其中|同时|也|全年|今年|去年|上年|当年|累计|共计|总计|合计|预计|预期(?!性)|初步核算|免费|无偿|"
    r"建议|力争|确保|争取|努力|推动|推进|实现|完成|达到|保持|全力|持续|继续|进一步|使(?!用)|让|将|要|出台|开展|举办|"
    r"全省|全市|全县|全区|全州|全国|我省|我市|我县|我区|本市|全域|创建|"
    r"在(?!线)|为|把|目前|[一二三四五六七八九十]{1,3}是|其[一二三四五六七八九十]|" + _STREAK + r"|年内|年底前|"
    r"[两三四五六七八九十]年(?=年均|平均|累计|新增|增加|增长|提高|共)|可比)+"
)
_TRAIL_STRIP = re.compile(
    r"(?:分别|均|同比|比上年|较上年|较去年|比去年|年均|累计|平均|"
    r"增长|增加|下降|减少|降低|提高|提升|上升|上涨|回落|收窄|压减|压缩|缩短|缩减|压降|精简|增产|减产|递增|递减|增|减|降|"
    r"达到|(?<![雷抵送发表])达|为|是|至|到|在|突破|超过|超|逾|重返|保持|稳定|控制|实现|完成|新增|净|净增|"
    r"不低于|不少于|不超过|低于|高于|接近|约|近|总计|合计|共|占|的|了|已|再|从|由|预计|扩大|新安排|"
    r"历史性|大幅度?|显著|明显|稳步|快速|较快|平稳|合理|回升|攀升|再次|首次|相继|陆续|幅度|降幅|持续|每年|每人|(?:全?年|全?月)?人均|(?<![主需纲])要|(?<!首)都|" + _STREAK
    + r")+$"
)
_GROWTH_VERB = re.compile(r"(?:增长|增速|增幅|涨幅|降幅|(?:下降|降低|增长|上涨|提升|提高)幅度|下降|减少|降低|回落|提高|提升|上升|上涨|回升|压减|收窄|增产|减产|递增|递减|改善|"
                          r"压缩|缩短|缩减|压降|精简)(?:了)?$")
_DOWN_VERB = re.compile(r"(?:下降|减少|降低|回落|压减|收窄|减产|递减|压缩|缩短|缩减|压降|精简|降幅)")
_SHARE_VERB = re.compile(r"^占")
_HEDGE = re.compile(r"力争|争取|努力|确保|力促|力求")
_TARGET_CUE = re.compile(r"力争|确保|争取|目标|预期|计划|将|要|今年|明年|年内|到20\d\d年")
_PAST_CUE = re.compile(r"过去|去年|上年|已|累计|全年|实现了|完成了|取得")
_EXAMPLES_END = re.compile(r"等$")
_LIST_SPLIT = re.compile(r"、|和|及|与|以及")
_QUOTES_RX = re.compile(r"[“”\"「」‘’《》]")
_YEAR_RX = re.compile(r"(?:到|至|在|于)?((?:19|20)\d\d)年(?:底|末|前)?")
_MAIN_TARGETS = re.compile(r"预期目标")
_MAIN_AFTERWORD = re.compile(r"\s*(?:上述|以上|这些|实现|完成|为实现|为完成)")  # 上述目标是预测性、指导性的
_QUAL_PRED = re.compile(
    r"[和与](?=经济增长)|回稳|向好|与|完成|保持|实现|确保|进入|达到|稳定|继续|促稳|稳量|基本|进一步|高于|低于|不低于|和谐|全面|持续|明显|大幅|稳步|同步"
)
_QUAL_SKIP = re.compile(r"争取更好|根据实际情况|在实际工作中|留有|弹性|综合考虑|有利于|体现|兼顾|衔接|需要和可能|上述|这些目标")
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
_TO_LEVEL = re.compile(r"(?:提高|提升|降|降低|下降|增加|增长|减少|缩小|扩大|上升|跃升|压缩|缩短|缩减|压降)(?:到|至)了?$")  # 提高到3.3%: a level, not a growth
_QUAL_DELIM = re.compile(r"[，,；;。]|$")
_THREE_CJK = re.compile(r"[\u4e00-\u9fff]{3}")
_CJK_RX = re.compile(r"[\u4e00-\u9fff]")
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
                           r"[较比](?:年初|年末|上年末|上年底|去年底|[\d一二三四五六七八九十两]+年前)|"
                           r"(?:高于|低于|快于|慢于)(?:全国|全省|全市|全县|全区)(?:平均)?(?:水平)?|[较比]“[^”]{2,6}”(?:时期)?|"
                           r"较[^，,；;。“]{2,6}时期|[较比][一二三四五六七八九十]{1,2}五(?:时期)?).*$")
_YEAR_TAIL = re.compile(r"(?:(?:19|20)\d\d年(?:底|末|前)?的?)$")  # 提高到2025年的14万元: the year is the period
_FROM_TAIL = re.compile(r"[从由](?:(?:19|20)\d\d年(?:底|末)?的?)?$")
# heads that name no indicator without the thing they belong to (竣工项目36个，总投资27.61亿元)
_GENERIC_HEADS = ("产值", "总产值", "年产值", "营收", "营业收入", "增加值", "规模", "投资", "总投资", "产量", "销售额",
                  "营收入", "销售收入", "主营业务收入", "利税", "税收", "签约额", "增量", "满意率", "投入", "总额", "增速",
                  "增幅", "年度投资")
# the head words a topic drops (县城工业园区累计投资 -> 县城工业园区; not 增加值, 总额: 第一产业增加值 stays)
_TOPIC_TAIL = re.compile(r"(?:累计|实现|完成|共|达到?|计划)*(?:总投资|投资|投入|年产值|产值|营收|销售收入|主营业务收入|利税|税收|签约额|规模|"
                         r"产量|种植面积|总?占地(?:面积)?|总?建筑面积|面积|数量)$")
_TOPIC_HEAD = re.compile(r"^[\u4e00-\u9fff“”\"]{2,14}?(?:产业|行业|集群|经济|板块)")


_FOOTNOTE_MARK = re.compile(r"[(（]\d{1,2}[)）]|\[\d{1,3}\]")


def _clean(label: str) -> str:
    label = _CIRCLED.sub("", _FOOTNOTE_MARK.sub("", _QUOTES_RX.sub("", label))).strip(" \u3000、")
    if label.count("（") > label.count("）"):
        label = label.replace("（", "")  # 12条农村公路（总长21.7公里）: 农村公路总长
    label = _COMPARE_TAIL.sub("", label)
    label = _FROM_TAIL.sub("", _YEAR_TAIL.sub("", label))
    prev = None
    while prev != label:
        prev = label
        label = _LEAD_STRIP.sub("", label)
        label = _TRAIL_STRIP.sub("", label)
        label = label.strip(" \u3000、")
        if len(label) == 1 and len(prev) > 2:
            return prev  # 创建率93.5%: 创建 leads, but 率 alone names nothing
    return "经济增长" if label == "经济" else label  # 经济增长5.5%左右: the economy's growth


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


def _year_for(kind: str, report_year: int | None, clause: str) -> int | None:
    m = None
    for m in _YEAR_RX.finditer(clause):  # noqa: B007  (the last one is wanted)
        pass
    if m is not None:
        return int(m.group(1))
    if report_year is None:
        return None
    return report_year - 1 if kind == "observation" else report_year


_LOOK_BACK = re.compile(r"\s*(?:去年|过去一年|上一年|上年)(?!同期)")


def _classify(part_kind: str, clause: str, before: str) -> str:
    if "目标" in before[-8:] and ("(" in before[-8:] or "（" in before[-8:]):
        return "target-last-year"  # 增长6.5%(年度目标6%以上): last year's target quoted in the review
    if part_kind in PLAN_KINDS:
        # 去年县人代会确定的19项民生实事如期推进: the plan part looks back at last year
        return "observation" if _LOOK_BACK.match(clause) else "target"
    if part_kind in REVIEW_KINDS:
        return "observation"
    if _TARGET_CUE.search(clause) and not _PAST_CUE.search(clause):
        return "target"
    return "observation"


def _distribute(subject: str, n: int) -> list[str] | None:
    """``城镇及农村居民人均可支配收入`` over two numbers -> [城镇居民人均可支配收入, 农村居民人均可支配收入]."""
    items = [x for x in _LIST_SPLIT.split(subject) if x]
    if len(items) == 1 and n == 2 and subject.startswith("城乡") and len(subject) > 2:
        return ["城镇" + subject[2:], "农村" + subject[2:]]  # 城乡 = urban and rural, in that order
    pair = next((p for p in _PAIRS if p in subject), None)
    if len(items) == 1 and n == 2 and pair:  # 金融机构人民币存贷款余额分别增长6.9%、6.6%
        return [subject.replace(pair, w) for w in _PAIRS[pair]]
    if len(items) != n or n < 2:
        return None
    last = items[-1]
    prev = items[-2]
    tail = ""
    if prev in _PARALLEL_MODIFIERS and len(last) > len(prev):
        tail = last[len(prev):]  # 城镇及农村居民人均可支配收入: a modifier shares the rest
    elif last.endswith(_MEASURE_NOUNS) and not prev.endswith(_MEASURE_NOUNS):
        # 机构内集中养育和社会散居孤儿津贴标准: 孤儿津贴标准 is shared; 刑事立案和治安受理数量: 数量;
        # 限额以上通讯器材、家用电器、新能源汽车零售额: 零售额
        tail = _head_after_verb(last) or _last_word(last)
    rate = re.search(r"(?:增速|增幅|增长率)$", last)
    if rate and not prev.endswith(rate.group()) and len(last) > len(rate.group()):
        # 园区规模工业增加值、税收增速分别高于全省2.2个和3.7个百分点: both are growth rates
        return [x + rate.group() for x in items[:-1]] + [last]
    if last in _OWNED_HEADS and prev.endswith(_MEASURE_NOUNS + ("人次",)):
        # 国内游客人次、总花费: the total spending of the same tourists
        head = next(h for h in _MEASURE_NOUNS + ("人次",) if prev.endswith(h))
        last = prev[:-len(head)] + last
    out = [x + tail if tail and not x.endswith(_MEASURE_NOUNS + ("能耗", "强度")) else x for x in items[:-1]] + [last]
    return out


_PAIRS = {"存贷款": ("存款", "贷款"), "进出口": ("进口", "出口")}
_OWNED_HEADS = ("总花费", "花费", "总收入", "收入", "人次", "总量", "总额")


@dataclass
class _Ctx:
    """What the previous numbers of the sentence measured, for the numbers that follow."""

    indicator: str = ""
    group: list[str] | None = None  # indicators of the last list of numbers (分别 …)
    prev_end: int | None = None  # end of the previous number
    measure: str = "level"  # measure of the previous number
    down: bool = False  # the previous numbers were decreases governed by a verb before their indicator
    share: tuple[str, str, str] | None = None  # (owner, verb, scope) of 贡献了全省74.6%的……: for ……和40%左右的税收
    topic: str = ""  # the last label of the sentence that is not a generic head (竣工项目, then 总投资)


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
    bases: list[str]  # the labels before _refine: what the next numbers of the sentence carry over
    down: bool = False  # a reducing verb governs the indicator (压减玉米种植面积2万亩): a decrease


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
    prev_end = ctx.prev_end if ctx.prev_end is not None and ctx.prev_end >= ca else None
    same_clause = prev_end is not None
    lo = prev_end if prev_end is not None else ca
    seg_list = _segment_start(text, lo, pstart, allow_list=True)
    raw_list = text[seg_list:pstart]
    use_list = "分别" in raw_list and len(g) > 1
    whole_list = (not use_list and "、" in raw_list and len(g) == 1
                  and (seg_list == ca or text[seg_list - 1] in _CLAUSE_DELIM)
                  and not _CLAUSE_VERB.match(raw_list.lstrip())  # not 全面完成……建设、累计治理修复面积
                  and not _PREDICATE.search(_clean(raw_list.split("、")[0]), 2)  # not 益阳电厂三期建成投产、总装机
                  and not _STATED_NUMBER.search(raw_list.split("、")[0]))  # not 时隔5年……再次破亿、入境游客
    seg = seg_list if (use_list or whole_list) else _segment_start(text, lo, pstart, allow_list=False)
    raw = text[seg:pstart]
    measure = _measure(raw, first) if not _counts_following_noun(text, first) else "level"  # 提升122个劳务品牌知名度
    # nothing but 、/增长 between the previous number and this one: 1247亿元、增长0.7%
    gap_clean = prev_end is not None and not _COMMA_ETC.search(text[prev_end:pstart]) \
        and _clean(text[prev_end:pstart]) == ""
    subject = _clean(raw.split("分别")[0]) if use_list else _clean(raw)
    group = ctx.group or []
    group_fits = bool(group) and len(group) == len(g)
    if _TARGET_ASIDE.match(raw) and ctx.indicator:  # 增长6.5%(年度目标6%以上): last year's target, same measure
        subject, measure = ctx.indicator, ctx.measure
    elif raw.strip().startswith("占") and not _LAND.match(raw.strip()) and ctx.indicator:  # 占一般公共预算支出的78.6%: a share of the last indicator
        subject = ctx.indicator + _clean_keep_lead(raw).rstrip("的") + (
            "" if raw.rstrip("的").endswith(("比重", "比例", "占比")) else "比重")
        measure = "level"
    fm = _FROM_TO.search(text, ca, pstart)
    if fm and not _clean(_WHEN.sub("", text[fm.end():pstart])):
        # 认定跨国公司地区总部、外资研发中心分别从771家、481家增加到1076家、636家: the words before 从
        before = text[_segment_start(text, ca, fm.start(), allow_list=True):fm.start()]
        subject = _clean(before.split("分别")[0])
        mid = _PER_PERIOD.sub("", _WHEN.sub("", re.split(r"\d", fm.group()[1:].lstrip("从由"), maxsplit=1)[0]))
        if len(mid) >= 3 and mid.endswith(_MEASURE_NOUNS) and 0 < len(subject) <= 6 and mid not in subject \
                and not subject.endswith(_MEASURE_NOUNS):
            subject += mid  # 农村由人均纯收入3000元提高到5000元: 农村人均纯收入
        use_list = len(g) > 1
    if use_list and not subject and (group_fits or ctx.indicator):
        # 地方生产总值和全部财政收入年均递增27.7%，分别达到439亿元、36亿元
        labels = list(group) if group_fits else _distribute(ctx.indicator, len(g)) or [ctx.indicator] * len(g)
    elif use_list and (subject or not _distribute(_owner_before(text, u.start, seg, whole=True)[0], len(g))):
        labels = _distribute(subject, len(g)) or [subject] * len(g)
        head = _HEAD_LEAD.sub("", _clean(raw_list.split("分别", 1)[-1]))
        if head in _OWNED_AMOUNTS and not any(x.endswith(head) for x in labels):
            labels = [x + head for x in labels]  # 交通、水利分别完成投资2500亿元、800亿元: 交通投资, 水利投资
    elif use_list:  # 基本养老金、城镇低保标准、……再次提高，月人均分别提高221元、90元……: the list of the clause before
        labels = _distribute(_owner_before(text, u.start, seg, whole=True)[0], len(g)) or []
    elif len(g) > 1 and _LIST_SPLIT.search(raw_list) and _distribute(_SHARE_OF.sub("", _clean(raw_list)), len(g)):
        # 苹果、猕猴桃产量稳定在全国1/4、1/3: one item of the list for each number
        share = _SHARE_OF.search(_clean(raw_list))
        labels = [x + (f"占{share.group(1)}比重" if share else "")
                  for x in _distribute(_SHARE_OF.sub("", _clean(raw_list)), len(g)) or []]
    elif first.unit_kind == "percent" and len(g) == 1 and text.startswith("的", first.end) \
            and _noun_after(text, first.end + 1, cb, by_tags=True)[1]:
        noun, pred = _noun_after(text, first.end + 1, cb, by_tags=True)  # 80%的县级医院达到三级综合医院水平
        labels = [pred + "的" + noun + "占比" if noun else pred]
    elif first.unit_kind == "percent" and len(g) == 1 and text.startswith("的", first.end) \
            and (of_whole := _share_of_scope(raw, ctx)):
        # 贡献了全省74.6%的规模工业增加值和40%左右的税收: each noun's share of the province
        owner, verb, scope = of_whole
        noun = _noun_after(text, first.end + 1, cb, by_tags=True)[0].rstrip("和及与、")
        ctx.share = (owner, verb, scope)
        labels = [(f"{owner}{verb}的{scope}{noun}占比" if owner else f"{noun}占{scope}比重") if noun else raw]
    elif _counts_following_noun(text, g[-1]) and (not gap_clean or _CJK_RX.search(text, prev_end or 0, pstart)):
        # 12家企业成为……; 投资1.29亿元完成了17条道路的改扩建: a verb before the count, a new object
        noun, pred = _noun_after(text, g[-1].end, _next_start(text, qs, g[-1], cb))
        of_subject = _COUNT_IN.sub("", _PART_OF.sub("", subject)) if _PART_OF.search(raw) else ""
        if pred and noun:
            noun = pred + "的" + noun  # 243个重点项目建成投产 -> 建成投产的重点项目
        elif pred and of_subject and not _verbal(of_subject):
            noun = pred + "的" + of_subject  # 59项测评点中有22项达到全球最优水平 -> 达到全球最优水平的测评点
        elif pred and not noun:
            noun = subject + pred + _DIMENSION.get(g[-1].norm_unit, "")  # 非禁煤区3.1万户实现天然气取暖; 1100人驰援……
        elif len(noun) <= 2 and subject and not _EXAMPLES_END.search(raw.strip()):
            noun = subject + noun  # 出台助企纾困25条政策
        elif len(noun) <= 2 and _EXAMPLES_END.search(_QUOTES_RX.sub("", raw).strip()):
            examples = re.sub(r"^(?:实施|建设|完成|推进|新建)了?", "", _EXAMPLES_END.sub("", _clean(raw_list)))
            noun = examples + "等" + noun  # 标准化幼儿园、呼伦小学新建、南开路中学等14个项目
        elif noun and _starts_with_verb(noun) and g[-1].norm_unit in _DIMENSION:
            noun += _DIMENSION[g[-1].norm_unit]  # 1100人驰援湖北武汉: what they did, and how many
        labels = [noun] * len(g)
    elif not subject and len(g) == 1 and not raw.strip() and text[seg - 1:seg] == "、" \
            and g[0].unit_kind == "physical" and _noun_after(text, g[0].end, _next_start(text, qs, g[0], cb))[0] \
            and not _starts_with_verb(_noun_after(text, g[0].end, _next_start(text, qs, g[0], cb))[0]):
        labels = [_noun_after(text, g[0].end, _next_start(text, qs, g[0], cb))[0]]  # 、28公里地下管网
    elif not subject and group_fits and len(g) > 1 and same_clause:  # ，增长2.4%和5.2%
        labels = list(group)
    else:
        if not subject or _EXAMPLES_END.search(_QUOTES_RX.sub("", raw).strip()):
            if ctx.indicator and not _EXAMPLES_END.search(raw.strip()) and (gap_clean or not subject and same_clause):
                subject = ctx.indicator  # 、增长0.7% / ，力争700亿元: the same indicator again
                if re.search(r"人均", raw) and "人均" not in subject:
                    subject = "人均" + subject  # 地区生产总值达到110亿元以上、人均达到4.6万元以上
            elif not (not subject and group_fits and gap_clean):
                noun, pred = _noun_after(text, g[-1].end, cb)  # 天通吉成等12家…: the noun after the number
                examples = _EXAMPLES_END.sub("", subject)  # 新建城市艺术综合体、城乡书房等300个以上: the examples
                subject = pred + "的" + noun if pred and noun else noun or examples
                own = _STATED_NUMBER.search(raw_list.split("、")[0]) if "、" in raw_list else None
                if not subject and own and not same_clause:  # 总算力突破1.3万PF、增长20倍: 总算力
                    item = raw_list[:own.start()]
                    says = re.search(r"突破|达到?|超过|为|迈上|增长", item)
                    subject = _clean(item[:says.start()] if says else "")
                if not subject and ("人均" in raw or _GROWTH_VERB.search(_clean_keep_lead(raw))):
                    # 企业退休人员养老金标准继续提高，年人均提高2556元; 居民消费价格合理回升，上涨2%: the clause before
                    subject = _owner_before(text, u.start, seg)[0]
        labels = list(group) if not subject and group_fits else [subject] * len(g)
    if first.unit_kind == "rank" and measure == "level":
        rank = _rank_label(raw)
        owner = ctx.topic if ctx.prev_end is not None and ctx.prev_end >= u.start else ""
        bare = rank in ("排名", "全国排名", "全省排名", "全市排名", "全县排名", "全区排名")
        if bare and ctx.indicator.endswith(_RANK_NOUN) and same_clause:
            rank = ctx.indicator  # 分别居全国第3位、第2位
        elif owner and (bare or rank.startswith(("增速", "增幅", "降幅", "幅度", "提升幅度", "下降幅度", "总量", "规模"))):
            rank = owner + rank  # 数字经济增加值……，居全国第一梯队; 增加值增长6.6%，增速居全国第2位
        labels = [rank] * len(g)
    if measure == "growth":
        labels = [_RATE_TAIL.sub("", x) or x for x in labels]
    if first.unit_kind == "percent" and measure == "level":  # 民营规上工业增加值占全部规上工业的65%: a share
        labels = [x + "比重" if _SHARE_NO_HEAD.search(x) else x for x in labels]
    elif first.unit_kind in ("count", "time"):  # 优良天数比例83.5%、增加12天: the days, not their share
        labels = [_RATIO_END.sub("", x) if _RATIO_END.sub("", x).endswith("数") else x for x in labels]
    if measure == "growth" or first.unit == "微克/立方米":  # PM10下降8%: its concentration
        labels = [x + "浓度" if _POLLUTANT.fullmatch(x) else x for x in labels]
    if labels[0] in ("总数", "总量", "总额", "总计") and ctx.indicator:
        # 新增市场主体2537家，总数达到20179家: the total of the thing just counted
        labels = [_NEW_PREFIX.sub("", ctx.indicator) + x for x in labels]
    if _generic(labels[0]):  # 光伏新能源产业……，产值突破750亿元
        t = _TOPIC_HEAD.match(_QUOTES_RX.sub("", text[u.start:u.end]).lstrip("—- \u3000"))
        head = _OWNER_LEAD.sub("", t.group(0)) if t else ""
        if len(head) >= 4 and not _starts_with_verb(head) and not _OWNER_CUT.search(head, 1):  # not 园区已列入省级产业
            labels = [_with_owner(head, x) for x in labels]
        elif ctx.topic and ctx.prev_end is not None and ctx.prev_end >= ca:
            labels = [_with_owner(ctx.topic, x) for x in labels]  # 竣工项目36个，总投资27.61亿元
        else:
            # 投资2.76亿元实施……等13项生态治理项目: what the money does; 哈克镇生态奶源基地建设初具规模，完成投资
            # 3340万元: the clause before names it; 粮食总产再创历史新高……增量39.7亿斤: the sentence's topic
            # (温暖工程年度任务全面完成，投入近200亿元，改造供热管网……: a clause that says how its subject went names it)
            before, stated = _owner_before(text, u.start, seg)
            head_first = _HEAD_FIRST.fullmatch(_CIRCLED.sub("", _clean_keep_lead(raw)))
            direct = not text.startswith(("，", ","), g[-1].end)  # 投资8300余万元修建了……: the act that follows
            after = _owner_after(text, g[-1].end, cb) if head_first else ""
            owner = (after if direct else "") or (before if stated else "") or after or before \
                or _sentence_topic(text, u, pstart)
            labels = [_with_owner(owner, x) for x in labels]
    if same_clause and len(labels[0]) == 2 and len(ctx.indicator) > 3 and ctx.indicator[-1] == labels[0][-1] \
            and text[prev_end:seg].strip() == "、":
        labels = [ctx.indicator[:-2] + x for x in labels]  # 生猪存栏47.2万头、出栏63万头: 生猪出栏
    elif same_clause and first.unit_kind in ("count", "physical") and labels[0] and _ONLY_ACTION.fullmatch(labels[0]) \
            and not _counts_following_noun(text, g[-1], any_unit=True):
        # 新建城区公厕7座、改造1座: the verb acts on the thing just counted (改造城区公厕); 23个省市重点项目
        # 完成投资28亿元、竣工7个: on the topic (竣工的省市重点项目)
        act = _ACTION.match(ctx.indicator)
        obj = ctx.indicator[act.end():] if act else ""
        if len(obj) >= 2 and not obj.startswith("的"):
            labels = [x + obj for x in labels]
        elif ctx.topic and _ends_with_noun(ctx.topic):  # 开工11万平方米，完工2万平方米: the project's area
            labels = [x + "的" + ctx.topic if first.unit_kind == "count" else ctx.topic + x for x in labels]
    refined = [_refine(text, q, x, measure, _next_start(text, qs, q, cb)) for q, x in zip(g, labels)]
    if ctx.topic and ctx.prev_end is not None and ctx.prev_end >= ca:
        # 处理32宗房地产遗留问题，共涉及1.2万户: 涉及, 受益 … say what the previous thing reached
        refined = [ctx.topic + x if _REACH.match(x) else x for x in refined]
    refined = [_reached(text, u.start, seg, q, x, _next_start(text, qs, q, cb)) for q, x in zip(g, refined)]
    down = False
    if measure == "level" and first.unit_kind not in ("rank", "none"):
        # 压减玉米种植面积2万亩: the verb before the indicator governs it, the number is a decrease (降低负债率到
        # 50%: a level); 压减钢铁产能1400万吨、煤炭1000万吨: the items after 、 share the verb
        cut = [_REDUCE_LEAD.sub("", x) for x in refined]
        shared = ctx.down and same_clause and text[prev_end:seg].strip() in ("、", "") \
            and not _starts_with_verb(subject)
        if shared or all(c != x and len(c) >= 2 and not _verbal(c) for c, x in zip(cut, refined)):
            refined, labels = cut, [_REDUCE_LEAD.sub("", x) for x in labels]
            if not re.search(r"[到至]了?$", raw.rstrip()):
                down, measure = True, "growth" if first.unit_kind == "percent" else "change"
    hedge = ""
    for hm in _HEDGE.finditer(text[_segment_start(text, ca, pstart, allow_list=True):pstart]):
        hedge = hm.group(0)
    return _Group(g, ca, cb, raw, refined, measure, hedge, labels, down)


# A reducing verb before an indicator (not 减免, 减轻: those name the relief given, a level)
_REDUCE_LEAD = re.compile(r"^(?:压减|调减|削减|减少|降低|压降|缩减|核减|压缩(?!式))(?:退出)?(?=[\u4e00-\u9fffA-Za-z])")


_SHARE_NO_HEAD = re.compile(r"占(?!比|有|用)(?:(?!比重|比例|份额|占比|比率)[^占，,；;]){2,}(?<!率)$")
_RATIO_END = re.compile(r"(?:比例|比率|占比|比重)$")
_POLLUTANT = re.compile(r"(?:PM2\.5|PM10|细颗粒物|可吸入颗粒物|臭氧|二氧化氮|二氧化硫|一氧化碳)(?:（PM2\.5）|\(PM2\.5\))?")
_SHARE_VERB = re.compile(r"^(?P<owner>.*?)(?P<verb>贡献|占|覆盖|集聚|吸纳|承担|拥有)了?(?P<scope>全国|全省|全市|全县|全区|全州)?$")


def _share_of_scope(raw: str, ctx: _Ctx) -> tuple[str, str, str] | None:
    """(owner, verb, scope) when the words before a percentage and 的 say what share of a whole it is
    (贡献了全省74.6%的规模工业增加值, 覆盖全省93%的建制镇), or continue such a share (……和40%左右的税收)."""
    r = _clean_keep_lead(raw)
    if ctx.share and re.fullmatch(r"的[^，,；;。]{1,16}[和及与、]", r):
        return ctx.share
    m = _SHARE_VERB.match(_clean(r) if not r.endswith("了全国全省全市全县全区") else r)
    if not m or not (m.group("scope") or m.group("owner")):
        return None
    owner = _clean(re.sub(r"^以", "", m.group("owner")))
    return owner, m.group("verb") if owner else "", m.group("scope") or ""


_PER_PERIOD = re.compile(r"每月|每年|每人|每天|月|年")
_LAND = re.compile(r"占地(?!方|区)")  # 占地41.3亩: the land a project takes, not a share (占地方财政总支出的47.5%)
# a list item that states a number of its own (总算力突破1.3万PF、增长20倍): no part of the next number's label
_STATED_NUMBER = re.compile(r"(?<![\d.])(?!(?:19|20)\d\d年)[\d.]+[万亿]?(?:年|个|元|%|[A-Z]{2,}|[万亿][A-Z])(?!的|[\dA-Za-z])")
_WHEN = re.compile(r"(?:去年|上年|今年|当年|(?:19|20)\d\d年)(?:底|末)?的?")  # 提升到去年底的13.3%
_FROM_TO = re.compile(r"(?:分别)?[从由][^，,；;。从由]{1,30}?(?:提高|提升|增加|增长|降低|下降|降|缩小|扩大|上升|减少|跃升)?[到至]")
_CLAUSE_VERB = re.compile(r"(?:全面|基本|顺利)?(?:完成|实现|推进|开展|建成|加快|实施|启动)")
_SCOPE_GAP = re.compile(r"(?:(?![和与或的]|及(?!以))[\u4e00-\u9fffA-Za-z0-9.]){1,20}")  # a noun phrase (and a verb), no delimiter or list
_LISTED_PROJECTS = re.compile(r"[^，,；;。]{0,40}?等(?:重点|重大)?(?:项目|工程)")
_EXCEPT = re.compile(r"除[^，,；;。]*(?:以外|之外)")  # 除西部山区23个村采取型煤取暖以外


def _context_kinds(text: str, u: Unit, qs: list[Quantity]) -> list[tuple[Quantity, str]]:
    """Quantities that the rest of the sentence shows to be no result or target: a count of the
    group the next number is about (``scope``: 1000个省级重点产业项目完成投资1865.7亿元, 8个乡镇63个村3.84万户),
    and numbers in an exception (``fact``: 除……23个村……以外)."""
    out = []
    for i, q in enumerate(qs):
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if nxt is not None and q.unit_kind == "count" and _counts_following_noun(text, q) \
                and text[max(0, q.start - 1):q.start] not in ("从", "由") \
                and _SCOPE_GAP.fullmatch(text, q.end, nxt.start - len(_prefix_of(text, nxt.start))):
            out.append((q, "scope"))
            continue
        ca, cb = _clause_bounds(text, u, q.start)
        if q.unit_kind in ("money", "physical") and _LISTED_PROJECTS.match(text, q.end, cb):
            out.append((q, "modifier"))  # 实施奋斗镇1万亩节水灌溉、哈克镇7000平方米标准化奶牛养殖……等项目
            continue
        lead = _LEAD_STRIP.sub("", _segment_text(text, ca, q.start))
        if any(m.start() < q.start - ca < m.end() for m in _EXCEPT.finditer(text[ca:cb])) \
                or q.unit in ("万", "亿") and not lead and _counts_following_noun(text, q, any_unit=True) \
                or _SITUATION.search(text, _segment_start(text, ca, q.start, allow_list=True), q.start) \
                and q.unit.endswith("人"):
            out.append((q, "fact"))
    return out


# Counts the government neither reports as done nor sets: the year's graduates, the pupils of the country
_SITUATION = re.compile(r"毕业生|在校学生|在校生")


def _segment_text(text: str, a: int, b: int) -> str:
    """The words after the last delimiter before ``b`` (from ``a``)."""
    return text[_segment_start(text, a, b, allow_list=False):b]


# ----------------------------------------------------------------------------- labels
# A label names what a number measures: a noun phrase, never a verb or adverb fragment (坚决守住,
# 先发行, 安排). When the words before the number are only a verb, the noun is after the number
# (严守18亿亩耕地红线 -> 耕地红线; 安排300亿元财政资金注入…… -> 财政资金); when the words end with a verb
# whose object is the number itself, the unit says what was counted (脱贫1125户 -> 脱贫户数).
_SHARE_OF = re.compile(r"(?:占|稳定在|保持在|达到)(全国|全省|全市|全县)$")
_REACH = re.compile(r"(?:涉及|受益|覆盖|惠及|带动)")
_PART_OF = re.compile(r"中有?$|之中$")
_REACH_END = re.compile(r"(?:涉及|受益|覆盖|惠及|带动)$")


def _reached(text: str, lo: int, seg: int, q: Quantity, label: str, lim: int) -> str:
    """A label that ends with what something reached (惠及, 覆盖, 带动) names who or how many: 改造城镇老旧小区870个、
    惠及10万余户 -> 改造城镇老旧小区惠及户数; 规模化供水工程覆盖94%的农村人口 -> 规模化供水工程覆盖的农村人口占比;
    a bare 惠及 takes the clause before it (公共文化场馆延时错时开放，惠及5900万人次)."""
    if not _REACH_END.search(label):
        return label
    verb, base = label[-2:], label[:-2].rstrip("、，,")
    if not base:
        prev = [p for p in re.split(r"[，,；;：:]", text[lo:seg]) if p.strip()]
        base = _clean(_LEAD_COUNT.sub("", _QUOTES_RX.sub("", prev[-1]))) if prev else ""
        base = base if 2 <= len(base) <= 20 else ""
    if q.unit_kind == "percent":  # 覆盖94%的农村人口, 覆盖80%以上村卫生室: a share of those reached
        noun = _noun_after(text, q.end + text.startswith("的", q.end), lim)[0]
        return f"{base}{verb}的{noun}占比" if noun and not _starts_with_verb(noun) else label
    noun = _noun_after(text, q.end, lim)[0] if _counts_following_noun(text, q, any_unit=True) else ""
    if noun and not _starts_with_verb(noun):
        return base + verb + noun + ("" if noun.endswith(("数", "量")) else "数")  # 惠及3万多家庭
    unit = q.unit.lstrip("万亿多余")
    dim = _DIMENSION.get(q.norm_unit) or _DIMENSION.get(unit) or (unit + "数" if q.unit_kind == "count" and unit else "")
    return base + verb + dim if base and dim else label
_COUNT_IN = re.compile(r"[\d.,]+[万亿]?[个项家户所座条处台辆村人名]")
# where the topic of a sentence ends: its first verb (粮食总产|再创历史新高, 温暖工程|年度任务全面完成)
_TOPIC_CUT = re.compile(r"再创|创|实现|完成|达到|保持|持续|不断|稳步|加快|全面|扎实|深入|明显|显著|大幅|进一步|取得|位居|稳居|"
                        r"跃居|成为|迈上|突破|增长|提升|提高|下降|优化|年度任务|成效|效果")


def _sentence_topic(text: str, u: Unit, pstart: int) -> str:
    """The noun a sentence opens with, for a generic head (增量, 投入) with no other owner in the sentence."""
    head = text[u.start:pstart]
    m = _CLAUSE_DELIM_RX.search(head)
    first = _QUOTES_RX.sub("", head[:m.start()] if m else "").strip("—- \u3000")
    cut = _TOPIC_CUT.search(first)
    topic = _clean(first[:cut.start()]) if cut else ""
    return topic if 2 <= len(topic) <= 8 and topic not in _GENERIC_HEADS and _ends_with_noun(topic) else ""


_CLAUSE_DELIM_RX = re.compile(f"[{re.escape(_CLAUSE_DELIM)}]")
# A generic head (投资, 资金, 年产值) names an amount without its owner; the words that may lead it
_HEAD_LEAD = re.compile(r"^(?:累计|计划|完成|共|全年|年内|当年|今年|(?:19|20)\d\d年|下达|筹措|争取|首期|安排|拨付|投入|总|实现)*")
_OWNED_AMOUNTS = ("投资", "资金", "投入", "投入资金", "金额", "资金投入", "产值", "年产值", "营收", "规模", "投资额", "占地", "占地面积",
                  "建筑面积", "总建筑面积")
# a head that opens its clause (年内投资1.6亿元，完成……): the words after the number say what it pays for
_HEAD_FIRST = re.compile(r"(?:[一二三四五六七八九十]+是)?(?:[两三四五六七八九十]年|(?:19|20)\d\d年)?(?:全年|年内|当年|今年|共|累计|计划)*"
                         r"(?:投资|投入|投入资金|筹措资金|安排资金)")
_BUILT = re.compile(r"(?:已|均|全部)?(?:建成|投产|竣工|完工|开工|落地|签约|入驻|投入使用)")
_ONLY_ACTION = re.compile(r"(?:已|再|又)?(?:新建|改造|改建|扩建|新改建|改扩建|建成|完工|竣工|投产|开工|开工建设|改造提升|修缮|"
                          r"维修|提升|整治|治理|拆除|搬迁|新增|完成)")
_HEAD_WHEN = re.compile(r"^(?:[两三四五六七八九十]年|(?:19|20)\d\d年)?(?:全年|年内|当年|今年)?共?")  # 年内投资: the year is the period, not part of the label
_ACTION = re.compile(r"(?:(?:重点|集中|全面|先后|分别|主要|启动|继续|持续|加快|积极)?(?:实施|完成|新建|建设|建成|改造|改扩建|新改建|改建|扩建|启动|推进|"
                     r"铺设|敷设|购置|配置|打造|开展|整治|治理|修建|硬化|安装|解决|搭建|扶持|支持|提升|更新|维修|新增|用于|开工|续建|"
                     r"办好|办成|加强|加快|完善|购买|采购|配备|改善|建立)了?[、和及]?)+")
_FOR_WHOM = re.compile(r"^[对为](?P<obj>[^，,；;。]{2,24}?)(?:进行|实施|开展)(?:了|全面|集中)*(?P<act>[\u4e00-\u9fff]{2,12})")
_OWNER_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+是|以|在|围绕|聚焦|坚持)?(?:(?:持续|深入|加快|大力|全力|积极|继续|重点|着力|全面|扎实|"
                         r"不断|进一步|稳步|集中)*(?:推进|实施|开展|抓好|推动|加强|建设|打造|启动|完成|落实|谋划|申报|安排|争取|引进|"
                         r"发展|壮大|做强|做大|培育|加快|设立|成立|组建))*")
# where the owner named by a clause ends: the clause's predicate (初具规模, 投入使用, 加快, 热火朝天)
_OWNER_CUT = re.compile(_TOPIC_CUT.pattern + r"|投入使用|初具规模|开工|竣工|完工|建成|加速|推进|顺利|基本(?=完成|建成|实现|形成|达到|具备)|落地|启动|加大|增强|"
                        r"完善|形成|进展|热火朝天|日趋|日益|不断|有序|快速|扎实|积极|全部|位于|由|继续|再次|已|列入|纳入")
_OWNER_TAIL = re.compile(r"(?:进程|力度|步伐|进度|速度|水平|工作|进展)$")
_PLAIN_OBJECT = ("项目", "工程", "项目建设", "重点项目", "建设", "任务")
_COUNT_ANY = re.compile(r"(?<![A-Za-z\d.])(?![\d.]+千伏)[\d.,]+[余多]?(?:万亿|亿|万|千(?![瓦伏米克]))?[余多]?(?:" + _UNIT_ALT + r"|[kK][vV]|%)?"
                        r"|[一二两三四五六七八九十百千万]+(?:个|项(?!目)|所|座|条|处|栋|批|家)")
_NUMBERISH_DIGIT = re.compile(r"\d")
_CODE = re.compile(r"[A-Za-z]+\d+|\d[\d.]*(?:千伏|千瓦|[kK][vV])")  # G234国道, 10千伏线路: a code or a class


def _generic(label: str) -> bool:
    """Whether a label is an amount without its owner (投资, 完成投资, 下达资金, 年产值)."""
    return label in _GENERIC_HEADS or _HEAD_LEAD.sub("", label) in _OWNED_AMOUNTS


def _with_owner(owner: str, label: str) -> str:
    head = _HEAD_LEAD.sub("", label)
    if owner and head and owner.endswith(head):
        return owner  # 争取上级项目资金，下达资金3.2亿元: 上级项目资金
    return owner + (_HEAD_WHEN.sub("", label) or label) if owner else label


def _owner_after(text: str, pos: int, lim: int) -> str:
    """What an amount that opens its clause pays for: the object of the action after it, within its
    clause (投资2.76亿元实施……等13项生态治理项目 -> 生态治理项目; 投资4360万元，对城区雨水管网进行全面改造
    -> 城区雨水管网改造); "" when no action follows or its object is only 项目."""
    if text.startswith(("，", ","), pos):
        pos += 1
    end = _CLAUSE_STOP.search(text, pos, lim)
    phrase = _FOOTNOTE_MARK.sub("", _QUOTES_RX.sub("", text[pos:end.start() if end else lim]))
    phrase = _SPACES.sub("", re.sub(r"〔\d+〕", "", phrase))
    fw = _FOR_WHOM.match(phrase)
    act = _ACTION.match(phrase)
    helped = re.match(r"[为给向]", phrase) and _ACTION.search(phrase, 2)
    if helped and not fw:  # 投资1330万元为全部学校配置教学触控一体机: what was bought or done
        phrase = phrase[helped.end():]
    elif fw:
        obj = _COUNT_ANY.sub("", fw.group("obj"))
        phrase = obj + fw.group("act") if not fw.group(0).startswith("为") else fw.group("act")
    elif act:
        phrase = phrase[act.end():]
    else:  # 投资8845万元，月明河综合治理成效初显: the subject of a clause saying how it went
        cut = _OWNER_CUT.search(phrase, 2)
        subject = _ADVERB_TAIL.sub("", _clean(phrase[:cut.start()])) if cut else ""
        return subject if 2 <= len(subject) <= 16 and _ends_with_noun(subject, nominal_verbs=True) \
            and not _NUMBERISH_DIGIT.search(subject) else ""
    if "等" in phrase:
        phrase = phrase[phrase.rindex("等") + 1:]  # 实施县污水处理厂扩容提标等13项生态治理项目: the kind, not the examples
    phrase = _COUNT_ANY.sub("", re.sub(r"、?(?:总长度|总长|全长|总面积|总里程)(?=\d)", "", phrase))
    phrase = re.sub(r"^(?:一批|一系列|各类|多个|的|了|、)+", "", phrase).strip("、")
    cut = _PREDICATE.search(phrase, 2)
    noun = re.sub(r"(?<=..)(?:面积|长度|里程|数量)$", "", _OWNER_TAIL.sub("", _clean(phrase[:cut.start()] if cut else phrase)))
    return noun if 2 <= len(noun) <= 24 and noun not in _PLAIN_OBJECT and not _NUMBERISH_DIGIT.search(_CODE.sub("", noun)) \
        else ""


def _owner_before(text: str, lo: int, seg: int, whole: bool = False) -> tuple[str, bool]:
    """What an amount belongs to, named by a clause before it in the sentence (哈克镇生态奶源基地建设初具规模，
    完成投资3340万元 -> 哈克镇生态奶源基地建设): the noun phrase a clause opens with, up to its predicate; and
    whether it is the clause right before and has such a predicate (it then says how its subject went)."""
    head = text[lo:seg]
    parts = [p for p in re.split(r"[，,；;：:]", head) if p.strip()][-2:]
    if head.endswith("、"):  # ……重点产业项目落地、投资超380亿元: the item before
        parts.append(re.split(r"[，,；;：:、]", head[:-1])[-1])
    topic = re.search(r"以([^，,；;：:]{2,30}?)为(?:重点|核心|主线)[，,]", head)  # 以……等区域特色产业为重点，……力争年产值
    if topic:
        parts.append(topic.group(1))  # looked at first
    for i, part in enumerate(reversed(parts)):
        s = _FOOTNOTE_MARK.sub("", _QUOTES_RX.sub("", re.sub(r"〔\d+〕", "", part))).strip("—- \u3000、")
        s = re.sub(r"^以(.{2,16}?)为(?:重点|抓手|核心|主线|牵引)$|^在?(.{2,16}?)方面$", r"\1\2", s)
        s = _WHEN.sub("", _OWNER_LEAD.sub("", _LEAD_STRIP.sub("", s)), count=1)  # 力争2015年民营经济增加值实现翻番
        if "等" in s:
            s = re.sub(r"^(?:一批|一系列|各类)", "", s[s.rindex("等") + 1:])  # 启动区、起步区等重点片区建设
        cut = _OWNER_CUT.search(s, 2)
        if cut and _NUMBERISH_DIGIT.search(_CODE.sub("", s[cut.start():])):
            continue  # 人均道路面积达到12.93平方米: a clause stating its own number is about another indicator
        noun = _OWNER_TAIL.sub("", _clean(s[:cut.start()] if cut else s))
        if "的" in noun and _ends_with_noun(noun):
            noun = noun[noun.rindex("的") + 1:]  # 联通俄蒙、对接东北的区域物流中心
        if len(noun) > 16 and "、" in noun and not whole:
            noun = noun[noun.rindex("、") + 1:]  # 新入驻八木化纤、……、平安电器四个项目
        if 2 <= len(noun) <= (40 if whole else 20) and not _NUMBERISH_DIGIT.search(_CODE.sub("", noun)) and not _generic(noun) \
                and noun not in _PLAIN_OBJECT and (len(noun) >= 6 and not _starts_with_adverb(noun) or not _starts_with_verb(noun)) \
                and (_ends_with_noun(noun, nominal_verbs=True) or noun.endswith(("建设", "改造", "治理", "整治", "发展"))) \
                and not noun.endswith(_ABSTRACT):
            return noun, i == 0 and cut is not None and not topic
    return "", False


# nouns that name a quality, not a thing an amount can belong to (做大产业优势，力争年产值……)
_ABSTRACT = ("优势", "能力", "水平", "效益", "作用", "活力", "动力", "机制", "体系", "环境", "氛围", "意识")


_OF_THINGS = re.compile(r"的(?:村|户|企业|县|乡镇|学校|单位|人口|家庭|社区)$")
_LEAD_COUNT = re.compile(r"^(?:[\d.,]+[万亿]?[个项家户所座条处台辆村人名]|.*?\d[\d.]*[万亿]?元的)")  # 1684户…; 投资1.4亿元的…
_CIRCLED = re.compile(r"^.*[①-⑳]")  # ⑥新增城区数字电视用户; …⑨镇中广场和绿化游园建设⑩城中村改造面积
_VERB_LEAD = re.compile(r"^(?:拟(?=安排|发行|按|新增|增发)|重点(?=抓好|实施|推进|建设|打造)|安排|先(?!后|导|进|行)|再(?!就业)|又|还|坚决|严格|大力|积极|全面|高质量|扎实|"
                        r"加快推进|加快|着力|切实|认真|抓好|抓紧|"
                        r"目前|已有|一次性|共(?![享同建治创商有])|年内|(?:19|20)\d\d年)+")
_ADVERB_TAIL = re.compile(r"(?:首次|再次|持续|稳定|继续|进一步|基本|全部|已经|已|均|又|还|仍|拟按|按|拟|安排|延长|提前|预计|"
                          r"争取|力争|确保|努力|迈上|迈入|一般|改善|"
                          r"递增|递减|可比)+$")
# where the noun after a number ends: the next verb, adverb or 的 (财政资金|注入“四化”等产业基金)
_CLAUSE_STOP = re.compile(r"[，,；;。：:！？!?\n]")  # a noun after a number may be a list: 7所中小学校、幼儿园建成启用
_PREDICATE = re.compile(r"相继|陆续|稳步|(?:加快|加速)(?=推进|建设|实施|发展|转化|落地|构建|布局)|有序|平稳|可全部|可以|按期|如期|圆满|都(?=能|要|已|将|实现)|按时|年内|今年|当年|集中(?=[获开签启建投])|荣获|取得|成功|发放|提供|签约|享受|接受|办理|实施|开展|注入|用于|投向|支持|补充|置换|达到|实现|完成|建成|投产|投入使用|获得?|成为|入选|纳入|参加|覆盖|"
                        r"惠及|带动|消化|深化|落地|开工|竣工|得到|通过|列入|进入|进行|采取|全部|基本|已|均|顺利|正式|"
                        r"全面|被|由|向|为|在|从|超过|(?<![雷抵送发表])达")
_VERBISH_TAGS = ("v", "vd", "d", "ad", "a", "p", "c", "u", "m", "t")
_VERB_WORDS = {"新建", "严守", "深化", "建成投产", "新开工", "新改建", "改扩建", "续建", "共", "已"}
# verbs that name indicators by themselves (城镇新增就业, 固定资产投资): never given a dimension noun
_INDICATOR_VERBS = ("就业", "投资", "消费", "支出", "出口", "进口", "招生", "收入", "营收", "增长", "发展", "生产", "投入",
                    "排名", "位次", "增收")
_DIMENSION = {"人": "人数", "名": "人数", "人次": "人次", "户": "户数", "HA": "面积", "M2": "面积",
              "KiloM2": "面积", "KiloM": "长度", "M": "长度", "CNY": "金额", "USD": "金额", "EUR": "金额",
              "TONNE": "量", "KiloGM": "量", "M3": "量", "KiloW": "容量", "KiloW-HR": "量"}


def _noun_after(text: str, pos: int, lim: int, by_tags: bool = False) -> tuple[str, str]:
    """The noun right after a number and the predicate that follows it, within ``lim``:
    ``243个重点项目建成投产`` -> (重点项目, 建成投产)."""
    phrase = _right_phrase(text, pos, lim, _CLAUSE_STOP).rstrip("和及与或、")
    kind = _EXAMPLES_KIND.search(phrase, 2)
    if kind:  # 350万株花卉种植等项目建设: the item the number belongs to, not the list's kind
        phrase = phrase[:kind.start()]
    if _PREDICATE.match(phrase):
        return "", _ADVERB_TAIL.sub("", phrase)  # 22项达到全球最优水平: no noun, only what they did
    m = _PREDICATE.search(phrase, 1) or (_first_verb(phrase) if by_tags else None)
    if "、" in phrase and (not m or "、" in phrase[m.start():]):
        # a list of nouns only when a predicate follows it (7所中小学校、幼儿园建成启用), not 3家企业上市、总数达21家
        phrase = _right_phrase(text, pos, lim).rstrip("和及与或、")
        m = _PREDICATE.search(phrase, 1) or (_first_verb(phrase) if by_tags else None)
    second = _SECOND_OBJECT.search(phrase, 1)  # 15个村庄……污水治理和投资2100万元的……: the next object
    if second and (not m or second.start() < m.start()):
        phrase, m = phrase[:second.start()], None
    of = phrase.find("的", 1)
    if of > 0 and (not m or of < m.start()) and _ends_with_noun(phrase[:of]) and not _starts_with_verb(phrase[:of]):
        return phrase[:of], ""  # 10万贫困人口的温饱问题: the people, not their problem
    if not m:
        return phrase, ""
    noun, pred = _MODAL_END.sub("", phrase[:m.start()]), phrase[m.start():]  # 57个项目要加快建设: 项目
    pred = _PRED_LEAD.sub("", pred)
    pred = pred if _SPEED_VERB.match(pred) else _ADVERB_TAIL.sub("", _VERB_LEAD.sub("", pred))  # 加快建设: keeps 加快
    member = _MEMBER.match(pred)
    if member and len(pred) > member.end() + 1:
        return pred[member.end():], ""  # 12家企业成为国家级专精特新小巨人企业: the members of that class
    return noun, (pred if 1 < len(pred) <= 20 and not _RIGHT_STOP.search(pred) else "")


_EXAMPLES_KIND = re.compile(r"等(?:一批)?(?:重点|重大|民生|基础设施)?(?:项目|工程)")
_SECOND_OBJECT = re.compile(r"[和及与](?=投资|建设|完成|实施|新建|改造|开展|[\d一二两三四五六七八九十])|(?<=[\u4e00-\u9fff])\d")
_SPEED_VERB = re.compile(r"(?:加快|加速)(?:推进|建设|实施|发展)$")
_SPEED_OF = re.compile(r"(?:加快|加速)(?:推进|建设|实施|发展)的")  # 103个重点项目加快推进: what they did
_MODAL_END = re.compile(r"(?<=..)[要将已都也还]$")
_PRED_LEAD = re.compile(r"^(?:的|可以|可|全部|基本|已经|已|均|顺利|正式|全面)+")
_MEMBER = re.compile(r"(?:成为|获评|被评为|评为|认定为)")


def _first_verb(phrase: str) -> re.Match[str] | None:
    """Where the predicate begins when no word of _PREDICATE does: the first adverb or verb after a noun
    (90%以上的村（社区）|配备家庭健康指导员, 19项民生实事|如期推进), as a match object."""
    from kg.tokens import tag

    pos, seen_noun = 0, False
    for w, t in tag(phrase):
        if seen_noun and t in ("v", "d", "ad", "t"):
            return re.compile(re.escape(w)).search(phrase, pos)
        seen_noun = seen_noun or t.startswith("n")
        pos += len(w)
    return None


def _verbal(label: str) -> bool:
    """Whether a label is only a verb or an adverb (坚决守住, 先发行, 安排, 一次性)."""
    from kg.tokens import tag

    return bool(label) and (label in _VERB_WORDS or all(t.startswith(_VERBISH_TAGS) or w in _VERB_WORDS
                                                         for w, t in tag(label)))


def _ends_with_verb(label: str) -> bool:
    from kg.tokens import tag

    tags = tag(label)
    return bool(tags) and tags[-1][1] in ("v", "l", "i") and "的" not in label


_PARALLEL_MODIFIERS = {"城镇", "农村", "城市", "乡村", "城乡", "男性", "女性", "国有", "民营", "省级", "市级", "县级", "中央",
                       "地方", "一般", "重点", "公办", "民办", "出口", "进口", "大型", "中型", "小型"}
_MEASURE_NOUNS = ("数量", "金额", "总额", "标准", "比重", "比例", "人数", "规模", "收入", "价格", "面积", "产量", "产值",
                  "增加值", "总值", "投资", "利润", "税收", "支出", "消费", "就业", "贷款", "余额", "浓度", "排放", "指数", "数", "量",
                  "额", "率")


def _last_word(phrase: str) -> str:
    """The head noun a list shares: the last word when it ends with a measure noun, else that noun."""
    from kg.tokens import tag

    tags = tag(phrase)
    word = tags[-1][0] if tags else ""
    if len(word) >= 2 and word.endswith(_MEASURE_NOUNS):
        return word
    return next(n for n in _MEASURE_NOUNS if phrase.endswith(n))


def _head_after_verb(phrase: str) -> str:
    """The nouns after the first verb of a phrase: 社会散居孤儿津贴标准 -> 孤儿津贴标准 ("" when none)."""
    from kg.tokens import tag

    pos, seen_verb = 0, False
    for w, t in tag(phrase):
        if seen_verb and t.startswith("n"):
            return phrase[pos:]
        seen_verb = seen_verb or t.startswith("v")
        pos += len(w)
    return ""


def _ends_with_noun(phrase: str, nominal_verbs: bool = False) -> bool:
    """Whether the last word is a noun (or, with ``nominal_verbs``, a verb used as one: 工资, 治理)."""
    from kg.tokens import tag

    tags = tag(phrase)
    return bool(tags) and (tags[-1][1].startswith("n") or nominal_verbs and tags[-1][1] == "vn")


def _first_is_prefix(phrase: str) -> bool:
    """超长期特别国债: a one-character first word tagged a verb that is a prefix of the noun."""
    from kg.tokens import tag

    tags = tag(phrase)
    return bool(tags) and len(tags[0][0]) == 1


def _starts_with_adverb(phrase: str) -> bool:
    from kg.tokens import tag

    tags = tag(phrase)
    return bool(tags) and tags[0][1] in ("d", "ad", "p", "c")


def _starts_with_verb(phrase: str) -> bool:
    from kg.tokens import tag

    tags = tag(phrase)
    return bool(tags) and tags[0][1] in ("v", "vd", "d", "ad", "p")


def _refine(text: str, q: Quantity, label: str, measure: str, lim: int) -> str:
    """A label made a noun phrase (see above)."""
    written = label
    label = _LEAD_COUNT.sub("", _CIRCLED.sub("", label))
    if not _VERB_LEAD.sub("", label).startswith("的") and not _SPEED_OF.match(label):  # 加快推进的重点项目: it qualifies
        label = _VERB_LEAD.sub("", label)
    label = _ADVERB_TAIL.sub("", label)
    if label.endswith(_INDICATOR_VERBS) and label != "发展":
        return label  # 城镇新增就业, 出口, 投入: an indicator named by its verb
    if text[:q.start - len(_prefix_of(text, q.start))].endswith("的"):
        noun, _ = _noun_after(text, q.end, lim)  # 欠发的12.9亿元公教人员工资: the noun after is the head
        if noun and not _starts_with_verb(noun):
            return noun
    if not label or _verbal(label):
        noun, _ = _noun_after(text, q.end, lim)
        if noun and not _verbal(noun) and (not _starts_with_verb(noun) or _first_is_prefix(noun) and _ends_with_noun(noun)):
            return label + "的" + noun if len(noun) == 1 and label else noun
    label = label or written  # 着力抓好: nothing after it names the thing either
    if q.unit == "次" and _ACTS_COUNTED.match(text, q.end) and _ACTS_COUNTED.match(label) and not label.endswith("次数"):
        return label + "次数"  # 两次下调存款准备金率和政策利率: how many times it was done

    if q.unit_kind == "percent" and measure == "level" and _OF_THINGS.search(label):
        return label + "占比"  # 村集体收入10万元以上的村达到50%: the share of those villages
    if q.unit_kind == "percent" and _SHARE_OF.search(label):
        return _SHARE_OF.sub(r"占\1比重", label)  # 已建在建入级电动船舶数量占全国三成以上; 产量稳定在全国1/4
    if label and measure in ("level", "change") and q.unit_kind != "rank" and (_verbal(label) or _ends_with_verb(label)):
        unit = q.unit.lstrip("万亿")
        dim = _DIMENSION.get(q.norm_unit) or ("数" if unit == "个" else unit + "数" if q.unit_kind == "count" and unit else "")
        if dim and not label.endswith(dim):
            return label + dim
    return label


_RANK_TAIL = re.compile(r"(?:稳居|位居|跃居|位列|名列|居|列|排名|排位|排|提升至|上升至|升至|跃升至|进入|跻身|保持|处于|获得|获|夺得|荣获)?"
                        r"(?P<scope>全国|全省|全市|全区|全县|全州|全球|世界|全国同类城市|同类城市)?[第前]$")
_RANK_NOUN = ("排名", "排位", "位次", "名次")
_RANK_NOISE = re.compile(r"连续(?:[\d一二三四五六七八九十两多]+个?[年届次月])?|持续|保持|稳居|继续|均|从第?[\d一二三四五六七八九十]+[名位]?")


_RANKED_RATE = re.compile(r"(?:增速|增幅|降幅|(?:提升|下降|增长)?幅度)$")


def _rank_label(raw: str) -> str:
    """区域创新能力稳居全国第4位 -> 区域创新能力全国排名; 区域农业品牌排名提升至全国第六位 -> 区域农业品牌全国排名."""
    raw = _RANK_NOISE.sub("", _QUOTES_RX.sub("", raw).rstrip())
    m = _RANK_TAIL.search(raw)
    base = _clean(raw[:m.start()] if m else raw)
    rate = _RANKED_RATE.search(raw[:m.start()] if m else raw)
    if rate and not base.endswith(rate.group()):
        base += rate.group()  # 降幅居全国前5位: the rank of the fall, not of the indicator
    scope = m.group("scope") or "" if m else ""
    if base.endswith(_RANK_NOUN):
        return base[:-2] + scope + base[-2:]
    return base + scope + "排名"


def _next_start(text: str, qs: list[Quantity], q: Quantity, lim: int) -> int:
    later = [x.start - len(_prefix_of(text, x.start)) for x in qs if x.start > q.start]
    return min([lim] + later)


def extract_units(text: str, units: Iterable[Unit], report_year: int | None = None,
                  goal_for=None, norm: str | None = None) -> Goals:
    """Targets, observations and skips for the given sentences. ``goal_for(unit, in_main) -> Goal id``.

    ``norm``: :func:`~kg.extract.quantities.normalise` of ``text``, when the caller has it.
    """
    targets: list[Fact] = []
    observations: list[Fact] = []
    skipped: list[SkippedNumber] = []
    if norm is None:
        norm = normalise(text)
    main_paragraph: int | None = None
    for u in units:
        mentions = scan(text, u.start, u.end, norm)
        qs = [m for m in mentions if isinstance(m, Quantity)]
        for m in mentions:
            if isinstance(m, Skipped):
                skipped.append(SkippedNumber(m.start, m.end, m.text, m.reason, u.index))
        for q, reason in _context_kinds(text, u, qs):
            skipped.append(SkippedNumber(q.start, q.end, q.text, reason, u.index))
            qs.remove(q)
        sent = text[u.start:u.end]
        opens = u.kind != "review" and bool(_MAIN_TARGETS.search(sent)) and ("：" in sent or ":" in sent)
        # the main targets go on in the sentences after the one that opens them, up to the paragraph's end
        # (今年的主要预期目标是：国内生产总值比上年增长8％。全部财政收入增长7％左右。……)
        main = opens or (main_paragraph is not None and u.paragraph == main_paragraph
                         and not _MAIN_AFTERWORD.match(sent))
        main_paragraph = u.paragraph if opens and u.paragraph >= 0 else main_paragraph if main else None
        goal = goal_for(u, main) if goal_for else ("main" if main else None)
        ctx = _Ctx()
        for g in _groups(text, qs):
            grp = _resolve(text, u, g, qs, ctx)
            ctx.prev_end = g[-1].end
            ctx.measure = grp.measure
            ctx.down = grp.down
            ctx.indicator = grp.bases[-1] or ctx.indicator
            topic = _TOPIC_TAIL.sub("", grp.bases[-1])  # 县城工业园区累计投资 -> 县城工业园区
            bare = _OWNER_LEAD.sub("", topic)  # 实施省市重点项目23个，总投资……: the projects, not the verb
            topic = bare if len(bare) >= 2 and not bare.startswith("的") and not _generic(bare) else topic
            topic = _LEAD_COUNT.sub("", topic)  # 23个省市重点项目
            cut = _BUILT.search(topic, 2)  # 分散养殖场已建成86个，投产59个: the farms
            topic = topic[:cut.start()] if cut and _ends_with_noun(topic[:cut.start()]) else topic
            if len(topic) >= 2:
                ctx.topic = topic
            ctx.group = grp.bases if len(g) > 1 else ctx.group
            # 分别由人均每月500元、400元提高到600元、500元: every number of the first list is a start
            starts_from = _FROM_BEFORE.search(text, max(u.start, g[0].start - 14), g[0].start) is not None \
                and _TO_AFTER.match(text[g[-1].end:g[-1].end + 16]) is not None
            for q, label in zip(g, grp.labels):
                if not label:  # a number alone (a flattened table cell): what it measures is unknown
                    skipped.append(SkippedNumber(q.start, q.end, q.text, "no-indicator", u.index))
                    continue
                base = _FROM_BEFORE.search(text, max(u.start, q.start - 14), q.start)
                if base and _TO_AFTER.match(text[q.end:q.end + 16]) or len(g) > 1 and starts_from:
                    # the start of a from-to change (从2020年的10.5万元提高到…): the reference, not a result
                    skipped.append(SkippedNumber(q.start, q.end, q.text, "baseline", u.index))
                    continue
                fact = _fact(text, u, grp, q, label, report_year, goal, main)
                (targets if fact.kind == "target" else observations).append(fact)
        if main:
            targets.extend(_qualitative(text, u, qs, report_year, goal))
        elif u.kind == "plan":
            targets.extend(_plan_qualitative(text, u, qs, report_year, goal))
    targets.sort(key=lambda f: f.start)
    observations.sort(key=lambda f: f.start)
    return Goals(targets=tuple(targets), observations=tuple(observations), skipped=tuple(skipped))


def _fact(text: str, u: Unit, grp: _Group, q: Quantity, label: str, report_year, goal, main: bool = False) -> Fact:
    ca, cb = grp.clause_start, grp.clause_end
    cls = "target" if main else _classify(u.kind, text[ca:cb], text[ca:q.start])
    kind = "observation" if cls == "observation" else "target"
    year = _year_for(kind, report_year, text[ca:q.start])
    if cls == "target-last-year" and report_year:
        year = report_year - 1
    down = q.direction < 0 or grp.down or (grp.measure != "level" and _DOWN_VERB.search(grp.raw[-6:]) is not None)
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
    r = _MEASURE_TAIL1.sub("", _MEASURE_TAIL2.sub("", _MEASURE_TAIL1.sub("", r)))  # 下降幅度分别为
    if _GROWTH_VERB.search(r) or q.direction != 0 and not _TO_LEVEL.search(raw.rstrip()):
        if q.unit_kind in ("percent",):
            return "growth"
        if q.direction != 0 or _GROWTH_VERB.search(r):
            return "change"
    return "level"


def _counts_following_noun(text: str, q: Quantity, any_unit: bool = False) -> bool:
    """``12家企业成为……``, ``25条政策``: a count whose measure word is followed by the noun counted."""
    if q.unit_kind != "count" and not any_unit:
        return False
    nxt = text[q.end:q.end + 3].lstrip(" \u3000“")[:1]  # 20项 高新技术产业化项目: a stray space; 5条“一带一路”…航线
    return bool(nxt) and ("\u4e00" <= nxt <= "\u9fff" and nxt not in "的和及与或等" or nxt.isascii() and nxt.isalpha())


def _right_phrase(text: str, pos: int, lim: int, stop: re.Pattern = _RIGHT_STOP) -> str:
    m = stop.search(text, pos, lim)
    e = m.start() if m else lim
    paren = text.find("（", pos, e)
    if paren >= 0 and text.find("）", paren, e) < 0:
        e, m = paren, None  # 12条农村公路（总长21.7公里）: the brackets hold the next number
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


# A goal without a number in a plan section: a place in a ranking (确保高考总评保持全市前列) or a task set
# by a higher level (完成省市下达的开工任务, 约束性指标完成省定任务, 达到市核定标准).
_QUAL_GOAL = re.compile(
    r"(?:保持|进入|走在|位居|稳居|跻身|争创|争当)(?:全国|全省|全市|全县|全区|全州|同类城市)(?:前列|领先水平|第一方阵|先进行列)"
    r"|完成(?:省、?市|省|市|上级|国家)(?:下达|确定|分解)的?[\u4e00-\u9fff]{0,8}?(?:任务|指标)|完成省定任务|完成市定任务"
    r"|达到(?:省|市|国家)?(?:核定|规定|考核|下达)标准")


def _plan_qualitative(text: str, u: Unit, qs: list[Quantity], report_year, goal) -> list[Fact]:
    """Clauses of a plan section that set a goal without a number (see _QUAL_GOAL); the label is
    what the clause is about, else the task itself."""
    out = []
    for a, b in _clause_spans(text, u.start, u.end):
        m = _QUAL_GOAL.search(text, a, b)
        if not m or any(a <= q.start < b for q in qs):
            continue
        subject = _clean(re.sub(r"^在|方面$", "", text[a:m.start()]))  # 在推动经济高质量发展方面走在全省前列
        subject = _VERB_LEAD.sub("", subject)  # 全面完成上级下达的各项约束性指标: no subject but the task
        ind = subject or _clean(re.sub(r"^(?:完成|达到)", "", m.group()))
        hedge = _HEDGE.search(text, a, b)
        out.append(Fact(
            kind="target", indicator=ind, indicator_key=indicator_key(ind), measure="qualitative",
            comparator="qualitative", value="", unit="", value_max="", norm_value="", norm_max="", norm_unit="",
            unit_iri=None, year=report_year, hedge=hedge.group(0) if hedge else "", start=m.start(), end=m.end(),
            surface=m.group(), clause_start=a, clause_end=b, sentence=u.index, section=u.section, goal=goal,
        ))
    return out


def _clause_spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The clauses of text[a:b], between ，；。 and the like."""
    out, pos = [], a
    for m in _CLAUSE_DELIM_RX.finditer(text, a, b):
        out.append((pos, m.start()))
        pos = m.end()
    if pos < b:
        out.append((pos, b))
    return out


# ----------------------------------------------------------------------------- entry points
def extract_text(text: str, kind: str = "other", report_year: int | None = None) -> Goals:
    """For plain text (one part kind throughout): tests and quick looks."""
    from kg.segment import sentence_spans

    units = [Unit(a, b, (), kind, i) for i, (a, b) in enumerate(sentence_spans(text))]
    return extract_units(text, units, report_year)


def part_kinds(outline: Outline) -> dict[tuple[int, ...], str]:
    """The kind of each part (review, plan, self, other) as the goal stage reads it. A part the outline
    calls ``other`` is a review when its heading names only years before the report's (关于2014年政府工作
    in a 2015 report without a dated title), and a plan after a plan part with no review between: it
    holds the year's tasks (国务院2020: 二、今年发展主要目标… then 三、加大宏观政策实施力度…), in the order of
    the text; any other is a plan or a review when its words say so clearly (:func:`_tense`)."""
    year = report_year(outline)
    kinds: dict[tuple[int, ...], str] = {}
    after_plan = False
    parts = [s for s in outline.sections if s.level == "part"]
    for s in sorted(parts, key=lambda s: (s.start if s.start is not None else len(outline.report.text), s.path)):
        kind = s.kind
        years = [int(y) for y in _TITLE_YEAR.findall(s.title)]
        if kind == "other" and year and years and max(years) < year:
            kind = "review"
        elif kind == "other" and after_plan:
            kind = "plan"
        elif kind == "other" and s.start is not None and s.end is not None:
            kind = _tense(outline.report.text[s.start:s.end]) or kind
        after_plan = kind == "plan" or after_plan and kind != "review"
        kinds[s.path] = kind
    return kinds


_PERIOD = re.compile(r"“?(十[一二三四五六七八九]五)”?|((?:19|20)\d\d)年")
_PLAN_WORDS = re.compile(r"目标|任务|安排|计划|打算|展望|思路|考虑")


def plan_switches(outline: Outline) -> dict[tuple[int, ...], int]:
    """Review parts whose title names two periods and the second one's plan (“十三五”时期发展成就和“十四五”时期
    主要目标任务): the offset where the text turns to the later period, at the first sentence of the part that
    names it (“十四五”时期是开启……), from which its numbers are targets."""
    kinds = part_kinds(outline)
    text = outline.report.text
    out = {}
    for s in outline.sections:
        if s.level != "part" or kinds.get(s.path) != "review" or s.start is None or s.end is None \
                or not _PLAN_WORDS.search(s.title):
            continue
        periods = [m.group(1) or m.group(2) for m in _PERIOD.finditer(s.title)]
        if len(periods) < 2 or periods[-1] == periods[0]:
            continue
        body_start = s.heading.title_end if s.heading is not None else s.start
        later = next((x.start for x in outline.sentences if body_start <= x.start < s.end and periods[-1] in text[x.start:x.end]),
                     None)
        if later is not None:
            out[s.path] = later
    return out


# What a part's words say about when: the year's tasks (今年, 力争, 要) or what was done (去年, 已, 累计)
_FUTURE_WORDS = re.compile(r"今年|年内|明年|力争|确保|争取|(?<![主重需纲])要|将|计划|预期|目标")
_PAST_WORDS = re.compile(r"去年|过去|已|累计|了|五年来|一年来|取得")


def _tense(body: str) -> str | None:
    """``plan`` when a part's text speaks clearly more of what is to be done than of what was done,
    ``review`` for the reverse, else None (the clause cues decide, number by number)."""
    future, past = len(_FUTURE_WORDS.findall(body)), len(_PAST_WORDS.findall(body))
    if future + past < 5:
        return None
    if future >= 2 * past:
        return "plan"
    if past >= 2 * future:
        return "review"
    return None


def report_year(outline: Outline) -> int | None:
    """The report's year; when its front matter does not say it, the year after the one its review
    part is about (一、2024年工作回顾 -> 2025), else the year its plan part names."""
    if outline.report.year:
        return outline.report.year
    review, plan = [], []
    for s in outline.sections:
        years = [int(y) for y in _TITLE_YEAR.findall(s.title)] if s.level == "part" else []
        if years and s.kind == "review":
            review.append(max(years) + 1)
        elif years and s.kind == "plan":
            plan.append(min(years))
    return max(review) if review else min(plan) if plan else None


_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)年")


def extract_goals(outline: Outline) -> Goals:
    """The goal stage. Reads the outline (sentences, part kinds, section headings) and the
    report text; adds goals, targets and observations, and every other number with the
    reason it is skipped."""
    report = outline.report
    text = report.text
    sections = {s.path: s for s in outline.sections}
    kinds = part_kinds(outline)

    def part_kind(path: tuple[int, ...]) -> str:
        for i in range(len(path), 0, -1):
            if path[:i] in kinds:
                return kinds[path[:i]]
        s = sections.get(path[:1]) if path else None
        return s.kind if s is not None else "other"

    switches = plan_switches(outline)

    def unit_kind(s) -> str:  # a review part that goes on to the next period's plan is a plan from there
        switch = switches.get(s.section[:1]) if s.section else None
        return "plan" if switch is not None and s.start >= switch else part_kind(s.section)

    gloss = outline.glossary_span
    in_glossary = [s for s in outline.sentences if gloss and gloss[0] <= s.start < gloss[1]]
    units = [Unit(s.start, s.end, s.section, unit_kind(s), s.index, s.paragraph) for s in outline.sentences
             if not (gloss and gloss[0] <= s.start < gloss[1])]
    goals: dict[str, Goal] = {}

    def goal_for(u: Unit, in_main: bool) -> str | None:
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
    res = extract_units(text, units, report_year(outline), goal_for, norm)
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
