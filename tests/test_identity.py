"""kg/identity.py: which node a name stands for, in a report of a given issuer."""
import pytest

from kg.identity import identify, issuer_of
from kg.iri import entity_key, place_key


@pytest.mark.parametrize("name, code, level", [
    ("海宁市", "330481", "county"),  # a county-level city: the registry's level, not its suffix's
    ("保定市", "1306", "city"),
    ("浙江省", "33", "province"),
    ("国务院", "CN", "national"),
    ("保定市满城区", "130607", "county"),  # a chain of names
    ("河北省保定市博野县", "130637", "county"),
    ("清苑县", "130608", "county"),  # made a district (清苑区) since: the same place
    ("东莞市", "4419", "city"),  # a prefecture without counties, listed twice by the registry
    ("朝阳区", "", ""),  # Beijing's and Changchun's: the name does not tell
    ("", "", ""),
])
def test_issuer_as_a_division(name, code, level):
    i = issuer_of(name)
    assert (i.code, i.level) == (code, level)


# The forms named relative to the issuer that are recognised, with what they resolve to:
# (issuer, name as written, the node's label, the division it belongs to).
SCOPED = [
    ("海宁市", "市委", "中共海宁市委", "330481"),
    ("海宁市", "中共海宁市委", "中共海宁市委", "330481"),
    ("嘉兴市", "海宁市委", "中共海宁市委", "330481"),  # written out in another report: the same node
    ("海宁市", "市政府", "海宁市人民政府", "330481"),
    ("海宁市", "市人民政府", "海宁市人民政府", "330481"),
    ("海宁市", "政协", "海宁市政协", "330481"),  # bare: the issuer's own
    ("海宁市", "人大", "海宁市人大", "330481"),
    ("保定市", "工商联", "保定市工商联", "1306"),
    ("海宁市", "市人民医院", "海宁市人民医院", "330481"),
    ("海宁市", "省委", "中共浙江省委", "33"),
    ("海宁市", "省政府", "浙江省人民政府", "33"),
    ("定兴县", "市委", "中共保定市委", "1306"),  # a county's report: 市 is the prefecture above it
    ("定兴县", "县委", "中共定兴县委", "130626"),
    ("涞源县", "县人民政府", "涞源县人民政府", "130630"),
    ("涞源县", "县政府", "涞源县人民政府", "130630"),
    ("保定市", "省发展改革委", "河北省发展改革委", "13"),
    ("保定市", "中共保定市委", "中共保定市委", "1306"),
    ("广西壮族自治区", "区委", "中共广西壮族自治区委", "45"),
    ("国务院", "人大", "全国人民代表大会", "CN"),  # the country's 人大 and 政协 are national bodies
    ("国务院", "政协", "中国人民政治协商会议全国委员会", "CN"),
    ("国务院", "省委", "省委", "CN"),  # every province's: kept apart from any one province's
    ("北京市", "区委", "区委", "11"),  # every district's
    ("海宁市", "市场监管局", "市场监管局", "330481"),  # 市场 is a word, not 市: the issuer's bureau
    ("海宁市", "县级医院", "县级医院", "330481"),
    ("海宁市", "国家发改委", "国家发展和改革委员会", "CN"),
    ("海宁市", "发改委", "发改委", "330481"),  # without 国家: a local commission
    ("海宁市", "全国人大", "全国人民代表大会", "CN"),
    ("海宁市", "浙江大学", "浙江大学", "33"),  # named after a division: keyed by it
    ("国务院", "浙江大学", "浙江大学", "33"),
    ("保定市", "海宁市人民医院", "海宁市人民医院", "1306"),  # a county of another province: kept to the issuer
    ("海宁市", "经济开发区", "经济开发区", "330481"),
]


@pytest.mark.parametrize("issuer, name, label, scope", SCOPED)
def test_scoped_forms(issuer, name, label, scope):
    ident = identify("organization" if not name.endswith("开发区") else "platform", name, name, issuer_of(issuer))
    assert (ident.label, ident.scope) == (label, scope)


