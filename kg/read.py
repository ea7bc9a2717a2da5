"""File -> :class:`~kg.model.Report`: reading, decoding, sanity checks and report metadata.

Reads only regular files, up to :data:`MAX_REPORT_BYTES` (:func:`read_bytes`). Handles UTF-8
with or without BOM, UTF-16 with or without BOM, GB18030/GBK, and LF, CRLF or CR line ends.
The decoded text is kept as decoded, with one exception that moves no offset: a line end
written as a lone CR (or U+2028, U+2029, U+0085) becomes LF, one character for one, so the
outline sees lines, and every offset the graph records points both into ``Report.text``
(published as the report's ``nif:isString``) and into the decoded file. Normalisation for
matching happens elsewhere on copies, never on ``Report.text``.

A text must look like a work report (:func:`check_is_report`); the rule and its figures on
the 141 reports of tests/data/reports are in docs/design.md ("What a report must look like").

Metadata comes from the report's own front matter, e.g.
``海宁市2023年政府工作报告`` (title with issuer and year) or
``——2025年1月21日在保定市第十六届人民代表大会第三次会议上`` (date line).
"""
from __future__ import annotations

import hashlib
import os
import re
import stat

from kg.errors import KGError
from kg.model import Report

MAX_REPORT_BYTES = 2_000_000  # one report file; the largest of the 141 in tests/data/reports is 100 kB
MIN_CJK_CHARS = 200  # the shortest of the 141 has 6,430, an excerpt in tests/data/unseen 2,013; short test reports 300
MIN_CJK_SHARE = 0.5  # of the characters other than white space (the 141: at least 0.81)
MIN_COMMON_SHARE = 0.35  # of the Chinese characters, in COMMON (the 141: at least 0.59; random text 0.01)
MIN_PARAGRAPHS = 3  # lines of at least 20 Chinese characters (the 141: at least 25; the excerpt 5)
# The 200 most frequent characters of the 141 reports (tests/data/reports), most frequent first.
COMMON = frozenset(
    "业建的发化展新全和实大进设力产工加动一推国中人区政生高成民持强增保提作务体城等市项地重行会制改年资开能经平"
    "治施个入创好合农以理坚企目水深家质造为面上完基升服社现长济点量村有定省要公在用不快代心主育安度万优机县三规"
    "级效品投技续出文科支程法是革态管系域标元学稳事环更场性落活各到我善乡府群对源领共路总通同亿打五防融色方医位"
    "教境商步部金向策放型办集做统园划范决整本费分收特四达风精电十营构协小就引多结准战护"
)
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_NOT_COMMON = re.compile("[^" + "".join(sorted(COMMON)) + "]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # Cc less \t \n \f \r
_BLANK = re.compile(r"[ \t\r\n\f\u3000\xa0]+")
_PLAUSIBLE_UTF16 = re.compile(r"[^\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\t\n\r\u201c\u201d\u2018\u2019\u2014\u2026\u00b7]+")
_LONE_LINE_END = re.compile(r"\r(?!\n)|[\u2028\u2029\x85]")
_MARKERS = ("政府工作报告", "各位代表", "工作回顾", "政府工作", "预期目标", "政府自身建设")
_PART_LINE = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]{1,3}、", re.M)
_HTML_TAG = re.compile(r"<(?:!doctype\s+html|/?(?:html|head|body|meta|title|div|p|br|span|table|tr|td|a|script|style|h[1-6])\b)"
                       r"[^<>]{0,1000}>", re.I)


def decode(data: bytes, where: str) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Refuses empty and binary input. Lone CRs (and the
    Unicode line separators) become LF, one character for one (module docstring)."""
    if not data.strip():
        raise KGError("empty file", where)
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise KGError("binary file, not text", where)
        candidates = [utf16]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        text = _LONE_LINE_END.sub("\n", text)
        controls = len(_CONTROL.findall(text, 0, 20000))
        if controls > max(3, len(text[:20000]) // 200):
            raise KGError("binary file, not text", where)
        return text, {"utf-8-sig": "utf-8", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(enc, enc)
    raise KGError("cannot decode as UTF-8, UTF-16 or GB18030", where)


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when ``data`` reads as text in one of them (nine in ten
    of its first characters Chinese, CJK punctuation or printable ASCII), else None."""
    if len(data) % 2:
        return None
    best, enc = 0.0, None
    for candidate in ("utf-16-le", "utf-16-be"):
        sample = data[:8192].decode(candidate, errors="replace")
        share = len(_PLAUSIBLE_UTF16.sub("", sample)) / max(len(sample), 1)
        if share > best:
            best, enc = share, candidate
    return enc if best >= 0.9 else None


