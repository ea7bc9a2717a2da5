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
        ("anguo-2022", "政 府 工 作 报 告", 2022, "安国市", "city"),
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
