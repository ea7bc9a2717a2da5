"""Entity mentions in a report's text: companies, projects, industries, places and more.

Reports name things by a handful of writing conventions, and each rule here follows one:

* a head word closes a name and says its type (…项目/…工程 project, …集团/…公司 company,
  …产业 industry, …镇/…街道 place, …研究院/…医院 organization, …产业园/…新城 platform,
  …博览会/…论坛 event); the name runs left over nominal words;
* coordinated lists share one head: “光伏新能源产业推动晶科二期、正泰二期两个百亿项目建成投产”
  names two projects, and each is named after its investor (晶科, 正泰: companies);
* “天通吉成等12家企业” names a company by example (X等N家企业);
* phases (一期/二期) follow the investor's short name;
* named policies, campaigns and brands stand in quotes: 实施“新兴海工程”; the word after the
  quote (行动/活动/计划/品牌 …) confirms it;
* places are the civil registry's names and short names (kg/gazetteer.py), towns of the
  reporting county included: “袁花镇众创共富中心投用”.

Everything runs on one jieba.lcut pass plus dict look-ups and regular expressions.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate, chain, repeat
from typing import Iterable, Optional, Sequence

from kg import gazetteer, tokens
from kg.model import Mention
from kg.segment import sentence_spans  # noqa: F401  (the scripts in tests/gold import it from here)

TYPES = ("company", "project", "industry", "place", "organization", "platform", "initiative", "event")
CORE_TYPES = TYPES[:4]


# --------------------------------------------------------------------------- lexicon of heads
# Head words: generic vocabulary of how reports name things (no names of particular things).
PROJECT_HEADS = ("项目", "工程")
COMPANY_HEADS = ("集团", "有限公司", "股份有限公司", "公司", "股份", "科技", "控股", "实业", "药业", "银行")
_NAME_END = set("、，,。；;：:等和与及（()”")
_COMPANY_NEXT = {"签约", "落户", "投资", "投产", "开工", "建成", "成功", "获批", "入选", "成为", "上市", "项目", "一期", "二期",
                 "三期", "产值", "营收"}
# Company heads that are also ordinary words: the name must open with a name (共前智能环保科技, 北京银行)
_WEAK_COMPANY_HEADS = {"科技", "控股", "实业", "药业", "银行"}
ORG_HEADS = (
    "研究院", "研究所", "实验室", "研究中心", "大学", "学院", "小学", "中学", "幼儿园", "医院",
    "卫生院", "服务中心", "委员会", "法院", "检察院",
    "工商联", "协会", "商会", "联合会", "校区", "学校", "中医院", "疾控中心", "妇幼保健院", "局",
)
# Heads that name a body on their own in a local report (县/市 implied)
_ORG_BARE = {"中医院", "疾控中心", "妇幼保健院"}
PLATFORM_HEADS = (
    "经济开发区", "开发区", "高新区", "产业园", "科技园", "创新园", "工业园", "科技城", "新城", "新区",
    "园区", "示范区", "样板区", "发展区", "先导区", "集聚区", "合作区", "功能区", "试验区", "保税区",
    "自贸区", "创新中心", "科创中心", "综合体", "基地", "服务平台", "小镇", "港区",
)
EVENT_HEADS = ("博览会", "展览会", "交易会", "洽谈会", "发布会", "论坛", "峰会", "大会", "文化节",
               "旅游节", "艺术节", "运动会", "节", "赛")
INDUSTRY_HEADS = ("产业", "行业", "制造业", "服务业")
# Sectors named by a bare word (a general list of economic sectors, GB/T 4754 section names
# in the short form reports use them).
SECTORS = (
    "工业", "农业", "制造业", "服务业", "建筑业", "房地产", "房地产业", "金融业", "数字经济", "现代服务业",
    "新材料", "航空航天", "储能", "新能源", "生物医药", "集成电路", "半导体", "光伏", "文旅", "旅游业",
    "物流业", "商贸", "电子商务", "软件", "人工智能", "高端装备", "装备制造", "纺织", "化工", "钢铁",
    "汽车", "新能源汽车", "智能家居", "生命健康", "现代农业", "畜牧业", "渔业", "林业",
    "光伏发电", "风电", "水电", "核电", "氢能", "第三代半导体", "微电子",
    "文化产业", "体育产业", "批发零售", "住宿餐饮", "数字经济核心产业", "电商", "跨境电商", "商贸流通",
    "海洋经济", "装备制造业", "高技术制造业", "先进制造业", "传统制造业", "航运服务业",
    "纺织服装", "电子信息", "低空经济", "银发经济", "首发经济", "冰雪经济", "平台经济", "会展经济", "夜间经济",
    # GB/T 4754-2017 section and division names that join two sectors with 和/及/、 (one name, not two)
    "软件和信息技术服务业", "软件和信息技术", "信息传输、软件和信息技术服务业", "科学研究和技术服务业",
    "科学研究和技术服务", "互联网和相关服务", "互联网及相关服务业", "批发和零售业", "住宿和餐饮业",
    "交通运输、仓储和邮政业", "租赁和商务服务业", "居民服务、修理和其他服务业", "文化、体育和娱乐业",
    "水利、环境和公共设施管理业", "电力、热力、燃气及水生产和供应业",
)
# Words that end in 业/产业 but are not industries.
NOT_INDUSTRY = {
    "企业", "就业", "创业", "事业", "行业", "产业", "专业", "职业", "作业", "营业", "毕业", "学业", "物业",
    "伟业", "大业", "基业", "实业", "主业", "副业", "失业", "复业", "歇业", "置业", "农业农村",
}
INITIATIVE_AFTER = (
    "行动计划", "专项行动", "行动", "活动", "工程", "计划", "战略", "规划", "品牌", "服务品牌", "改革",
    "攻坚", "机制", "政策", "理念", "精神", "体系", "试点", "培育计划", "系列活动", "风景线", "整治",
)
INITIATIVE_ENDS = ("工程", "行动", "战略", "计划", "规划", "年", "改革", "品牌", "活动")
_TAIL = re.compile(r"[^，,。；;：:、“”（）()！？\n]{0,12}")
_TAIL_HEADS = ("行动", "专项行动", "改革", "体系", "政策", "攻坚", "项目", "计划", "工程", "活动", "机制", "服务", "品牌",
               "基金", "方案", "组合拳", "做法", "举措", "行动计划")
QUOTE_NOT_INITIATIVE_AFTER = ("奖", "称号", "目标", "企业", "标准", "号召", "要求", "指示", "理念", "精神", "应用")
# A lone head word, or a head word behind generic modifiers only, is not a name.
GENERIC_MODIFIERS = {
    "重点", "重大", "产业", "民生", "建设", "招商", "工业", "基础设施", "政府投资", "亿元", "超亿元",
    "百亿", "百亿级", "上市", "十亿", "省", "市", "县", "区", "国家", "省级", "市级",
    "国家级", "全国", "全省", "全市", "各类", "一批", "新", "新建", "在建", "续建", "新开工", "开工", "投资",
    "服务业", "制造业", "有效", "储备", "优质", "大", "好", "示范", "试点", "相关", "上述", "系列", "惠民",
    "实事", "民生实事", "首批", "第一批", "农业", "城建", "交通", "水利", "能源", "社会", "公共",
    "研究", "一号", "规上", "未来", "省级以上", "城区", "区内", "县内", "市内", "省内", "国有", "同类", "民营", "外资", "“", "”", "等", "该", "此", "各", "个", "家", "项",
}
# Words before an industry name that qualify it (规上工业: the industry is 工业)
_INDUSTRY_LEAD = {"规上", "全省", "全市", "全县", "全国", "省", "市", "县", "重点", "主导", "特色", "优势", "各类", "相关",
                  "我省", "我市", "我县", "本地", "当地", "国家", "全球", "集群", "企业", "民营企业", "县域", "区域",
                  "国家级", "省级", "市级", "未来", "百强", "所有", "全部", "高附加值", "现有", "规划", "现代化"}
# An industry name does not run left past these (国家级中小企业特色产业集群: a category, not a name)
_INDUSTRY_STOP = frozenset(_INDUSTRY_LEAD | {"中小企业", "园区", "载体", "跻身", "入选", "形成", "培育", "打造"})
# Words before a name that say it is a designation granted, not a named thing.
DESIGNATION_LEAD = {"省", "国家", "国家级", "省级", "全国", "市级", "全省", "省首批", "首批", "全国首批", "全球"}

REGIONS_FILE = gazetteer.DATA / "regions.tsv"

_NOMINAL = {"n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "ng", "zg", "j", "an", "vn", "eng", "b", "s", "l", "?", "x",
            "a", "t", "i"}
_STOP_WORDS = {
    "的", "和", "与", "及", "以及", "等", "在", "为", "是", "对", "把", "将", "由", "从", "向", "于", "推动", "加快",
    "建设", "完成", "实现", "推进", "实施", "开展", "打造", "举办", "召开", "成立", "启用", "建成", "入驻", "开启",
    "支持", "深化", "发布", "创成", "成为", "获", "获评", "列入", "入选", "入围", "新增", "加强", "提升", "持续",
    "全面", "积极", "大力", "强化", "完善", "落实", "通过", "争创", "创建", "其中", "包括", "新建", "启动",
    "继续", "办好", "做好", "深入", "组建", "投用", "开工", "签约", "达产", "开园", "设立", "引进", "一批",
    "壮大", "发展", "培育", "招引", "争取", "围绕", "聚焦", "锁定", "依托", "加大", "优化", "鼓励", "引导",
    "获批",  # a common verb that jieba's dictionary lacks
    "力争", "布局",  # jieba tags 力争 as a proper name (nz)
}
_PROJECT_INNER = frozenset({"提升", "建设", "改造", "新建", "整治", "综合", "扩建", "改扩建", "迁建", "及", "至", "易地", "高速",
                            "提质", "扩容", "扩面", "加装",
                            "都"})  # 中药|都 (a 'capital' of a trade: 数字中药都…项目), which jieba tags as an adverb
_INDUSTRY_LIST_INNER = frozenset({"及", "零部件"})
_EVENT_INNER = frozenset({"发展", "合作", "创新", "投资", "交流"})
# Capacity inside a project's name: 华能260兆瓦光伏发电
_UNITS = ("兆瓦", "千瓦", "万千瓦", "万吨", "吨级", "万平方米", "千伏", "万套", "万头", "万只")
_PREFIXES = {"泛", "大", "微", "超", "新一代"}
_PUNCT = set("，,。；;：:！!？?、（）()《》“”\"'‘’【】[]—-－…·/\n\r\t 　")
_DIGIT = re.compile(r"^[0-9０-９.％%]+$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# jieba tags of common words: a registry short name with one of these tags (合作 vn, 资源 n) is a word first
_COMMON_TAGS = {"n", "v", "vn", "a", "ad", "an", "b", "d", "c", "p", "r", "m", "q", "u", "f", "t", "l", "i"}
# Full registry names are matched where they end in a level word (…省 …市 …县 …区 …镇 …乡 …街道 …旗);
# names longer than _MAX_NAME characters are rare and not tried.
_PLACE_CHARS = set("滩山湖河江沟村镇乡岛湾岭县市区省")
_STREET = re.compile(r"大街|大道|路|街|桥|小区|社区")
_DIVISION_ENDS = frozenset("省市县区镇乡道旗盟州")
_MAX_NAME = 12
_DIVISION_END_RE = re.compile("[" + "".join(sorted(_DIVISION_ENDS)) + "]")
# 中国特色, 中国式: the country's name inside a fixed political phrase
_NOT_PLACE_AFTER = re.compile(r"特色|式现代化")
# Words after a place that make it a named region (济南都市圈, 长江经济带)
_REGION_AFTER = re.compile(r"都市圈|城市群|经济圈|经济带")
# Registry rows that are development zones run as divisions, not places (they are platforms here)
_NOT_PLACE_NAME = re.compile(r"开发区|园区|产业园|园$|基地|管理区|经济区|工业区|示范区|高新|新区|管委会|农场|林场|牧场|渔场|合作区|度假区")


# Patterns the rules below use inline, compiled once
_LATIN = re.compile(r"[A-Za-z]")
_NORMALISE_DROP = re.compile(r"[“”\"'‘’《》\s　]")
_TAIL_VERB = re.compile(r"(建设|实施|推进)$")
_NUMERIC_QUOTE = re.compile(r"^[0-9·+\-\.]+$")
_NUMERIC_QUOTE_AFTER = re.compile(r"(产业|行动|专项|系列|体系|治理)")
_AWARD = re.compile(r"[奖]|示范|称号")
_EDITION = re.compile(r"第[一二三四五六七八九十百零]+届|首届")
_EDITION_END = re.compile(r"(?:第[一二三四五六七八九十百零]+届|首届)$")
_RURAL = re.compile(r"农村|产业化")
_ROAD_CODE = re.compile(r"[A-Z][0-9]{1,4}")
_NEGATION = re.compile(r"未(?!来)|不")


# --------------------------------------------------------------------------- document helpers
class Doc:
    """Tokens of the text with char → token index, and jieba dictionary tags."""

    def __init__(self, text: str):
        self.text = text
        self.words = words = tokens.lcut(text)
        bounds = list(accumulate(map(len, words), initial=0))
        self.starts = bounds[:-1]
        self.ends = bounds[1:]
        self.tags = tokens.word_tags(words)
        tok_at = list(chain.from_iterable(map(repeat, range(len(words)), map(len, words))))
        tok_at.append(len(words))
        self.tok_at = tok_at

    def left_np(self, hs: int, floor: int, max_chars: int = 18, max_tokens: int = 6,
                allow: frozenset = frozenset(), stop: frozenset = frozenset(), first_any: bool = False,
                trim: bool = True, units: bool = False) -> int:
        """Start of the nominal phrase that ends at ``hs`` (a head word starts there)."""
        if hs <= floor:
            return hs
        i = self.tok_at[hs - 1]
        start = hs
        n = 0
        while i >= 0 and n < max_tokens:
            s = max(self.starts[i], floor)
            w = self.text[s:min(self.ends[i], hs) if self.ends[i] > hs else self.ends[i]]
            if not w or not _PUNCT.isdisjoint(w) or (w in _STOP_WORDS and w not in allow) or w in stop:
                break
            if _DIGIT.match(w) and not (units and start < hs and self.text.startswith(_UNITS, start)):
                break
            tg = self.tags[i] if self.ends[i] <= hs else "?"
            if w in allow or (first_any and n == 0 and len(w) >= 2 and _CJK.match(w)) or (units and w in _UNITS):
                tg = "n"
            if tg not in _NOMINAL and tg not in ("v", "vn") and w not in _PREFIXES and not (tg == "f" and len(w) == 1) \
                    and not (tg == "q" and self.ends[i] == hs):
                break
            if hs - s > max_chars:
                break
            start = s
            n += 1
            if s <= floor:
                break
            i -= 1
        # a phrase does not open with a verb (壮大新材料 → 新材料)
        while trim and start < hs:
            j = self.tok_at[start]
            if self.tags[j] in ("v", "m", "q", "f") and self.ends[j] <= hs and self.starts[j] == start \
                    and self.words[j] not in _PREFIXES:
                start = self.ends[j]
            else:
                break
        return start


_DESIGNATED = re.compile(r"(?:创成|成为|入选|入围|列入|获评|评为|争创|创建|打造|争取列入)“?(?:省级?|国家级?|全国|市级?)?"
                         r"(?:首批|新时代|第[一二三四五]批)?$")
_PROPER_TAGS = {"?", "ns", "nr", "nz", "nrt", "nrfg", "eng", "j", "x"}


def _has_proper(words: Sequence[str]) -> bool:
    """A name needs a word that names something: a name jieba knows (ns/nr/nz), or one it does not know."""
    for w in words:
        if _CJK.search(w):
            if tokens.word_tag(w) in _PROPER_TAGS or _is_place_word(w):
                return True
        elif _LATIN.search(w):
            return True
    return False


def _in_title(text: str, pos: int) -> bool:
    """Is ``pos`` inside a 《…》 title on its line?"""
    a = text.rfind("《", max(0, pos - 40), pos)
    return a >= 0 and text.find("》", a, pos) < 0


def _generic(phrase_words: Iterable[str]) -> bool:
    return all(w in GENERIC_MODIFIERS or _DIGIT.match(w) or not _CJK.search(w) for w in phrase_words)


def _words_between(doc: Doc, s: int, e: int) -> list[str]:
    out = []
    i = doc.tok_at[s] if s < len(doc.text) else len(doc.words)
    while i < len(doc.words) and doc.starts[i] < e:
        out.append(doc.text[max(doc.starts[i], s):min(doc.ends[i], e)])
        i += 1
    return out


def _sentence_of(spans: Sequence[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    return list(spans) if spans else [(0, n)]


_regions: Optional[dict[str, str]] = None


def _load_regions() -> dict[str, str]:
    global _regions
    if _regions is None:
        _regions = {}
        with open(REGIONS_FILE, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                name, _, kind = line.rstrip("\n").partition("\t")
                _regions[name] = kind
    return _regions


def normalise(surface: str) -> str:
    """Merge key: drop quotes, brackets and spaces; unify the hyphens and the middle dot."""
    s = _NORMALISE_DROP.sub("", surface)
    s = s.replace("（", "(").replace("）", ")").replace("－", "-").replace("—", "-")
    return s


# --------------------------------------------------------------------------- the extractor
def extract_mentions(text: str, spans: Sequence[tuple[int, int]] = (), issuer: str = "",
                     doc: Optional[Doc] = None) -> list[Mention]:
    """All entity mentions in ``text``; ``spans`` are sentence spans (names never cross them).

    ``issuer`` (e.g. 海宁市) lets the short names of the issuer's own towns count as places;
    when empty it is guessed from the most frequent county- or city-level name in the text.
    ``doc``: the text's tokens, when the caller has them already.
    """
    if not text:
        return []
    doc = doc or Doc(text)
    sents = _sentence_of(spans, len(text))
    cands: list[Mention] = []
    places = _places(text, doc, issuer)
    cands += places
    for s, e in sents:
        cands += _quoted(text, doc, s, e)
        cands += _headed(text, doc, s, e)
    cands = [m for m in cands if _named(text, doc, m)]
    cands = _resolve(text, doc, cands)
    cands += _propagate_companies(text, doc, cands)
    cands = _dedupe(cands)
    return nest(cands)


# ---- places
def _places(text: str, doc: Doc, issuer: str) -> list[Mention]:
    g = gazetteer.load()
    regions = _load_regions()
    out: list[Mention] = []
    n = len(text)
    # Full registry names end at a division suffix; try every length that ends there.
    full: list[tuple[int, int, str]] = []
    name_lengths = _name_lengths()
    for mend in _DIVISION_END_RE.finditer(text):
        e = mend.end()
        best = None
        for ln in name_lengths[text[e - 1]]:
            if ln > e:
                continue
            cand = text[e - ln:e]
            if cand in g.by_name:
                best = (e - ln, e, cand)
                break
        if best and best[2][-1] == "市" and text[e:e + 1] in "场民值面容貌":
            best = None  # 北京市场: the 市 belongs to 市场
        if best and len(best[2]) <= 4 and best[2][-1] in "镇乡" \
                and not (doc.starts[doc.tok_at[best[0]]] == best[0] and doc.ends[doc.tok_at[best[1] - 1]] == best[1]):
            best = None  # 建设镇 in 高质量建设镇街: a town's name that is two words here
        if best and not _NOT_PLACE_NAME.search(best[2]):
            if len(best[2]) > 2 or (doc.starts[doc.tok_at[best[0]]] == best[0]
                                    and tokens.word_tag(best[2]) not in _COMMON_TAGS):
                full.append(best)
    # keep the longest non-overlapping (scan order)
    full = _longest(full)
    # issuer: the most frequent county/city full name (or given)
    counts: dict[str, int] = {}
    for s, _e, nm in full:
        for d in g.by_name[nm]:
            if d.level in ("county", "city"):
                counts[d.code] = counts.get(d.code, 0) + (3 if s < 300 else 1)
    for s_, _, nm in full:
        for d in g.by_name[nm]:
            if d.level == "province":
                counts[d.code] = counts.get(d.code, 0) + (3 if s_ < 300 else 1)
    home = ""
    if issuer and g.lookup(issuer):
        home = g.lookup(issuer)[0].code
    elif counts:
        home = max(sorted(counts), key=lambda c: counts[c])
    short_ok = _short_names(home)
    taken = [False] * (n + 1)
    for s, e, nm in full:
        d = g.lookup(nm, home)[0]
        if _common_town(g, nm, home):
            continue  # 小城镇, 中心镇: a word; the towns of that name lie in other provinces
        out.append(Mention("place", nm, s, e, nm, code=d.code, rule="gazetteer"))
        for c in range(s, e):
            taken[c] = True
    lengths = _short_lengths(home)
    first = _first_chars(home)
    i = 0
    # positions whose character starts no short name are never hits: visit only those that do
    for nxt in first.finditer(text):
        if nxt.start() < i:
            continue  # inside the last hit
        i = nxt.start()
        hit = None
        if not taken[i] and text[i] in lengths:
            for ln in lengths[text[i]]:
                if ln > n - i:
                    continue
                cand = text[i:i + ln]
                if cand in short_ok and not any(taken[i:i + ln]) and not _NOT_PLACE_AFTER.match(text, i + ln):
                    if _token_aligned(doc, i, i + ln, cand in regions):
                        hit = (i, i + ln, cand)
                        break
        if hit and hit[2] not in regions and _STREET.match(text, hit[1]) \
                and not (short_ok[hit[2]] and short_ok[hit[2]].level in ("province", "city")):
            i = hit[1]  # 沙河大街, 广平大街: a street named after a county, not the county
            continue
        if hit and text[hit[1]:hit[1] + 1] == "村" and short_ok[hit[2]] and short_ok[hit[2]].level == "town":
            hit = (hit[0], hit[1] + 1, hit[2] + "村")  # 乌龙沟村: the village of the township
            short_ok = dict(short_ok)
            short_ok[hit[2]] = None
        if hit:
            s, e, nm = hit
            d = short_ok[nm]
            full_name = d.name if d else nm
            out.append(Mention("place", nm, s, e, full_name, code=d.code if d else "", rule="short"))
            for c in range(s, e):
                taken[c] = True
            i = e
    # regions named after a place: 济南都市圈, 长江经济带, 关中平原城市群 (the place and its region are one name)
    for k, m in enumerate(out):
        r = _REGION_AFTER.match(text, m.end)
        if m.type == "place" and r:
            nm = text[m.start:r.end()]
            out[k] = Mention("place", nm, m.start, r.end(), nm, rule=m.rule)
            for c in range(m.end, r.end()):
                taken[c] = True
    return out


def _common_town(g, nm: str, home: str) -> bool:
    """Is ``nm`` a town's full name made of a common word + 镇/乡 (小城|镇, 中心|镇) with no town of
    that name in the report's province? Such names are words first; a report names its own province's towns."""
    ds = g.by_name.get(nm, ())
    if not ds or any(d.level != "town" for d in ds) or len(home) < 2:
        return False
    stem = nm[:-1]
    if len(stem) < 2 or tokens.word_freq(stem) < _COMMON:
        return False
    return not any(d.code.startswith(home[:2]) for d in ds)


def _short_ok(d: gazetteer.Division, tg: str, home: str) -> bool:
    """May the short name (tag ``tg``) of division ``d`` stand for it in a report of ``home``?"""
    # a county's own towns by short name; a city's counties, but its towns only when jieba knows the short
    # name as a place (白沟) and it is not a platform's head (新城): a city has hundreds of towns, and
    # their short names are often words (联盟, 燕赵)
    town_ok = d.level == "town" and (
        len(home) >= 6 or (tg == "ns" and gazetteer.short_name(d.name) not in PLATFORM_HEADS))
    home_town = len(home) >= 4 and d.code.startswith(home) and (d.level == "county" or town_ok)
    if d.level in ("province", "city"):
        # 阿里地区, 锡林郭勒盟: prefectures that are not cities are written in full
        return (tg not in _COMMON_TAGS or tg == "v") and not d.name.endswith(("地区", "盟", "州"))
    if home_town:
        return tg not in _COMMON_TAGS or tg == "n"
    if d.level == "county" and d.name[-1] in "县市":
        # elsewhere: counties of the home province, or words jieba itself knows as place names
        if home:
            return d.code[:2] == home[:2] and tg in ("ns", "nr", "nz", "?")
        return tg == "ns"
    return False  # districts and towns elsewhere: too many are also common words (城镇, 新城)


@lru_cache(maxsize=64)
def _short_lengths(home: str) -> dict:
    """First character → the lengths of short names that start with it, longest first."""
    out: dict[str, set] = {}
    for nm in _short_names(home):
        out.setdefault(nm[0], set()).add(len(nm))
    return {c: sorted(v, reverse=True) for c, v in out.items()}


@lru_cache(maxsize=1)
def _name_lengths() -> dict:
    """Division suffix character → the lengths (2.._MAX_NAME, longest first) of full names ending with it."""
    out: dict[str, set] = {c: set() for c in _DIVISION_ENDS}
    for nm in gazetteer.load().by_name:
        if nm[-1] in out and 2 <= len(nm) <= _MAX_NAME:
            out[nm[-1]].add(len(nm))
    return {c: sorted(v, reverse=True) for c, v in out.items()}


@lru_cache(maxsize=64)
def _first_chars(home: str) -> re.Pattern:
    """A character class of the first characters of the short names usable for ``home``."""
    chars = sorted(_short_lengths(home))
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]") if chars else re.compile(r"(?!)")


@lru_cache(maxsize=64)
def _short_names(home: str) -> dict:
    """Short name → division (None for regions) usable in a report whose home division is ``home``."""
    g = gazetteer.load()
    cands: dict[str, list] = {}
    for nm, d in _short_candidates(home):
        if _short_ok(d, tokens.word_tag(nm), home):
            cands.setdefault(nm, []).append(d)
    out: dict[str, Optional[gazetteer.Division]] = {}
    for nm, ds in cands.items():
        # the same order as the registry, then the divisions nearest to home first
        ds = sorted(ds, key=lambda d: g.by_short[nm].index(d))
        out[nm] = sorted(ds, key=lambda d: -gazetteer._shared_prefix(d.code, home))[0] if home else ds[0]
    for nm in _load_regions():
        out.setdefault(nm, None)
    return out


def _short_candidates(home: str):
    """(short name, division) pairs that _short_ok may accept for ``home``: provinces and
    prefectures everywhere, counties of the home province (or all, without a home), and the
    counties and towns under a county- or city-level home. Far fewer than the registry."""
    g = gazetteer.load()
    idx = _short_index()
    yield from idx["top"]
    if home:
        yield from idx["county"].get(home[:2], ())
        if len(home) >= 4:
            stack = [home]
            while stack:
                code = stack.pop()
                for d in g.children.get(code, ()):
                    s = gazetteer.short_name(d.name)
                    if s != d.name:
                        yield s, d
                    stack.append(d.code)
    else:
        for lst in idx["county"].values():
            yield from lst


@lru_cache(maxsize=1)
def _short_index() -> dict:
    g = gazetteer.load()
    top: list = []
    county: dict = {}
    for nm, ds in g.by_short.items():
        for d in ds:
            if d.level in ("province", "city"):
                top.append((nm, d))
            elif d.level == "county":
                county.setdefault(d.code[:2], []).append((nm, d))
    return {"top": top, "county": county}


def _token_aligned(doc: Doc, s: int, e: int, lenient: bool) -> bool:
    ts = doc.tok_at[s]
    if doc.starts[ts] != s:
        # a name may be glued to a following word by jieba (海宁段) but not preceded by one
        return lenient and len(doc.words[ts]) <= 2
    te = doc.tok_at[e - 1]
    if doc.ends[te] == e:
        return True
    # 海宁段, 杭州人: the word jieba made goes on by one suffix-like character at most
    return doc.ends[te] == e + 1 and doc.text[e] in "段籍人方侧片区域站港县市省镇乡村" or lenient


def _longest(items: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    items = sorted(items, key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[tuple[int, int, str]] = []
    end = -1
    for it in items:
        if it[0] >= end:
            out.append(it)
            end = it[1]
        elif it[1] - it[0] > out[-1][1] - out[-1][0] and it[0] < out[-1][0]:
            out[-1] = it
            end = it[1]
    return out


# ---- quoted names
_QUOTE = re.compile(r"“([^“”\n]{1,24})”")


def _tail(text: str, k: int) -> str:
    """The phrase from ``k`` up to the next punctuation (at most 12 characters)."""
    m = _TAIL.match(text, k)
    return m.group() if m else ""


def _quoted(text: str, doc: Doc, s: int, e: int) -> list[Mention]:
    out = []
    for m in _QUOTE.finditer(text, s, e):
        inner = m.group(1)
        qs, qe = m.start(1), m.end(1)
        after = text[m.end():m.end() + 6]
        # “A”“B”等活动: look past further quotes for the head word
        k = m.end()
        while k < e and text[k] == "“":
            j = text.find("”", k)
            if j < 0:
                break
            k = j + 1
        after = text[k:k + 6]
        if after.startswith("等"):
            after = after[1:]
        # the phrase after the quote up to the next punctuation: “高分夺鼎”十大专项行动, “一老一小”公共服务体系
        tail = _tail(text, k)
        if tail.startswith("和") and text.startswith("“", k + 1):
            j = text.find("”", k + 2)
            if j > 0:
                tail = _tail(text, j + 1)
        if after.startswith(QUOTE_NOT_INITIATIVE_AFTER) and not inner.endswith(INITIATIVE_ENDS):
            continue
        tail_core = _TAIL_VERB.sub("", tail)
        if _NUMERIC_QUOTE.match(inner) and not _NUMERIC_QUOTE_AFTER.match(after) \
                and not tail_core.endswith(_TAIL_HEADS):
            continue
        if after.startswith(("大会", "论坛", "峰会", "博览会")):
            continue  # the event rule takes the whole name
        is_init = inner.endswith(INITIATIVE_ENDS) or after.startswith(INITIATIVE_AFTER) \
            or (tail_core.endswith(_TAIL_HEADS) and not _AWARD.search(tail))
        if "，" in inner or "," in inner:
            continue  # quoted speech or slogans
        if not is_init:
            continue
        parts = inner.split("、")
        if len(parts) > 1 and all(p.endswith(INITIATIVE_ENDS) for p in parts):
            pos = qs
            for p in parts:
                out.append(Mention("initiative", p, pos, pos + len(p), normalise(p), rule="quote-list"))
                pos += len(p) + 1
        elif len(parts) > 1:
            continue
        else:
            out.append(Mention("initiative", inner, qs, qe, normalise(inner), rule="quote"))
    return out


# ---- names closed by a head word
def _head_regex() -> re.Pattern:
    heads = []
    for t, hs in (("project", PROJECT_HEADS), ("company", COMPANY_HEADS), ("organization", ORG_HEADS),
                  ("platform", PLATFORM_HEADS), ("event", EVENT_HEADS), ("industry", INDUSTRY_HEADS)):
        for h in hs:
            heads.append((h, t))
    heads.sort(key=lambda x: -len(x[0]))
    _HEAD_TYPE.update({h: t for h, t in heads})
    return re.compile("|".join(re.escape(h) for h, _ in heads))


_HEAD_TYPE: dict[str, str] = {}
_HEADS = _head_regex()
_PHASE = re.compile(r"[一二三四五六七八九十]期")
_SECTION = re.compile(r"([\u4e00-\u9fff]{2,3})段")
_GOV = re.compile(
    r"(?:中共)?([\u4e00-\u9fff]{2,6}?)?(?:[省市县区镇]委|[省市县区镇](?:人民)?政府|[省市县区]人大(?:常委会)?"
    r"|[省市县区]政协|[省市县区](?:发改委|经信局|财政局|教育局|商务局|卫健委|住建局|自然资源局|生态环境局))"
)
# National bodies named without a place, and the people's congress and CPPCC as readers meet them.
_BODIES = re.compile(r"党中央|国务院|中央(?=[、，,和及]|各项|决策|部署|财政|预算|投资)|全国人大|(?<![省市县区])人大(?=及其|常委会|[、，,和])|(?<![省市县区])政协(?=[、，,和]|民主监督)"
                     r"|工商联")


def _headed(text: str, doc: Doc, s: int, e: int) -> list[Mention]:
    out: list[Mention] = []
    seg = text[s:e]
    gate = {pat: g.search(seg) is not None for pat, g in _GATES.items()}
    for m in _HEADS.finditer(text, s, e):
        h = m.group()
        t = _HEAD_TYPE[h]
        hs, he = m.start(), m.end()
        # the head must end a word: 产业 inside 产业园 is the platform's head, not an industry
        if t == "industry":
            if text[he:he + 1] in ("园", "链", "化", "集", "基", "大", "体", "平", "项", "工", "先", "联", "载",
                                   "空", "振", "政", "协", "招", "帮", "转", "布", "升", "创", "技", "用",
                                   "结",  # 产业结构: the structure of industry, not a named one
                                   "类"):  # 衔接资金产业类项目: a class of projects
                if text[he:he + 2] not in ("集群",):
                    continue
        if t == "event" and h in ("节", "赛"):
            if not _EDITION.search(text[max(s, hs - 12):hs]):
                continue
        j = doc.tok_at[hs]
        if doc.starts[j] < hs and doc.ends[j] == he and len(h) == 2 and doc.tags[j] in _COMMON_TAGS \
                and t in ("platform", "organization"):
            continue  # 宅基地 is a word, not a 基地
        if t == "project":
            start = doc.left_np(hs, s, max_chars=20, max_tokens=8, allow=_PROJECT_INNER, units=True)
        elif t == "event":
            start = doc.left_np(hs, s, allow=_EVENT_INNER)
        elif t == "industry":
            start = doc.left_np(hs, s, max_tokens=4, stop=_INDUSTRY_STOP)
        elif t == "company" and h not in _WEAK_COMPANY_HEADS:
            start = doc.left_np(hs, s, first_any=True)
        else:
            start = doc.left_np(hs, s)
        # the name may start with a numbered edition or G-road code
        pre = _EDITION_END.search(text[max(s, start - 8):start])
        if pre and t == "event":
            start -= len(pre.group())
        raw_start = start
        if start > s and text[start - 1].isdigit() and t in ("project", "platform", "organization", "company"):
            continue  # 2205项省重点技改项目: a counted category, not a name
        words = _words_between(doc, start, hs)
        if t == "industry":  # 中国纺织产业: the place says where, the industry is 纺织产业
            while words and _is_place_word(words[0]):
                start += len(words[0])
                words = words[1:]
        # drop leading generic modifiers (新开工超亿元产业项目 → nothing left)
        strip = _INDUSTRY_LEAD if t == "industry" else GENERIC_MODIFIERS
        while words and t != "organization" and (
                words[0] in strip or words[0] in _STOP_WORDS or (t == "project" and words[0] in _LEAD_VERBS)
                or (t == "industry" and len(words) > 1 and (
                    tokens.word_tag(words[0]) in ("i", "d", "ad", "a", "t") or words[0].startswith("做")
                    or _DIGIT.match(words[0])))):
            # 坚定|矿业产业, 做优|中医药产业, 2022|年底|…: the clause's opening words (idioms, adverbs,
            # adjectives, times, 做X verbs) are not the industry's name
            start += len(words[0])
            words = words[1:]
        if t == "industry":
            # an industry's name is nouns and production activities only: it starts after the last
            # place, verb, adverb, time, number or function word before the head (市场化运行安国|中医药产业)
            k = len(words)
            while k > 0 and not _breaks_industry(words[k - 1]):
                k -= 1
            if words and k == len(words):
                continue  # 坚定不移|产业: nothing of a name is left
            while k < len(words) - 1 and tokens.word_tag(words[k]) == "?" \
                    and _SECTOR_RE.match("".join(words[k + 1:])):
                k += 1  # 抓实|农业产业: an unknown word before a known sector opens the clause
            start += sum(len(w) for w in words[:k])
            words = words[k:]
        if t == "industry" and words:
            for sm in _SECTOR_RE.finditer(text, raw_start, hs):
                if sm.start() < start < sm.end():
                    start = sm.start()  # 特色|新|材料产业: the name does not start inside a sector's name (新材料)
                    words = _words_between(doc, start, hs)
                    break
        if t == "industry" and words and words[-1] in _INDUSTRY_LEAD and h in ("产业", "行业"):
            continue  # 现有产业, 培强现代化产业, 规划产业: a qualifier alone does not name an industry
        if t == "organization":
            # 市中心医院, 市人民医院: a bare 市/省/县 is part of the body's name
            while words and words[0] in _STOP_WORDS:
                start += len(words[0])
                words = words[1:]
        if t in ("platform", "organization") and _DESIGNATED.search(text[max(s, raw_start - 10):raw_start]):
            continue
        raw_first = _words_between(doc, raw_start, hs)[:1]
        if t in ("platform", "organization") and raw_first and raw_first[0] in DESIGNATION_LEAD:
            continue  # 省技术创新中心, 国家传统制造业改造升级示范区: a kind of body or zone, not a name
        if not words:
            if t == "organization" and h in _ORG_BARE:
                out.append(Mention(t, h, hs, he, h, rule="head"))
            if t == "platform" and len(h) >= 4:
                out.append(Mention(t, h, hs, he, h, rule="head"))
            if t == "industry" and h in ("制造业", "服务业"):
                out.append(Mention("industry", h, hs, he, h, rule="sector"))
            continue
        if _generic(words) and t != "industry" and not (t == "organization" and text[start] in "省市县区镇"):
            continue  # 市人民医院, 县医院: the level character names the body
        if t in ("platform", "organization") and _DESIGNATED.search(text[max(s, start - 10):start]):
            continue
        if t == "organization" and not (_has_proper(words) or text[start] in "省市县区镇"):
            continue
        if t == "project" and _in_title(text, hs):
            continue  # 《…项目招商引资奖励办法》: a document's title
        if t == "project" and (not _has_proper(words) or words[-1] in ("重大", "重点")):
            continue  # 科技创新工程, 农村公路道路修复工程: a kind of programme or works, not a name
        if t == "project" and (text[he:he + 1] in ("县", "库") or text[he:he + 2] in ("评估", "清单", "名单")
                               or text.startswith(("项目县", "项目库"), he)):
            continue  # 项目县, 项目库: a designation
        if t == "project" and _project_category(text, doc, s, raw_start, start, he, h, words):
            continue
        if t == "project":
            # 汇鑫路南延和北湖路北延工程: two named works joined by 和/及/与 are two projects
            for c in range(hs - 1, start, -1):
                if text[c] in "和及与" and c - start >= 3 and _has_specific(text, doc, start, c) \
                        and _has_specific(text, doc, c + 1, hs):
                    left = text[start:c]
                    out.append(Mention("project", left, start, c, normalise(left), rule="head"))
                    start = c + 1
                    break
        surface = text[start:he]
        if t == "industry":
            if surface in NOT_INDUSTRY or words[-1] in ("新",):
                continue
            if words[-1] in ("行业", "产业") and h in ("产业", "行业"):
                continue  # 绿色建材行业产业集群: the industry is 绿色建材行业
            if h == "行业" and (len(surface) <= 2 or surface[-3] == "业"):
                continue  # 服务业行业: the industry is 服务业
        if t == "project" and h == "工程" and len(surface) <= 4:
            continue
        if t == "project" and h == "项目" and hs - start < 3:
            continue  # 入统项目, 储备项目: a two-character category, not a name
        if t == "company" and h in _WEAK_COMPANY_HEADS and not (
                (text[he:he + 1] in _NAME_END and text[he:he + 1] not in "。；;") or text[he:he + 2] in _COMPANY_NEXT):
            continue  # 科技创新, 莲池区县域科技: the head word goes on into another word
        if t == "company" and text[hs - 1:hs] in ("子", "分"):
            continue  # 子公司, 分公司
        if t == "company" and h in _WEAK_COMPANY_HEADS:
            w0 = words[0]
            if not (tokens.word_tag(w0) in ("?", "nz", "nrt") or _is_place_word(w0)) or len(words) < 1:
                continue
        if h == "局" and (doc.starts[doc.tok_at[hs]] != hs or len(words) < 2):
            continue  # 格局, 大局, 布局: not a bureau
        out.append(Mention(t, surface, start, he, normalise(surface), rule="head"))
    # phases: 晶科二期 — investor name + phase, a project
    for m in (_PHASE.finditer(text, s, e) if gate[_PHASE] else ()):
        start = doc.left_np(m.start(), s, max_chars=8, max_tokens=2)
        if _WORKS_NOUN.search(text, start, m.start()):
            # 杭州萧山国际机场四期: a facility's phase is named with the whole facility's name
            start = doc.left_np(m.start(), s, max_chars=12, max_tokens=5)
        words = _words_between(doc, start, m.start())
        # generic words go, but a single 新 glued to a name is the name's (新国展二期)
        words = [w for k, w in enumerate(words) if w not in GENERIC_MODIFIERS
                 or (w == "新" and k == 0 and len(words) > 1 and words[1] not in GENERIC_MODIFIERS)]
        if not words:
            continue
        start = m.start() - sum(len(w) for w in words)
        end = m.end()
        sec = _SECTION.match(text, end)
        if sec and _is_place_word(sec.group(1)):
            end = sec.end()  # 荣乌二期保定段: the phase's section in a place
        if text.startswith("项目", end):
            end += 2
        surface = text[start:end]
        out.append(Mention("project", surface, start, end, normalise(surface), rule="phase"))
    # government bodies
    g = gazetteer.load()
    for m in (_GOV.finditer(text, s, e) if gate[_GOV] else ()):
        st = m.start(1) if m.group(1) else m.end(1) if m.start(1) >= 0 else m.start()
        if m.group(1):
            # the longest tail of the prefix that is a place with the level character (海宁 + 市)
            st = m.end(1)
            for k in range(m.start(1), m.end(1) - 1):
                if text[k:m.end(1) + 1] in g.by_name:
                    st = k
                    break
            if st == m.end(1) and text[st - 2:st] != "中共" and _CJK.match(text[st - 1]) \
                    and text[st - 1] in "数法今治府":
                continue  # 数字政府, 法治政府, 今年政府: not a body
        else:
            st = m.start()
        if text[max(0, st - 2):st] == "中共":
            st -= 2
        sub = text[st:m.end()]
        out.append(Mention("organization", sub, st, m.end(), normalise(sub), rule="gov"))
    for m in (_BODIES.finditer(text, s, e) if gate[_BODIES] else ()):
        out.append(Mention("organization", m.group(), m.start(), m.end(), m.group(), rule="gov"))
    # bare sectors
    for m in _SECTOR_RE.finditer(text, s, e):
        w = m.group()
        nxt = text[m.end():m.end() + 1]
        if nxt in ("园", "局", "部", "厅", "化", "领", "区"):
            continue
        if doc.starts[doc.tok_at[m.start()]] != m.start():
            continue  # 渔业 inside 农林牧渔业
        if doc.ends[doc.tok_at[m.end() - 1]] != m.end() and not _SECTOR_WORD_END.match(text, m.end()):
            continue  # 化工 inside 常态化|工作: the word goes on past the sector's name
        if _GOODS.match(text, m.end()):
            continue  # 家电、汽车等大宗商品: goods bought, not a sector
        if w in ("工业", "农业") and not (_SECTOR_CONTEXT.match(text, m.end()) or nxt in _NAME_END or nxt == "“"):
            continue  # 工业设计, 工业用地, 农业职业经理人: the sector word qualifies another noun
        if _RURAL.match(text[m.end():m.end() + 3]):
            continue  # 农业农村 (agriculture and rural affairs), 农业产业化 (industrialisation)
        if _SECTOR_AS_MODIFIER.match(text, m.end()) or (w[-1] != "业" and _TECH_AS_MODIFIER.match(text, m.end())):
            continue  # 氢能车辆, 核电技术, 汽车保有量, 文旅之城: the word names a technology or a good here
        a = m.start()
        headed = text.startswith(("产业", "行业"), m.end())  # the head rule names X产业 and its qualifiers
        for mod in _SECTOR_QUALIFIERS:
            if not headed and text.startswith(mod, a - len(mod)) and a - len(mod) >= s:
                a -= len(mod)  # 新型储能, 智能网联汽车, 特色现代农业, 直播电商: the qualifier is part of the name
                break
        if a == m.start() and not headed and _COMPOUND_END.match(text, m.end()):
            # 生态循环|农业、 现代|物流业，: the sector's name is the whole compound where it ends a noun phrase
            a = _sector_compound_start(text, doc, s, a)
        if not headed and (_TOWN_DESIGNATION.match(text, m.end())
                           or (text[a - 2:a] == "一批" and _COUNTY_DESIGNATION.match(text, m.end()))):
            continue  # 农业大镇, 商贸强镇: a kind of town, not the sector
        if not headed and _glued_modifier(text, doc, s, a) and not _EVENT_AFTER.match(text, m.end()):
            continue  # 都市|农业, 分布式|光伏开发: the name's start is uncertain, so no mention rather than a cut one
        out.append(Mention("industry", text[a:m.end()], a, m.end(), text[a:m.end()], rule="sector"))
    # what was started or finished (紫薇快速路、双漾里未来社区开工) is a project
    for m in (_DONE.finditer(text, s, e) if gate[_DONE] else ()):
        end = m.start()
        while end > s:
            while True:  # drop the adverbs and verbs between the name and 开工
                j = doc.tok_at[end - 1] if end > s else 0
                w = text[max(doc.starts[j], s):end]
                if end > s and (w in _DONE_TRIM or _DONE.fullmatch(w) or doc.tags[j] in ("d", "ad")) \
                        and doc.starts[j] >= s:
                    end = doc.starts[j]
                else:
                    break
            st = doc.left_np(end, s, max_chars=16, max_tokens=8, allow=_PROJECT_INNER)
            raw_st = st
            words = _words_between(doc, st, end)
            if words and st > s and text[st - 1].isdigit():
                st += len(words[0])  # 30万吨级条帚门航道: the capacity is not part of the name
                words = words[1:]
            while words and (words[0] in _STOP_WORDS or words[0] in GENERIC_MODIFIERS):
                st += len(words[0])
                words = words[1:]
            if not words or st >= end:
                break
            code = _ROAD_CODE.match(text[st - 4:st] if st >= 4 else "")
            if code and text[st - 4:st] == code.group():
                st -= 4
                words = [code.group()] + words
            if _has_proper(words) and len(words) >= 2 and not text[st:end].endswith(_DONE_NOT_PROJECT):
                out.append(Mention("project", text[st:end], st, end, normalise(text[st:end]), rule="done"))
            if text[raw_st - 1:raw_st] == "、":
                end = raw_st - 1
                continue
            break
    # coordinated lists under one head: X、Y和Z等产业 / X、Y等项目
    for m in (_LIST_HEAD.finditer(text, s, e) if gate[_LIST_HEAD] else ()):
        out += _coordinated(text, doc, s, m)
    for m in (_COUNT_LIST.finditer(text, s, e) if gate[_COUNT_LIST] else ()):
        out += _coordinated(text, doc, s, m)
    return out


_DONE = re.compile(r"(?:全线开工|开工建设|建成投产|建设完成|(?<![新未])开工|(?<!共)建成(?!启用)|投产|完工|竣工|投用|达产|开园|通车"
                   r"|落地建设|加快建设|加快推进|加快实施|启动运营|并网发电|主路贯通|封顶)(?!条件)")
# Words between a name and the verb of 开工/建成: 综合养老服务中心主体完工, 裘皮城支线改建基本完工
_DONE_TRIM = {"主体", "基本", "全面", "顺利", "正式", "全线", "改建", "建设", "改造", "提升", "已经", "相继", "先后", "均",
              "陆续", "工程", "项目"}
# What is built up but is not a works: a province or city (高水平创新型省份加快建设), a platform, a
# system, a centre (a body or a platform: 众创共富中心投用)
_DONE_NOT_PROJECT = ("省份", "城市", "平台", "体系", "机制", "制度", "模式", "格局", "环境", "市场", "中心")
# A sector word followed by these is an attribute of a thing, not the sector
_SECTOR_AS_MODIFIER = re.compile(r"车辆|技术|装备|设备|并网|装机|电站|保有量|之城|之都|平台|活动|资源|消费|赋能|商用|[+＋]"
                                 r"|车船|基础设施|人才|航空器|创新平台")  # 新能源车船, 氢能基础设施, 电商人才
# A sector word may be glued by jieba to a following word that starts a new one (工业增加值 → 工业增|加值)
_SECTOR_WORD_END = re.compile(r"增加值|产值|企业|产业|经济|发展|投资|项目|领域|集群")
# …等大宗商品/消费 after a list: the items are goods
_GOODS = re.compile(r"(?:、[\u4e00-\u9fff]{1,6})*等?(?:大宗(?:商品|消费)|消费品)")
# A technology or product word (光伏, 储能, 新能源: not an …业) before these qualifies a kind of project
# 新型储能、光热发电项目 / 海上风电、核电等重大项目: listed kinds
_TECH_AS_MODIFIER = re.compile(r"(?:、[\u4e00-\u9fff]{1,8}?)*(?:等(?:重点|重大)?)?(?:项目|示范)")
# Qualifiers that make a sector's name (新型储能, 智能网联汽车): general vocabulary of sector names
_SECTOR_QUALIFIERS = ("智能网联", "新型", "特色", "直播", "先进")
# What follows 工业/农业 when the sentence is about the sector itself
_SECTOR_CONTEXT = re.compile(r"增加值|总产值|产值|经济|投资|技改|企业|生产|发展|运行|领域|基础|增效|强|大|现代化|结构|项目|产业|"
                             r"转型|效益|质效|稳|跃升|和|及|等")
# 桃木疙瘩屠宰加工、直隶黑猪养殖基地、小白羽肉鸡育种3个项目: items before a count of projects
_COUNT_LIST = re.compile(r"(?<=[^0-9.，,。；;、\s])(?:[0-9]+|[两三四五六七八九十])个[\u4e00-\u9fff]{0,4}?(项目)")
_SECTOR_RE = re.compile("|".join(sorted(map(re.escape, SECTORS), key=len, reverse=True)))
_LIST_HEAD = re.compile(r"(?:等(?:[0-9一二三四五六七八九十两]+[个项家])?|等[^，,。；、“”]{0,8}?(?=(?:制造业|产业)(?:集群)?)"
                        r"|等(?:重点|重大)[\u4e00-\u9fff]{0,6}?(?=项目)"  # X、Y等重点产业项目 / 等重大项目: a list of projects
                        r"|(?<=[^0-9])[两三四五六七八九十]个(?=产业集群))(产业(?!项目)|项目|企业|行业|制造业)(?![化园链带])")


# Gates: every match of the pattern contains one of these strings, so a sentence without any is not
# scanned (a substring search is 5-10 times cheaper than these patterns, whose look-arounds and lazy
# groups defeat the regex engine's prefix scan). tests/test_entities_gates.py checks them.
_GATES: dict[re.Pattern, re.Pattern] = {
    _PHASE: re.compile("期"),
    _GOV: re.compile("委|政府|人大|政协|局"),  # every body _GOV names ends in one of these
    _BODIES: re.compile("中央|国务院|人大|政协|工商联"),
    _DONE: re.compile("开工|建成|建设|投产|完工|竣工|投用|达产|开园|通车|加快|启动运营|并网发电|贯通|封顶"),
    _LIST_HEAD: re.compile("[等个]"),
    _COUNT_LIST: re.compile("个"),
}


_ALNUM_BEFORE = re.compile(r"[0-9A-Za-z]+$")


def _coordinated(text: str, doc: Doc, s: int, m: re.Match) -> list[Mention]:
    head = m.group(1)
    t = {"产业": "industry", "行业": "industry", "项目": "project", "企业": "company", "制造业": "industry"}[head]
    # walk left over items separated by 、 和 及
    end = m.start()
    if text[end - 1:end] == "等" and end - 1 > s:
        end -= 1  # X、Y等3个新能源项目
    out = []
    while end > s:
        if t == "industry":
            st = doc.left_np(end, s, max_chars=16, max_tokens=6, allow=_INDUSTRY_LIST_INNER, trim=False)
        else:
            st = doc.left_np(end, s, max_chars=18, max_tokens=8, units=True)
            num = _ALNUM_BEFORE.search(text, s, st) if s < st < end else None
            if num:
                # 轨道交通101线、22号线等重大项目: a line's number belongs to its name
                st = num.start()
                st = doc.left_np(st, s, max_chars=18 - (end - st), max_tokens=4) if st > s else st
            if st - 1 > s and text[st - 1] == "至":
                # 诸暨至嵊州高速公路: a road from one place to another is named by both
                st0 = doc.left_np(st - 1, s, max_chars=6, max_tokens=2)
                if st0 < st - 1 and _is_place_word(text[st0:st - 1]):
                    st = st0
        if st >= end:
            break
        raw = st
        # items: strip a leading verb-like generic word
        words = _words_between(doc, st, end)
        generic = _INDUSTRY_LEAD if t == "industry" else GENERIC_MODIFIERS
        while words and (words[0] in _STOP_WORDS or words[0] in generic
                         or (t == "industry" and (words[0] in _LIST_LEAD_VERBS
                                                  or (len(words[0]) == 1 and tokens.word_tag(words[0]) == "v")))
                         # a place says where (杭州|新材料); a word jieba merely tags ns is no place and may
                         # be the item's own (临港制造, 海洋清洁能源)
                         or (t == "industry" and _is_place_word(words[0]))):
            st += len(words[0])
            words = words[1:]
        if not words:
            break
        surface = text[st:end]
        if t == "company" and surface in COMPANY_HEADS:
            break  # 奥克特集团: the name was not found, only its head
        if t == "project" and surface.endswith(_FUNDING_END):
            break
        if t == "project" and _SECTOR_RE.fullmatch(normalise(surface)):
            break  # 海上风电、核电等重大项目: a sector or technology names a kind of project, not one
        if t == "project" and words[-1] in _PROGRAMME_LAST:
            break  # “雏鹰计划”青年拔尖人才等项目遴选: a programme's kind, not a project
        # 和/及 glued to the previous item's start: split on them
        out.append(Mention(t, surface, st, end, normalise(surface), rule="list"))
        sep = text[raw - 1:raw] if raw > s else ""
        if sep == "、":
            end = raw - 1
            continue
        if sep in ("和", "及") and raw - 1 > s:
            end = raw - 1
            continue
        break
    return out


# Activities that name a sector (GB/T 4754-2017 uses them in its class names: 种植, 养殖, 制造, 加工 …);
# other verbs before …产业 open a clause (运行, 助推, 坚定).
_PRODUCTION_VERBS = frozenset({"种植", "养殖", "制造", "加工", "生产", "开采", "采选", "冶炼", "供应", "服务", "设计",
                               "修理", "批发", "零售", "运输", "仓储", "育种", "研发", "检测", "检验", "认证", "建筑",
                               "装配", "印刷", "造纸", "纺织", "酿造", "屠宰", "饲养", "培育", "开发", "物流", "种养"})
# Qualifiers of a sector's kind (战略性新兴产业, 超低能耗建筑产业) that jieba tags as verbs or times
_INDUSTRY_QUALIFIERS = frozenset({"新兴", "战略性", "现代", "传统", "超", "泛", "新一代"})
_CN_COUNT = re.compile(r"^[一二三四五六七八九十两几百千万]+[大个项类批家]$")
_INDUSTRY_BREAK_TAGS = frozenset({"l", "v", "d", "ad", "t", "m", "mq", "q", "p", "c", "u", "uj", "ul", "r", "i", "f", "vd"})


def _breaks_industry(w: str) -> bool:
    """May ``w`` not stand inside an industry's name (the name starts after it)?"""
    if w in _PRODUCTION_VERBS or w in _INDUSTRY_LEAD or w in _SECTOR_QUALIFIERS or w in _PREFIXES \
            or w in _INDUSTRY_QUALIFIERS:
        return False
    if not _CJK.search(w) or _DIGIT.match(w) or _CN_COUNT.match(w):
        return True  # 休闲农业|五大|产业: a count
    return _is_place_word(w) or tokens.word_tag(w) in _INDUSTRY_BREAK_TAGS