@pytest.mark.parametrize("name", ["本市", "我市", "全市"])
def test_the_issuer_itself(name):
    assert identify("place", name, name, issuer_of("海宁市")).key == place_key("330481")
    assert identify("place", "全省", "全省", issuer_of("保定市")).key == place_key("13")


def test_bodies_of_different_issuers_are_different_nodes():
    keys = {identify("organization", n, n, issuer_of(i)).key
            for i in ("海宁市", "保定市", "定兴县") for n in ("市委", "市政府", "县政府")}
    # 3 of 海宁市 (its 县政府 is no one county's, kept to the issuer), 3 of 保定市; 定兴县's 市委 and
    # 市政府 are 保定市's, so only its own 县政府 is new
    assert len(keys) == 7
    haining = identify("organization", "中共海宁市委", "中共海宁市委", issuer_of("海宁市"))
    baoding = identify("organization", "中共保定市委", "中共保定市委", issuer_of("保定市"))
    assert haining.key != baoding.key and (haining.scope, baoding.scope) == ("330481", "1306")


def test_a_report_that_does_not_say_whose_it_is_keeps_its_bodies_to_itself():
    a = identify("organization", "市委", "市委", issuer_of(""), scope="report:a")
    b = identify("organization", "市委", "市委", issuer_of(""), scope="report:b")
    assert a.key != b.key and a.scope == "report:a"


@pytest.mark.parametrize("issuer, context, code, candidates", [
    ("海宁市", (), "330481106", ()),
    ("青阳县", (), "341723105", ()),
    ("浙江省", (), "330481106", ()),  # the only one in the province
    ("国务院", (), "", ("330481106", "341723105")),  # the country has two: unresolved, not merged
    ("国务院", ("330481",), "330481106", ()),  # 海宁市丁桥镇: the place before it says which
    ("", (), "", ("330481106", "341723105")),
])
def test_a_town_name_two_counties_share(issuer, context, code, candidates):
    ident = identify("place", "丁桥镇", "丁桥镇", issuer_of(issuer), context, "report:r", code="330481106")
    assert (ident.code, ident.candidates) == (code, candidates)
    assert ident.key == (place_key(code) if code else ident.key)
    if not code:  # scoped to the issuer (or the report): never one node with either division
        assert ident.scope == (issuer_of(issuer).code or "report:r")


def test_places_that_are_one_thing_everywhere():
    yangtze = identify("place", "长江", "长江", issuer_of("海宁市"))
    assert yangtze.key == entity_key("place", "长江") and yangtze.external == "http://www.wikidata.org/entity/Q5413"
    assert identify("place", "长三角", "长三角", issuer_of("保定市")).key == entity_key("place", "长三角")
    assert identify("place", "中国", "中国", issuer_of("海宁市")).key == place_key("CN")
    # a mountain no list knows: kept within the issuer
    assert identify("place", "太行山", "太行山", issuer_of("涞源县")).scope == "130630"


def test_by_name_across_issuers_and_projects_by_place():
    for t in ("company", "industry", "initiative", "event"):
        a = identify(t, "晶科", "晶科", issuer_of("海宁市"))
        assert a.key == identify(t, "晶科", "晶科", issuer_of("保定市")).key == entity_key(t, "晶科")
    p1 = identify("project", "污水处理厂提标改造工程", "污水处理厂提标改造工程", issuer_of("海宁市"))
    p2 = identify("project", "污水处理厂提标改造工程", "污水处理厂提标改造工程", issuer_of("定兴县"))
    assert p1.key != p2.key and (p1.scope, p2.scope) == ("330481", "130626")
    # a project that names its place is keyed by it, whoever reports it
    named = [identify("project", "袁花镇众创共富中心", "袁花镇众创共富中心", issuer_of(i), ("330481112",))
             for i in ("海宁市", "嘉兴市")]
    assert named[0].key == named[1].key and named[0].scope == "330481112"
