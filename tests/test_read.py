import pytest

from conftest import SEED, corpus_path
from kg.errors import KGError
from kg.read import decode, read_report, report_from_bytes, slug_for

SEED_TEXT = open(SEED, encoding="utf-8").read()


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
        lambda s: s.encode("gb18030"),
        lambda s: s.encode("gbk", errors="strict"),
        lambda s: s.encode("utf-16"),
        lambda s: s.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "crlf"],
)
def test_encodings_decode_to_the_same_report(encode):
    text = SEED_TEXT.replace("\ufffd", "")  # the seed's truncation left one replacement char; GBK cannot hold it
    r = report_from_bytes(encode(text), "x.txt")
    assert r.text.replace("\r\n", "\n") == text
    assert r.title == "海宁市2023年政府工作报告"
    assert r.year == 2023


def test_crlf_offsets_point_into_the_original_text():
    from kg.segment import segment

    text = SEED_TEXT.replace("\n", "\r\n")
    o = segment(report_from_bytes(text.encode("utf-8"), "crlf.txt"))
    assert len([s for s in o.sections if s.level == "part"]) == 3
    for s in o.sentences:
        surface = text[s.start : s.end]
        assert surface and "\r" not in surface and "\n" not in surface


def test_full_width_indents_are_kept_and_skipped():
    r = read_report(corpus_path("fujian-2025"))
    from kg.segment import segment

    o = segment(r)
    part = o.sections[0]
    assert r.text[part.heading.start : part.heading.end].startswith("一、牢记殷殷嘱托")
    assert r.text[part.heading.start - 2 : part.heading.start] == "\u3000\u3000"


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        ("这是一段很短的文字。".encode("utf-8"), "not a government work report"),
        (("今天天气很好，我们去公园散步，看见很多人在跑步。" * 40).encode("utf-8"), "not a government work report"),
        (b"\xff\xfe\x00" + b"\x81" * 50, "cannot decode"),
    ],
    ids=["empty", "blank", "binary", "short", "prose", "undecodable"],
)
def test_bad_input_names_the_problem(data, problem):
    with pytest.raises(KGError) as e:
        report_from_bytes(data, "bad.txt")
    assert problem in str(e.value)
    assert str(e.value).startswith("bad.txt: ")


def test_missing_file_and_folder():
    with pytest.raises(KGError, match="no such file"):
        read_report("nope/absent.txt")
    with pytest.raises(KGError, match="is a folder"):
        read_report("tests")


def test_decode_refuses_nul_bytes():
    with pytest.raises(KGError, match="binary"):
        decode("政府工作报告".encode("utf-8") + b"\x00\x00", "f.bin")


@pytest.mark.parametrize(
    "name, title, year, issuer, level",
    [
        ("anguo-2022", "政 府 工 作 报 告", 2022, "安国市", "county"),  # a county-level city
        ("baoding-2025", "", 2025, "保定市", "city"),
        ("fujian-2025", "2025年福建省政府工作报告", 2025, "福建省", "province"),
        ("gaotang-2025", "政 府 工 作 报 告", 2025, "高唐县", "county"),
        ("guowuyuan-2023", "政府工作报告", 2023, "国务院", "national"),
        ("laiyuan-2025", "政府工作报告", 2025, "涞源县", "county"),
        ("lixian-2022", "政 府 工 作 报 告", 2022, "蠡县", "county"),
        ("zhejiang-2025", "2025年浙江省政府工作报告", 2025, "浙江省", "province"),
        ("zhejiang-2026", "2026年浙江省政府工作报告", 2026, "浙江省", "province"),
    ],
)
def test_metadata_from_front_matter(name, title, year, issuer, level):
    r = read_report(corpus_path(name))
    assert (r.title, r.year, r.issuer, r.level) == (title, year, issuer, level)
    assert r.id == name
    if r.title_span:
        assert r.text[r.title_span[0] : r.title_span[1]] == r.title


@pytest.mark.parametrize(
    "path, slug",
    [("seeds/haining-2023.txt", "haining-2023"), ("a/B C_d.txt", "b-c-d"), ("x/海宁.txt", None)],
)
def test_slugs_are_stable_ascii(path, slug):
    got = slug_for(path)
    assert got == slug_for(path)
    if slug:
        assert got == slug
    else:
        assert got.startswith("r-") and got.isascii()


@pytest.mark.parametrize(
    "head, path, year, issuer, level",
    [
        # the date line breaks before 人民代表大会
        ("2022年1月28日在高唐县第十八届\n人民代表大会第一次会议上\n", "g.txt", 2022, "高唐县", "county"),
        # a one-character name before its suffix, and no 第 before the session
        ("2021年2月5日在易县十七届人民代表大会第六次会议上\n易县人民政府县长 张锐\n", "y.txt", 2021, "易县", "county"),
        ("各位代表：\n现在，我代表蠡县人民政府，向大会作政府工作报告。\n一、2019年工作回顾\n", "l.txt", 2020, "蠡县", "county"),
        ("各位代表：\n现在，我代表容城县第十四届人民政府，向大会报告工作。\n一、过去五年工作回顾\n二、2012年工作安排\n",
         "r.txt", 2012, "容城县", "county"),
        # the State Council's report without a title; the year from the file's name
        ("各位代表：\n现在，我代表国务院，向大会报告政府工作。\n一、过去五年工作回顾\n", "guowuyuan-2018.txt", 2018,
         "国务院", "national"),
        ("在河北省第十届人民代表大会第一次会议上\n河北省代省长 季允石\n（二〇〇三年一月十日）\n", "h.txt", 2003, "河北省",
         "province"),
        # a county since made a district: the level is the registry's
        ("各位代表：\n现在，我代表徐水县人民政府向大会报告工作。\n一、关于2014年政府工作\n", "x.txt", 2015, "徐水县", "county"),
        ("海宁市2023年政府工作报告\n", "h.txt", 2023, "海宁市", "county"),
        ("各位代表：\n现在，我代表县政府向大会作工作报告。\n一、2012年工作回顾\n", "q.txt", 2013, "", ""),
    ],
)
def test_metadata_from_other_front_matter(head, path, year, issuer, level):
    from kg.read import detect_metadata

    meta = detect_metadata(head + "政府工作" * 100, path)
    assert (meta["year"], meta["issuer"], meta["level"]) == (year, issuer, level)