def check_is_report(text: str, where: str) -> None:
    """A government work report is Chinese prose, in paragraphs, with a title, an address
    or numbered parts: the rule in docs/design.md ("What a report must look like").
    Raises KGError saying which part of it the text fails."""
    tags = len(_HTML_TAG.findall(text, 0, 200_000))
    if tags >= 5 or (tags and text.lstrip().startswith("<")):
        raise KGError("HTML (a saved web page?), not a plain-text report: save the report's text as a .txt file", where)
    cjk = len(_NOT_CJK.sub("", text))
    if cjk < MIN_CJK_CHARS:
        raise KGError(f"not a government work report (only {cjk} Chinese characters; a report has at least "
                      f"{MIN_CJK_CHARS})", where)
    visible = len(_BLANK.sub("", text))
    if cjk < MIN_CJK_SHARE * visible:
        raise KGError(f"not a government work report (only {100 * cjk // max(visible, 1)}% of its characters "
                      "are Chinese)", where)
    common = len(_NOT_COMMON.sub("", text))
    if common < MIN_COMMON_SHARE * cjk:
        raise KGError(f"not a government work report (its Chinese does not read as prose: {100 * common // cjk}% "
                      "common characters; garbled or random text?)", where)
    paragraphs = 0
    for line in text.split("\n"):
        if len(line) >= 20 and len(_NOT_CJK.sub("", line)) >= 20:
            paragraphs += 1
            if paragraphs >= MIN_PARAGRAPHS:
                break
    if paragraphs < MIN_PARAGRAPHS:
        raise KGError(f"not a government work report (fewer than {MIN_PARAGRAPHS} paragraphs of Chinese text)", where)
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


def read_report(path: str, report_id: str | None = None, max_bytes: int | None = MAX_REPORT_BYTES) -> Report:
    """The read stage. Reads the file's bytes (:func:`read_bytes`); makes the :class:`Report`:
    its decoded text (every later offset points into it), sha256, encoding, id (from the file
    name, or ``report_id``), title, year, issuer and level. Raises :class:`KGError` with the
    path on any problem (missing, not a regular file, too large, empty, binary, undecodable,
    not a work report)."""
    return report_from_bytes(read_bytes(path, max_bytes), path, report_id)


def size_text(n: int) -> str:
    """2000000 -> "2 MB", 1500 -> "1.5 kB" (decimal units, as ``--max-report-size`` takes them)."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def read_bytes(path: str, max_bytes: int | None = MAX_REPORT_BYTES) -> bytes:
    """A report file's bytes. Only a regular file is read (never a device such as
    /dev/zero, a FIFO or a socket, which could block or never end), and only up to
    ``max_bytes`` (None: no limit)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise KGError("no such file", path) from None
    except IsADirectoryError:
        raise KGError("is a folder, not a report file", path) from None
    except OSError as e:
        raise KGError(f"cannot read ({e.strerror or e})", path) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        if stat.S_ISDIR(st.st_mode):
            raise KGError("is a folder, not a report file", path)
        raise KGError("not a regular file (a device, FIFO or socket); only report files are read", path)
    with os.fdopen(fd, "rb") as f:
        if max_bytes is not None and st.st_size > max_bytes:
            raise KGError(f"{size_text(st.st_size)} is over the limit of {size_text(max_bytes)} for one report "
                          "(kg build --max-report-size)", path)
        try:
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
        except OSError as e:
            raise KGError(f"cannot read ({e.strerror or e})", path) from None
    if max_bytes is not None and len(data) > max_bytes:  # grew while read
        raise KGError(f"over the limit of {size_text(max_bytes)} for one report (kg build --max-report-size)", path)
    return data


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
