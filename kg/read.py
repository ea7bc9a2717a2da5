"""File -> :class:`~kg.model.Report`: decoding, sanity checks and report metadata.

Handles UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK, CRLF or LF.
The decoded text is kept exactly as decoded (line ends included) so that every
offset the graph records points into it; normalisation for matching happens
elsewhere on copies, never on ``Report.text``.

Metadata comes from the report's own front matter, e.g.
``海宁市2023年政府工作报告`` (title with issuer and year) or
``——2025年1月21日在保定市第十六届人民代表大会第三次会议上`` (date line).
"""
from __future__ import annotations

import hashlib
import os
import re

from kg.errors import KGError
from kg.model import Report

MIN_CJK_CHARS = 200
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # Cc less \t \n \f \r
_MARKERS = ("政府工作报告", "各位代表", "工作回顾", "政府工作", "预期目标", "政府自身建设")
_PART_LINE = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]{1,3}、", re.M)


def decode(data: bytes, where: str) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Refuses empty and binary input."""
    if not data.strip():
        raise KGError("empty file", where)
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data[:8192]:
            raise KGError("binary file, not text", where)
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROL.findall(text, 0, 20000))
        if controls > max(3, len(text[:20000]) // 200):
            raise KGError("binary file, not text", where)
        return text, ("utf-8" if enc == "utf-8-sig" else enc)
    raise KGError("cannot decode as UTF-8, UTF-16 or GB18030", where)


def check_is_report(text: str, where: str) -> None:
    """A government work report is long Chinese prose with its own telltale phrases."""
    cjk = len(_CJK.findall(text))
    if cjk < MIN_CJK_CHARS:
        raise KGError(f"not a government work report (only {cjk} Chinese characters)", where)
    head = text[:6000].replace(" ", "").replace("\u3000", "")
    if not any(m in head for m in _MARKERS) and len(_PART_LINE.findall(text)) < 2:
        raise KGError("not a government work report (no title, address or numbered parts found)", where)


def slug_for(path: str) -> str:
    """Report id from the file name: lower-case ASCII letters, digits and dashes."""
    stem = os.path.splitext(os.path.basename(path))[0]
    slug = re.sub(r"[^0-9A-Za-z]+", "-", stem).strip("-").lower()
    if not slug:  # a purely Chinese file name: keep it readable and stable
        slug = "r-" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:10]
    return slug


def read_report(path: str, report_id: str | None = None) -> Report:
    """The read stage. Reads the file's bytes; makes the :class:`Report`: its decoded text
    (every later offset points into it), sha256, encoding, id (from the file name, or
    ``report_id``), title, year, issuer and level. Raises :class:`KGError` with the path
    on any problem (missing, empty, binary, undecodable, not a work report)."""
    if not os.path.exists(path):
        raise KGError("no such file", path)
    if os.path.isdir(path):
        raise KGError("is a folder, not a report file", path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise KGError(f"cannot read ({e.strerror})", path) from None
    return report_from_bytes(data, path, report_id)


def report_from_bytes(data: bytes, path: str, report_id: str | None = None) -> Report:
    text, encoding = decode(data, path)
    check_is_report(text, path)
    meta = detect_metadata(text, path)
    return Report(
        id=report_id or slug_for(path),
        path=os.path.basename(path),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        **meta,
    )


_TITLE = re.compile(r"^[\s\u3000]*(?P<t>[^\n]{0,40}?政\s*府\s*工\s*作\s*报\s*告[^\n]{0,20}?)[\s\u3000]*$", re.M)
_DATE_LINE = re.compile(r"(?P<y>(?:19|20)\d\d)年\d{1,2}月\d{1,2}日")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)年")
_ISSUER_SUFFIX = "(?:省|自治区|特别行政区|自治州|自治县|地区|盟|市|县|区|旗)"
_ISSUER = [  # matched on each line of the front matter with spaces taken out; the first across lines too
    re.compile(r"在(?P<p>[\u4e00-\u9fff]{1,12}?" + _ISSUER_SUFFIX + r")第?[一二三四五六七八九十]+届人民代表大会"),
    re.compile(r"(?P<p>[\u4e00-\u9fff]{1,12}?" + _ISSUER_SUFFIX + r")人民政府(?:代?(?:省|市|县|区|州|旗)长|主席)"),
    re.compile(r"代表(?P<p>[\u4e00-\u9fff]{1,12}?" + _ISSUER_SUFFIX + r")(?:第[一二三四五六七八九十]+届)?人民政府"),
]
_NATIONAL = re.compile(r"国务院总理|在第[一二三四五六七八九十]+届全国人民代表大会|代表国务院")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# Without a year in the title or a dated line, the part headings say it: 2020年工作安排 (this year),
# 2019年工作回顾 (last year's review).
_PLAN_YEAR = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]{1,3}、[\s\u3000]*((?:19|20)\d\d)年(?:的)?(?:工作|目标|经济社会发展)"
                        r"(?:安排|任务|总体要求|目标)", re.M)
_REVIEW_YEAR = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]{1,3}、[\s\u3000]*(?:关于)?((?:19|20)\d\d)年(?:政府)?工作"
                          r"(?:回顾|$)", re.M)
# （二〇〇三年一月十日）
_CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年[一二三四五六七八九十]{1,2}月")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
# …-2018.txt: the file's name, when the text itself gives no year
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def detect_metadata(text: str, path: str = "") -> dict:
    """Title, year, issuer and administrative level from the front matter (the year, failing
    that, from the part headings, then from a year in the file's name); the level is the issuer's division's when the registry knows
    it (kg.identity.issuer_of: 海宁市, a county-level city, is county)."""
    head = text[:3000]
    meta: dict = {"title": "", "title_span": None, "year": None, "issuer": "", "level": ""}
    m = _TITLE.search(head)
    if m:
        meta["title"] = m.group("t")
        meta["title_span"] = (m.start("t"), m.end("t"))
    compact_title = re.sub(r"[\s\u3000]", "", meta["title"])
    d = _DATE_LINE.search(head)
    y = _YEAR_IN_TITLE.search(compact_title)
    if y:
        meta["year"] = int(y.group(1))
    elif d:
        meta["year"] = int(d.group("y"))
    else:
        plan, review, cn = _PLAN_YEAR.search(text), _REVIEW_YEAR.search(text), _CN_DATE.search(head)
        if cn:
            meta["year"] = int("".join(_CN_DIGIT[c] for c in cn.group(1)))
        elif plan:
            meta["year"] = int(plan.group(1))
        elif review:
            meta["year"] = int(review.group(1)) + 1
    if meta["year"] is None:
        named = _YEAR_IN_NAME.findall(os.path.basename(path))
        if len(named) == 1:
            meta["year"] = int(named[0])
    flat = re.sub(r"[\s\u3000]", "", head)
    if _NATIONAL.search(flat):
        meta["issuer"], meta["level"] = "国务院", "national"
        return meta
    issuer = ""
    t = re.search(r"(?:(?:19|20)\d\d年)?(?P<p>[\u4e00-\u9fff]{2,12}?" + _ISSUER_SUFFIX + r")(?:(?:19|20)\d\d年)?(?:人民)?政府工作报告", compact_title)
    if t:
        issuer = t.group("p")
    else:
        lines = [re.sub(r"[\s\u3000]", "", ln) for ln in head.splitlines()]
        for k, rx in enumerate(_ISSUER):
            found = [m2 for m2 in map(rx.search, [flat] if k == 0 else lines) if m2]
            if found:
                issuer = found[0].group("p")
                break
    meta["issuer"] = issuer
    from kg.identity import issuer_of

    level = issuer_of(issuer).level
    if level:
        meta["level"] = level
    elif issuer in _MUNICIPALITIES or issuer.endswith(("省", "自治区", "特别行政区")):
        meta["level"] = "province"
    elif issuer.endswith(("市", "自治州", "地区", "盟")):
        meta["level"] = "city"
    elif issuer.endswith(("县", "区", "旗", "自治县")):
        meta["level"] = "county"
    return meta
