from kg.extract.entities import extract_mentions
from kg.iri import entity_key, place_key
from kg.link import identities, resolve
from kg.segment import sentence_spans

TEXT = "袁花镇众创共富中心投用。实施“新兴海工程”。大力实施新兴海工程，海宁发展。向驻海宁部队全体官兵致谢。"


def test_one_entity_per_name_and_type_with_aliases():
    ms = extract_mentions(TEXT, sentence_spans(TEXT), issuer="海宁市")
    ents = resolve("t", ms, issuer="海宁市")
    keys = [(e.type, e.name) for e in ents]
    assert len(keys) == len(set(keys))
    haining = [e for e in ents if e.type == "place" and e.name == "海宁市"]
    assert len(haining) == 1 and len(haining[0].mentions) == 2
    assert haining[0].aliases == ("海宁",)
    assert haining[0].code == "330481"
    assert [c for c, _ in haining[0].parents] == ["3304", "33"]


def test_town_parent_chain():
    ms = extract_mentions(TEXT, sentence_spans(TEXT), issuer="海宁市")
    town = next(e for e in resolve("t", ms, issuer="海宁市") if e.name == "袁花镇")
    assert town.code == "330481112"
    assert town.parents[0] == ("330481", "海宁市")


def test_sections_follow_sentences():
    spans = sentence_spans(TEXT)

    def section_of(pos: int) -> tuple[int, ...]:
        return next((i + 1,) for i, (s, e) in enumerate(spans) if s <= pos < e)

    ents = resolve("t", extract_mentions(TEXT, spans, issuer="海宁市"), section_of, "海宁市")
    haining = next(e for e in ents if e.name == "海宁市")
    assert haining.sections == ((3,), (4,))


def test_two_reports_name_one_division_by_its_code():
    a = resolve("a", extract_mentions("海宁发展。", issuer="海宁市"), issuer="海宁市")
    b = resolve("b", extract_mentions("向驻海宁部队致谢。", issuer="海宁市"), issuer="嘉兴市")
    assert [e.key for e in a] == [e.key for e in b] == [place_key("330481")]


def test_relations_stated_in_the_text():
    from kg.extract.mentions import extract  # the product's mentions: rules and tagger
    from kg.identity import issuer_of
    from kg.link import relations
    from kg.model import Located

    text = "光伏新能源产业推动晶科二期、正泰二期两个百亿项目建成投产。袁花镇众创共富中心投用。"
    ms = extract(text, sentence_spans(text), issuer="海宁市")
    spans = sentence_spans(text)
    ids = identities("t", ms, issuer_of("海宁市"))
    located = []
    for m in ms:
        si = next(i for i, (a, b) in enumerate(spans) if a <= m.start < b)
        located.append(Located(m, si, (1,), ids[(m.start, m.end, m.type)].key))
    rels = {(r.subject, r.predicate, r.object) for r in relations(located)}

    def k(type_: str, name: str) -> str:  # projects are keyed within the issuer, 海宁市
        return entity_key(type_, name, "330481" if type_ == "project" else "")

    assert (k("project", "晶科二期"), "involvesCompany", k("company", "晶科")) in rels
    assert (k("project", "正泰二期"), "inIndustry", k("industry", "光伏新能源产业")) in rels
    assert (k("company", "正泰"), "inIndustry", k("industry", "光伏新能源产业")) in rels
    # a sentence that lists several industries does not say which one a project belongs to
    text2 = "持续壮大新材料、航空航天、智能厨电和储能等产业,德业新能源、晶科储能等项目开工。"
    ms2 = extract(text2, sentence_spans(text2))
    ids2 = identities("t", ms2, issuer_of(""))
    rels2 = relations([Located(m, 0, (1,), ids2[(m.start, m.end, m.type)].key) for m in ms2])
    assert not [r for r in rels2 if r.predicate == "inIndustry"]