# A sector word glued to a word of these kinds that is neither a known qualifier nor taken into a compound
# (都市|农业 before 发展, 分布式|光伏 before 开发, 智慧|农业 where jieba reads 智慧 as a name): where the name
# starts is uncertain, and a cut name is wrong under exact matching, so no mention is made.
_GLUED_TAGS = frozenset({"n", "an", "a", "t", "nr", "ns", "nt", "nz", "vn"})  # not "?": 甬舟 (a place's short name)
# Clause verbs that jieba's dictionary tags as nouns or names (充分发挥|第三代半导体峰会, 大力发展|数字经济), and
# words that say where, as a place does (乡村|文旅融合, 农村|直播电商): the sector's name starts after them
_NOT_GLUED = frozenset({"大力发展", "充分发挥", "规范", "面向", "乡村", "农村", "城乡", "城市"})
_EVENT_AFTER = re.compile(r"[\u4e00-\u9fff]{0,3}?(?:" + "|".join(h for h in EVENT_HEADS if len(h) > 1) + ")")
# X大镇/X强镇/X重镇/X名镇 (and X强县 after 一批): a kind of town or county designated, not the sector
_TOWN_DESIGNATION = re.compile(r"[大强重名]镇")
_COUNTY_DESIGNATION = re.compile(r"[大强重名][县市区]")


