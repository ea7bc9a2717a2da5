"""The public-data lexicons: what a name resolves to, and that the files stay well-formed."""
import os
import re

import pytest

from kg import lexicons
from kg.lexicons import DATA, KINDS

# name, type, canonical, kind, code (None: any)
KNOWN = [
    # one-character provincial abbreviations
    ("冀", "place", "河北省", "abbr", "13"),
    ("鄂", "place", "湖北省", "abbr", "42"),
    ("沪", "place", "上海市", "abbr", "31"),
    ("粤", "place", "广东省", "abbr", "44"),
    ("琼", "place", "海南省", "abbr", "46"),
    # usual short names of provinces and prefectures
    ("内蒙古", "place", "内蒙古自治区", "short", "15"),
    ("广西", "place", "广西壮族自治区", "short", "45"),
    ("新疆", "place", "新疆维吾尔自治区", "short", "65"),
    ("合肥", "place", "合肥市", "short", "3401"),
    ("武汉", "place", "武汉市", "short", "4201"),
    ("大连", "place", "大连市", "short", "2102"),
    ("大理", "place", "大理白族自治州", "short", "5329"),
    # full names and towns from the division tables
    ("合肥市", "place", "合肥市", "division", "3401"),
    ("袁花镇", "place", "袁花镇", "town", "330481112"),
    ("袁花", "place", "袁花镇", "town-short", "330481112"),
    # countries and regions
    ("美国", "place", "美国", "country", ""),
    ("大韩民国", "place", "韩国", "country", ""),
    ("长三角", "place", "长三角", "region", None),
    # listed companies, by trading name, quoted security name and alias
    ("科大讯飞", "company", "科大讯飞", "listed", "SZSE:002230"),
    ("长城汽车", "company", "长城汽车", "listed", "SSE:601633"),
    ("长城汽车", "company", "长城汽车", "listed", "HKEX:02333"),
    ("新希望", "company", "新希望", "listed", "SZSE:000876"),
    ("小米集团-W", "company", "小米集团", "security", "HKEX:01810"),
    ("小米", "company", "小米集团", "alias", "HKEX:01810"),
    ("百度", "company", "百度", "listed", "US:BIDU"),
    ("华为", "company", "华为技术有限公司", "alias", ""),
    # national bodies and their short forms
    ("国务院", "organization", "国务院", "body", None),
    ("证监会", "organization", "中国证券监督管理委员会", "body-short", "直属机构"),
    ("国家发改委", "organization", "国家发展和改革委员会", "body-short", None),
    ("发改委", "organization", "国家发展和改革委员会", "body-derived", None),
    ("国资委", "organization", "国务院国有资产监督管理委员会", "body-derived", None),
    ("河北省人民政府", "organization", "河北省人民政府", "body", "省级人民政府"),
    # central bodies named by the National Flag Law and the Constitution, and their contractions
    ("全国人民代表大会常务委员会", "organization", "全国人民代表大会常务委员会", "body", "国旗法第五条"),
    ("全国人大常委会", "organization", "全国人民代表大会常务委员会", "body-contracted", None),
    ("全国人大", "organization", "全国人民代表大会", "body-contracted", "宪法第三章"),
    ("全国政协", "organization", "中国人民政治协商会议全国委员会", "body-contracted", None),
    ("中央军委", "organization", "中央军事委员会", "body-contracted", None),
    ("中央纪委", "organization", "中国共产党中央纪律检查委员会", "body-contracted", None),
    ("中共中央", "organization", "中国共产党中央委员会", "body-contracted", None),
    ("国家监察委员会", "organization", "国家监察委员会", "body", None),
    ("最高人民法院", "organization", "最高人民法院", "body", None),
    ("最高人民检察院", "organization", "最高人民检察院", "body", None),
    # rivers and lakes (Natural Earth), by Wikidata item
    ("长江", "place", "长江", "river", "Q5413"),
    ("黄河", "place", "黄河", "river", "Q7355"),
    ("太湖", "place", "太湖", "lake", "Q140712"),
    ("鄱阳湖", "place", "鄱阳湖", "lake", "Q207690"),
    ("青海湖", "place", "青海湖", "lake", None),
]


@pytest.mark.parametrize("name,type_,canonical,kind,code", KNOWN)
def test_known_names(name, type_, canonical, kind, code):
    found = lexicons.lookup(name, type_)
    assert any(e.canonical == canonical and e.kind == kind and (code is None or e.code == code)
               for e in found), found