def _glued_modifier(text: str, doc: Doc, s: int, a: int) -> bool:
    if a <= s or not _CJK.match(text[a - 1]):
        return False
    j = doc.tok_at[a - 1]
    if doc.starts[j] < s:
        return False
    w = doc.words[j]
    if doc.ends[j] != a or len(w) < 2:
        return False  # a one-character word before the sector is a verb or a particle (稳|工业, 的)
    if (w in _INDUSTRY_LEAD or w in _INDUSTRY_QUALIFIERS or w in _SECTOR_QUALIFIERS or w in _STOP_WORDS
            or w in _LIST_LEAD_VERBS or w in _PRODUCTION_VERBS or w in _NOT_GLUED or _SECTOR_RE.fullmatch(w)
            or _is_place_word(w)):
        return False
    return tokens.word_tag(w) in _GLUED_TAGS


_COMPOUND_TAGS = frozenset({"n", "vn", "an", "b"})
# A compound is taken only before a list separator, a clause end or a word of the sector's own (发展, 产业 …):
# before other nouns the words in front are the clause's (面向|制造业的, 强势规范|房地产市场, 屋顶分布式|光伏开发)
_COMPOUND_END = re.compile(r"[、，,。；;：:和及与等）)]|$|发展|产业|经济|增加值|产值|集群")


def _sector_compound_start(text: str, doc: Doc, s: int, a: int) -> int:
    """Start of the noun compound a sector word ends (生态循环|农业, 文化|旅游业, 现代|物流业)."""
    start, k = a, 0
    while a > s and k < 2:
        j = doc.tok_at[a - 1]
        if doc.starts[j] < s:
            break
        w = doc.words[j]
        if not (w in _INDUSTRY_QUALIFIERS or (len(w) >= 2 and tokens.word_tag(w) in _COMPOUND_TAGS)) \
                or w in _STOP_WORDS or w in _INDUSTRY_LEAD or w in _LIST_LEAD_VERBS or _is_place_word(w):
            break
        a = doc.starts[j]
        k += 1
    if a != start and a > s:
        p = doc.words[doc.tok_at[a - 1]]
        if len(p) == 1 and _CJK.match(p) and tokens.word_tag(p) in ("a", "n", "ag", "ng"):
            return start  # 高|能级生物医药: the compound does not start at a word's edge
    return a


# Verbs that open a list of industries (发展新材料、生物医药等产业), and one-character verbs (环杭州湾…);
# other verbs may be part of a name (合成生物)
_LIST_LEAD_VERBS = {"发展", "培育", "壮大", "打造", "推动", "支持", "聚焦", "做强", "做大", "做优", "加快", "建设",
                    "引进", "招引", "提升", "改造", "升级", "抓好", "推进", "深耕", "拓展", "巩固", "谋划", "实施"}