# names that mean several divisions: every one is returned, none is chosen
@pytest.mark.parametrize("name,codes", [
    ("朝阳", {"110105", "2113", "220104"}),
    ("鼓楼", {"320106", "350102"}),
])
def test_ambiguous_short_names_keep_all_candidates(name, codes):
    got = {e.code for e in lexicons.lookup(name, "place") if e.kind == "short"}
    assert codes <= got


@pytest.mark.parametrize("name", ["经开区", "全国", "市辖区", "省直辖"])
def test_generic_words_are_not_places(name):
    assert not lexicons.lookup(name, "place")


@pytest.mark.parametrize("name", ["中央", "全国", "人大", "政协"])
def test_metonyms_and_fragments_are_not_bodies(name):
    assert not lexicons.lookup(name, "organization")


def _builder():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "build_lexicons", os.path.join(os.path.dirname(DATA.parent), "kg", "data", "build_lexicons.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name,shorts", [
    ("全国人民代表大会常务委员会", ["全国人大常委会"]),
    ("中国共产党中央纪律检查委员会", ["中共中央纪委", "中央纪委"]),
    ("中国共产党中央委员会", ["中共中央"]),  # never 中央 alone
    ("中国人民政治协商会议全国委员会", ["全国政协"]),
    ("最高人民法院", []),
])
def test_contractions_of_central_bodies(name, shorts):
    assert _builder().contract(name) == shorts


@pytest.mark.parametrize("security,name", [
    ("万  科Ａ", "万科"), ("*ST星源", "星源"), ("京东集团-SW", "京东集团"), ("比亚迪", "比亚迪"),
])
def test_security_names_are_cleaned(security, name):
    assert _builder().clean_security(security) == name


def test_unknown_name_is_empty():
    assert lexicons.lookup("不存在的名字") == ()


def test_type_filter():
    assert lexicons.lookup("合肥", "company") == ()
    assert "证监会" in lexicons.names("organization")
    assert "证监会" not in lexicons.names("place")


def test_scan_reports_nested_spans():
    text = "依托百度、小米、科大讯飞等企业，冀鄂两省"
    spans = {(text[i:j], frozenset(e.type for e in es)) for i, j, es in lexicons.scan(text)}
    words = {w for w, _ in spans}
    assert {"百度", "小米", "科大讯飞", "冀", "鄂"} <= words
    assert ("科大讯飞", frozenset({"company"})) in spans


def test_every_kind_is_documented():
    kinds = {e.kind for es in lexicons.load().by_name.values() for e in es}
    assert kinds <= set(KINDS)


LEXICON_FILES = ["divisions-short.tsv", "countries.tsv", "companies-listed.tsv", "bodies.tsv",
                 "bodies-central.tsv", "waters.tsv"]


def test_waters_are_typed_by_their_ending():
    rows = [line.rstrip("\n").split("\t") for line in open(DATA / "waters.tsv", encoding="utf-8")
            if not line.startswith("#")]
    assert len(rows) > 50
    assert all(r[1] in ("river", "lake") for r in rows)
    assert all(re.search(r"(河|江|水|川|溪|曲)$" if r[1] == "river" else r"(湖|错|泊|淖尔|海|池|淀|水库)$", r[0])
               for r in rows)


@pytest.mark.parametrize("fname", LEXICON_FILES)
def test_files_are_sorted_with_one_header(fname):
    with open(DATA / fname, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    assert lines[0].startswith("# ") and lines[-1] == ""
    body = lines[1:-1]
    assert body and not any(line.startswith("#") for line in body)
    ncols = len(lines[0][2:].split("  — ")[0].split("\t"))
    assert all(len(line.split("\t")) == ncols for line in body)
    assert body == sorted(set(body))


def test_data_stays_small():
    total = sum(os.path.getsize(DATA / f) for f in os.listdir(DATA) if f.endswith(".tsv"))
    assert total < 15 * 1024 * 1024


def test_abbreviations_are_one_per_province():
    rows = [line.rstrip("\n").split("\t") for line in open(DATA / "divisions-short.tsv", encoding="utf-8")
            if not line.startswith("#")]
    abbr = [r for r in rows if r[2] == "abbr"]
    assert len(abbr) == len({r[0] for r in abbr}) == 34
    assert all(len(r[1]) == 1 and re.fullmatch(r"\d{2}", r[0]) for r in abbr)