# What a list of projects may name that is money or a policy, not a project (“两重”、“两新”、专项债等项目)
_FUNDING_END = ("债", "国债", "资金", "基金", "政策", "贷款")


def _is_place_word(w: str) -> bool:
    g = gazetteer.load()
    return w in g.by_name or w in _load_regions() or any(d.level != "town" for d in g.by_short.get(w, ()))


# Verbs that open a clause before a project's name (力争储备项目, 服务长城汽车俄罗斯项目)
_LEAD_VERBS = {"力争", "服务", "抓好", "谋划", "保障", "确保", "争取"}
# A count before or after a head word makes it a category (23个灾后恢复重建项目, 招大引强项目9个,
# 分布式光伏项目173.3兆瓦), as does a level inside it (工信领域国家级创新人才工程) or a negation (应竣未竣项目).
_COUNT_BEFORE = re.compile(r"(?:[0-9０-９两三四五六七八九十百千万]+(?:个|项|批|类)|一批|一些|多个|若干|各类)$")
_COUNT_AFTER = re.compile(r"(?:[0-9０-９][0-9０-９.]*|[一二三四五六七八九十两百千万]+)(?:个|项|人|家|批|类|处|兆瓦|千瓦|万千瓦|吨|万吨|公里)")
_PROGRAMME_LAST = {"提升", "提质", "培育", "促进", "振兴", "人才", "行动", "计划", "创新", "基础性", "更新", "优化",
                   "城市更新"}
_LEVEL_WORDS = {"国家级", "省级", "市级", "县级", "全国", "全省"}


# Category words that a name does not hold after its first word (重大…工程 is a class of works; a leading 重大 is
# already stripped as a generic modifier)
_CATEGORY_INSIDE = frozenset({"重大", "重点", "一批", "各类", "若干"})


def _project_category(text: str, doc: Doc, s: int, raw_start: int, start: int, he: int, h: str,
                      words: list[str]) -> bool:
    """Is the …项目/…工程 at [start, he) a kind of project (a category or a programme), not a name?"""
    if _COUNT_BEFORE.search(text, max(s, raw_start - 6), raw_start):
        return True
    if _COUNT_AFTER.match(text, he):
        return True
    if any(w in _LEVEL_WORDS for w in words) or _NEGATION.search(text[start:he]):
        return True
    if any(w.endswith("等") for w in words):
        return True  # 专项|债等|项目: jieba glued the list's 等 to an item, so this is a list's head
    if any(w in _CATEGORY_INSIDE for w in words[1:]):
        return True  # 宁波舟山港重大集疏运工程: a kind of works (重大…) named after where it is, not one works
    if words[-1] == "示范":
        return True  # 养老示范项目, 新型储能示范项目: a kind of project designated
    if h == "工程" and words[-1] in _PROGRAMME_LAST \
            and not any(_is_place_word(w) and not _NOT_PLACE_NAME.search(w) for w in words):
        return True  # 玉米单产提升工程, 青年人才工程: a programme
    return False


# --------------------------------------------------------------------------- evidence of a name
# A project or a company is a *named* thing: its name holds at least one element that names something
# in particular, not only common words (人才公寓, 邻里中心, 城市更新工程, 国有公司 have none). The
# elements: a place (gazetteer, regions), a phase (二期), a Latin letter or a digit (G104, 260兆瓦), a quote,
# or a word jieba's dictionary tags as a proper name (nr/ns/nt/nz/j), does not know at all (晶科, 杭温) or
# knows as rare (fewer than _RARE counts in its corpus: 时风 5, 钙钛矿 5; common words count hundreds or more).
# Numbered lines of a list of works (民生实事: "3.既有住宅加装电梯项目") are names by their layout.
_SPECIFIC_CHARS = re.compile(r"[0-9０-９A-Za-zＡ-Ｚａ-ｚ“”]|[一二三四五六七八九十]期")
_RARE = 20
_COMMON = 100
_NAME_CHAR_TAGS = {"n", "ng", "nr", "ns", "nz", "a", "ag", "tg", "g", "?"}


def _has_specific(text: str, doc: Doc, s: int, e: int) -> bool:
    if _SPECIFIC_CHARS.search(text, s, e):
        return True
    words = [w for w in _words_between(doc, s, e) if _CJK.search(w)]
    for w in words:
        tg = tokens.word_tag(w)
        common = tg in _COMMON_TAGS and tokens.word_freq(w) >= _COMMON  # 振兴 is also a district's short name
        if tg in _PROPER_TAGS and tg != "?" or (_is_place_word(w) and not common):
            return True
        if (tg == "?" or (len(w) >= 2 and tokens.word_freq(w) < _RARE)) and not _common_compound(w):
            return True
    # two single characters jieba could not join into a word: an unknown name cut up (时|风集团)
    return any(len(a) == 1 and len(b) == 1 and tokens.word_tag(a) in _NAME_CHAR_TAGS
               and tokens.word_tag(b) in _NAME_CHAR_TAGS and tokens.word_freq(a + b) < _RARE
               for a, b in zip(words, words[1:]))


def _common_compound(w: str) -> bool:
    """Is an unknown word a common word with one character glued on (示范|带, 产业|群)? Names that
    jieba does not know are made of characters it could not join (晶科, 杭温, 双漾)."""
    return len(w) >= 3 and (tokens.word_freq(w[:-1]) >= _COMMON or tokens.word_freq(w[1:]) >= _COMMON)


# A works named …工程 is built somewhere or on something: a road, river, line, station, plant … (北湖路北延工程,
# 握纽庄110千伏输变电工程). Without one, …工程 names a programme (文化惠民工程, 保供稳价工程, 医疗卫生强基工程),
# and an unknown word there is mostly policy shorthand jieba lacks (强基, 稳价, 文旅), not a name.
_WORKS_NOUN = re.compile(r"路|街|道|桥|河|湖|江|渠|堤|坝|港|站|场|厂|库|线|网|管|水系|机场|铁路|高速|公路|隧道|枢纽|"
                         r"输变电|电站|水厂|供水|污水|管廊|地铁|楼|馆|园|院|中心|基地|小区|社区|市场")


def _named_works(text: str, s: int, e: int) -> bool:
    return bool(_WORKS_NOUN.search(text, s, e) or _SPECIFIC_CHARS.search(text, s, e))


def _named(text: str, doc: Doc, m: Mention) -> bool:
    if m.type not in ("project", "company"):
        return True
    if m.type == "project" and m.surface.endswith("工程"):
        return _named_works(text, m.start, m.end - 2)
    return _has_specific(text, doc, m.start, m.end)


# --------------------------------------------------------------------------- resolution
_PRIORITY = {"gov": 1, "phase": 2, "head": 2, "list": 3, "done": 1, "quote": 2, "quote-list": 2,
             "gazetteer": 2, "short": 1, "sector": 1}


def _resolve(text: str, doc: Doc, cands: list[Mention]) -> list[Mention]:
    """Same span and type once; the same span with two types keeps the better rule;
    a place short name inside a longer place name goes."""
    best: dict[tuple[int, int], Mention] = {}
    for m in cands:
        if m.end <= m.start or text[m.start:m.end] != m.surface:
            continue
        key = (m.start, m.end)
        old = best.get(key)
        if old is None or _PRIORITY.get(m.rule, 0) > _PRIORITY.get(old.rule, 0):
            best[key] = m
    out = list(best.values())
    # an industry span that is a prefix of a longer industry span at the same start goes (产业 … 集群)
    out.sort(key=lambda m: (m.start, -m.end))
    places = [(m.start, m.end) for m in out if m.type == "place"]
    place_starts = [ps for ps, _ in places]
    longest = max((pe - ps for ps, pe in places), default=0)
    cut = []
    for m in out:
        if m.type == "industry":
            # only places with ps < m.end and pe > m.start (so ps > m.start - longest) can cut; in order
            lo = bisect.bisect_right(place_starts, m.start - longest)
            hi = bisect.bisect_left(place_starts, m.end)
            for ps, pe in places[lo:hi]:
                if ps < m.start < pe < m.end:  # 清平镇|新型绿色板材产业: jieba glued 镇 to the industry
                    m = replace(m, start=pe, surface=text[pe:m.end], name=normalise(text[pe:m.end]))
        cut.append(m)
    out = sorted(cut, key=lambda m: (m.start, -m.end))
    keep = []
    for k, m in enumerate(out):
        near = _around(out, k)
        if m.type == "industry" and any(
                o is not m and o.type in ("industry", "company", "project", "initiative")
                and o.start <= m.start and o.end >= m.end and (o.end - o.start) > (m.end - m.start) for o in near):
            continue  # 光伏 in 光伏新能源产业, 新材料 in 万凯新材料: part of a name, not a mention of its own
        if m.type in ("industry",):
            if any(o is not m and o.type == m.type and o.start <= m.start and o.end >= m.end and
                   (o.end - o.start) > (m.end - m.start) and o.rule != "sector" and m.rule == "sector"
                   and o.end == m.end for o in near):
                continue
        if m.type == "company" and any(o is not m and o.type == "company" and o.start <= m.start and o.end >= m.end
                                       for o in near):
            continue  # 共前 inside 共前智能环保科技
        if m.type == "project":
            # a project name fully inside another project name (晶科二期 inside a list item) keeps the longer
            if any(o is not m and o.type == "project" and o.start <= m.start and o.end >= m.end for o in near):
                continue
        keep.append(m)
    return keep


_WINDOW = 48  # no name is longer: containment is looked for among mentions this close


def _around(sorted_ms: list[Mention], k: int) -> list[Mention]:
    """Mentions that may enclose sorted_ms[k] (sorted by start): those starting up to _WINDOW before it."""
    m = sorted_ms[k]
    out = []
    j = k
    while j >= 0 and sorted_ms[j].start >= m.start - _WINDOW:
        out.append(sorted_ms[j])
        j -= 1
    j = k + 1
    while j < len(sorted_ms) and sorted_ms[j].start == m.start:
        out.append(sorted_ms[j])
        j += 1
    return out


def _propagate_companies(text: str, doc: Doc, cands: list[Mention]) -> list[Mention]:
    """A company named once (晶科) is a company wherever the same word appears as a word."""
    out: list[Mention] = []
    names = {("company", m.surface) for m in cands if m.type == "company" and 2 <= len(m.surface) <= 8}
    have = {(m.start, m.end, m.type) for m in cands + out}
    spans = [(m.start, m.end, m.type) for m in cands if m.type in ("company", "organization")]
    for t, nm in sorted(names):
        for mm in re.finditer(re.escape(nm), text):
            a, b = mm.start(), mm.end()
            if (a, b, t) in have or doc.starts[doc.tok_at[a]] != a:
                continue
            if any(s <= a and b <= e and (e - s) > (b - a) and tt == t for s, e, tt in spans):
                continue  # 共前 inside 共前智能环保科技
            out.append(Mention(t, nm, a, b, nm, rule="propagate"))
            have.add((a, b, t))
    return out


def _dedupe(cands: list[Mention]) -> list[Mention]:
    seen = set()
    out = []
    for m in sorted(cands, key=lambda m: (m.start, -m.end, m.type)):
        k = (m.start, m.end, m.type)
        if k in seen:
            continue
        seen.add(k)
        out.append(m)
    return out


def nest(cands: list[Mention]) -> list[Mention]:
    """Set each mention's parent: the smallest other mention that encloses it."""
    out = []
    cands = sorted(cands, key=lambda m: (m.start, -m.end, m.type))
    for k, m in enumerate(cands):
        par = None
        for o in _around(cands, k):
            if o is m or not (o.start <= m.start and o.end >= m.end) or (o.start, o.end) == (m.start, m.end):
                continue
            if par is None or (o.end - o.start) < (par.end - par.start):
                par = o
        out.append(replace(m, parent=(par.start, par.end, par.type)) if par else m)
    return out
