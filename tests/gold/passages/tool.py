"""Show, check and collect the hand annotations of the passages chosen by ``select.py``.

    python tests/gold/passages/tool.py list [--kind entities|numbers] [--split S] [--todo] [--double]
    python tests/gold/passages/tool.py show ID            # the passage, one numbered sentence a line
    python tests/gold/passages/tool.py check ID [-v]      # parse ann/ID.ann, report every problem
    python tests/gold/passages/tool.py check --all        # every .ann file
    python tests/gold/passages/tool.py collect            # ann/*.ann -> entities.jsonl, numbers.jsonl
    python tests/gold/passages/tool.py concord [--multi] [--unmarked] [-v] [SURFACE ...]
        # for each (type, surface) marked in ann/: the passages marking it and the occurrences of the
        # surface left unmarked in annotated passages; --multi: surfaces marked with more than one type;
        # --unmarked: only entries with unmarked occurrences; -v: each occurrence in context

``--folder DIR`` reads the ``passages.tsv`` and ``ann/`` of another folder in this format
(``tests/gold/numbers-train``, ``tests/gold/numbers-heldout``).

An ID is ``slug:start-end`` as in ``passages.tsv``; its annotation file is
``ann/<slug>_<start>-<end>.ann`` (the second annotator of a doubly annotated passage writes
``ann2/…``; ``--dir ann2`` points the commands there).

Entity lines (conventions: ``../shared/ANNOTATION.md``)::

    3|L:安国市, I:工业, O:中国医学科学院药用植物研究所, O:中国医学科学院, L:中国

``3`` is the sentence number printed by ``show``; each item is ``T:surface`` with T one of
C company, P project, I industry, L place, O organization, F platform, N initiative, E event.
Items are listed in the order they start in the sentence (an outer name before the names nested
in it); each is looked for from where the previous item of the line starts, skipping an
occurrence already taken by an item of the same type and surface, so repeated and nested names
need no counting, and one span can carry two types (``P:中科锂电, C:中科锂电``: a project named by
its company). ``T:surface#2`` takes the second such occurrence. Sentences without mentions get no
line.

Number lines, one per numeral of the passage (Arabic digits always; Chinese numerals when they
count or rank, not inside ordinary words such as 统一, 进一步, 一批)::

    4|7%|target|地区生产总值|growth|approx|7|%|2023
    4|1206万人|result|城镇新增就业|level|eq|1206|万人|2022
    5|二十|none|name
    6|保持全省前列|qualitative|经济增速

* surface: the numeral with its unit as written (``3800多万吨``), or the phrase of a qualitative target;
* kind: ``target`` (what the report promises), ``result`` (what it reports as achieved),
  ``qualitative`` (a goal without a number, in the targets paragraph), or ``none`` with a reason:
  ``date``, ``ordinal``, ``name`` (part of a name: 二十国集团, 207国道, 中央八项规定), ``slogan``
  (counts of a slogan's parts: 三个“一号工程”), ``section`` (outline or list number), ``threshold``
  (an eligibility or size class: 3岁以下婴幼儿, 10亿元以上项目), ``period`` (三年行动, 连续三年, 十四五),
  ``fact`` (a quantity that is neither a result nor a target of the government: 我国有2.9亿在校学生),
  ``other``;
* indicator: a noun phrase naming what is measured (耕地, 村集体收入达10万元以上的村占比);
* measure: ``level``, ``growth`` (a rate of increase), ``change`` (an absolute increase or
  decrease), ``share``; a decrease is a negative change or growth (value ``-5``);
* comparator: ``eq``, ``approx`` (左右, 约), ``ge`` (以上, 多, 余, 超过, 不低于, 突破),
  ``le`` (以内, 不超过, 控制在…以下), ``range`` (value ``5-6``);
* value: the number in Arabic digits as written (``1.37``, ``3800``; Chinese numerals converted);
* unit: as written (``万人``, ``%``, ``亿元``, ``个百分点``);
* year: the year it refers to, when the text makes it clear; else empty.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
REPORTS = ROOT / "tests/data/reports"
TYPES = {"C": "company", "P": "project", "I": "industry", "L": "place", "O": "organization",
         "F": "platform", "N": "initiative", "E": "event"}
KINDS = ("target", "result", "qualitative", "none")
REASONS = ("date", "ordinal", "name", "slogan", "section", "threshold", "period", "fact", "other")
MEASURES = ("level", "growth", "change", "share")
COMPARATORS = ("eq", "approx", "ge", "le", "range")


def passages() -> list[dict]:
    with open(HERE / "passages.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        r["start"], r["end"] = int(r["start"]), int(r["end"])
    return rows


def by_id() -> dict[str, dict]:
    return {p["id"]: p for p in passages()}


def ann_path(pid: str, folder: str = "ann") -> Path:
    slug, span = pid.split(":")
    return HERE / folder / f"{slug}_{span}.ann"


_TEXTS: dict[str, str] = {}


def report_text(slug: str) -> str:
    if slug not in _TEXTS:
        _TEXTS[slug] = (REPORTS / f"{slug}.txt").read_text(encoding="utf-8")
    return _TEXTS[slug]


def passage_sentences(p: dict) -> list[tuple[int, int]]:
    """Sentences of the passage (report offsets), numbered from 1 by ``show``."""
    text = report_text(p["report"])
    return [(p["start"] + m.start(), p["start"] + m.end())
            for m in re.finditer(r"[^。！？!?\n]+[。！？!?]?", text[p["start"]:p["end"]]) if m.group().strip()]


def show(p: dict) -> str:
    text = report_text(p["report"])
    lines = [f"# {p['id']}  ({p['level']}, {p['year']}, {p['kind']})"]
    for k, (s, e) in enumerate(passage_sentences(p), 1):
        lines.append(f"[{k}] {text[s:e]}")
    return "\n".join(lines)


def _locate(text: str, s: int, e: int, surface: str, frm: int, taken: set, nth: int,
            numeric: bool = False) -> int:
    pos = frm - 1
    count = 0
    while True:
        pos = text.find(surface, pos + 1, e)
        if pos < 0:
            return -1
        if (surface, pos) in taken:
            continue
        if numeric and _inside_number(text, pos, pos + len(surface)):
            continue
        count += 1
        if count == nth:
            return pos


def _inside_number(text: str, start: int, end: int) -> bool:
    """True when a surface that starts or ends with a digit is only part of a longer number
    (``5%`` inside ``5.5%``, ``20`` inside ``2024``)."""
    def digit(c: str) -> bool:
        return len(c) == 1 and c in "0123456789０１２３４５６７８９"

    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return ((digit(text[start]) and (digit(before) or before == "."))
            or (digit(text[end - 1]) and (digit(after) or (after == "." and digit(text[end + 1:end + 2])))))


def parse(p: dict, folder: str = "ann") -> tuple[list[dict], list[str]]:
    """The annotation of a passage as rows with report offsets, and the problems found."""
    path = ann_path(p["id"], folder)
    if not path.exists():
        return [], [f"{path.name}: no annotation file"]
    text = report_text(p["report"])
    sents = passage_sentences(p)
    rows, problems = [], []
    for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{ln}"
        head, sep, rest = line.partition("|")
        if not sep or not head.strip().isdigit() or not (1 <= int(head) <= len(sents)):
            problems.append(f"{where}: a line starts with a sentence number from 1 to {len(sents)} and '|'")
            continue
        k = int(head)
        s, e = sents[k - 1]
        if p["kind"] == "entities":
            _entity_line(text, s, e, k, rest, where, rows, problems)
        else:
            _number_line(text, s, e, k, rest, where, rows, problems)
    return rows, problems


def _entity_line(text, s, e, k, rest, where, rows, problems) -> None:
    frm, taken = s, {}  # per type: one span can carry two types (P:中科锂电, C:中科锂电)
    for item in [x.strip() for x in re.split(r"[,，]\s*(?=[A-Z][:：])", rest) if x.strip()]:
        t, sep, surf = item.partition(":")
        if not sep:
            t, sep, surf = item.partition("：")
        t = t.strip()
        if t not in TYPES or not surf:
            problems.append(f"{where}: {item!r} is not T:surface with T in {''.join(TYPES)}")
            continue
        nth = 1
        m = re.search(r"#(\d+)$", surf)
        if m:
            surf, nth = surf[: m.start()], int(m.group(1))
        if surf != surf.strip() or re.search(r"[“”\"「」《》，。、；：（）()]", surf[:1] + surf[-1:]):
            problems.append(f"{where}: {surf!r}: a span has no spaces, quotes or punctuation at its ends")
        pos = _locate(text, s, e, surf, frm, taken.get(t, set()), nth)
        if pos < 0:
            if text.find(surf, s, e) >= 0:
                problems.append(f"{where}: {surf!r} is in sentence {k} but not after the item before it "
                                f"(list items in the order they start)")
            else:
                problems.append(f"{where}: {surf!r} is not in sentence {k}")
            continue
        taken.setdefault(t, set()).add((surf, pos))
        frm = pos
        rows.append({"type": TYPES[t], "surface": surf, "start": pos, "end": pos + len(surf), "sentence": k})


def _number_line(text, s, e, k, rest, where, rows, problems) -> None:
    f = rest.split("|")
    surf, kind = f[0], (f[1] if len(f) > 1 else "")
    if kind not in KINDS:
        problems.append(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        return
    taken = {(r["surface"], r["start"]) for r in rows if r["sentence"] == k}
    frm = max([r["start"] for r in rows if r["sentence"] == k] or [s])
    pos = _locate(text, s, e, surf, frm, taken, 1, numeric=True)
    if pos < 0:
        pos = _locate(text, s, e, surf, s, taken, 1, numeric=True)
    if pos < 0:
        problems.append(f"{where}: {surf!r} is not in sentence {k} (or every occurrence is taken)")
        return
    row = {"kind": kind, "surface": surf, "start": pos, "end": pos + len(surf), "sentence": k}
    if kind == "none":
        if len(f) != 3 or f[2] not in REASONS:
            problems.append(f"{where}: a none line is k|surface|none|reason, reason one of {', '.join(REASONS)}")
            return
        row["reason"] = f[2]
    elif kind == "qualitative":
        if len(f) != 3 or not f[2]:
            problems.append(f"{where}: a qualitative line is k|phrase|qualitative|indicator")
            return
        row["indicator"] = f[2]
    else:
        if len(f) != 8:
            problems.append(f"{where}: a {kind} line is k|surface|{kind}|indicator|measure|comparator|value|unit|year")
            return
        ind, measure, comp, value, unit, year = f[2:]
        if not ind:
            problems.append(f"{where}: no indicator")
        if measure not in MEASURES:
            problems.append(f"{where}: measure {measure!r} is not one of {', '.join(MEASURES)}")
        if comp not in COMPARATORS:
            problems.append(f"{where}: comparator {comp!r} is not one of {', '.join(COMPARATORS)}")
        if not re.fullmatch(r"-?\d+(\.\d+)?(-\d+(\.\d+)?)?", value):
            problems.append(f"{where}: value {value!r} is not a number (or a range a-b)")
        if year and not re.fullmatch(r"(19|20)\d\d", year):
            problems.append(f"{where}: year {year!r} is not a year")
        row.update(indicator=ind, measure=measure, comparator=comp, value=value, unit=unit,
                   year=int(year) if year else None)
    rows.append(row)
    return


def collect() -> None:
    """Every annotated passage into entities.jsonl / numbers.jsonl (report offsets), and the
    second annotations into entities-second.jsonl; stops on any problem."""
    out: dict[str, list[str]] = {}
    bad = []
    for folder, suffix in (("ann", ""), ("ann2", "-second")):
        for p in passages():
            if not ann_path(p["id"], folder).exists():
                continue
            rows, problems = parse(p, folder)
            bad.extend(problems)
            for r in rows:
                r.pop("sentence", None)
            rec = {"id": p["id"], "report": p["report"], "split": p["split"], "level": p["level"],
                   "year": int(p["year"]), "start": p["start"], "end": p["end"],
                   ("entities" if p["kind"] == "entities" else "numbers"): rows}
            out.setdefault(f"{p['kind']}{suffix}.jsonl", []).append(json.dumps(rec, ensure_ascii=False))
    if bad:
        sys.exit("\n".join(bad))
    for name, lines in out.items():
        (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(lines)} passages")


def concord(args: list[str], folder: str = "ann") -> None:
    """A concordance of the entity annotation: where each (type, surface) is marked, where the same
    surface is left unmarked, and which surfaces carry more than one type."""
    flags = {a for a in args if a.startswith("-")}
    wanted = [a for a in args if not a.startswith("-")]
    ents = [p for p in passages() if p["kind"] == "entities" and ann_path(p["id"], folder).exists()]
    marked: dict[str, dict[str, list]] = {}  # surface -> type -> [(id, sentence, start)]
    spans: dict[str, dict[int, list]] = {}   # id -> start -> [(end, type)]
    for p in ents:
        rows, _ = parse(p, folder)
        spans[p["id"]] = sp = {}
        for r in rows:
            marked.setdefault(r["surface"], {}).setdefault(r["type"], []).append((p["id"], r["sentence"], r["start"]))
            sp.setdefault(r["start"], []).append((r["end"], r["type"]))
    surfaces = wanted or sorted(marked, key=lambda x: (-sum(map(len, marked[x].values())), x))
    inv = {v: k for k, v in TYPES.items()}

    def context(p: dict, a: int, b: int) -> str:
        text = report_text(p["report"])
        return (text[max(a - 8, p["start"]):a] + "[" + text[a:b] + "]" + text[b:min(b + 8, p["end"])]).replace("\n", "⏎")

    for surf in surfaces:
        types = marked.get(surf, {})
        if "--multi" in flags and len(types) < 2:
            continue
        unmarked = []
        for p in ents:
            text, pos = report_text(p["report"]), p["start"] - 1
            while (pos := text.find(surf, pos + 1, p["end"])) >= 0:
                if not any(e == pos + len(surf) for e, _ in spans[p["id"]].get(pos, [])):
                    cover = [f"{inv[t]}:{text[s:e]}" for s, l in spans[p["id"]].items() for e, t in l
                             if s <= pos and pos + len(surf) <= e]
                    unmarked.append((p, pos, cover))
        if "--unmarked" in flags and not unmarked:
            continue
        head = ", ".join(f"{inv[t]} {len(v)}x/{len({x[0] for x in v})}p" for t, v in
                         sorted(types.items(), key=lambda kv: -len(kv[1])))
        spans_types: dict[tuple, set] = {}
        for t, v in types.items():
            for pid, _, a in v:
                spans_types.setdefault((pid, a), set()).add(inv[t])
        combos = [("+".join(sorted(ts))) for ts in spans_types.values() if len(ts) > 1]
        if combos:  # two types on one span (P:中科锂电, C:中科锂电) are not a conflict
            head += " (same span: " + ", ".join(f"{c} {combos.count(c)}x" for c in sorted(set(combos))) + ")"
        print(f"{surf}\t{head or 'never marked'}\tunmarked {len(unmarked)}x/{len({u[0]['id'] for u in unmarked})}p")
        for t, v in types.items():
            ids = sorted({x[0] for x in v})
            if "-v" in flags:
                for pid, k, a in v:
                    print(f"    {inv[t]} {pid}|{k}  {context(by_id()[pid], a, a + len(surf))}")
            else:
                print(f"    {inv[t]}: {' '.join(ids[:12])}{' …' if len(ids) > 12 else ''}")
        for p, a, cover in unmarked if "-v" in flags else unmarked[:6]:
            print(f"    - {p['id']}  {context(p, a, a + len(surf))}  {' '.join(cover)}")
        if len(unmarked) > 6 and "-v" not in flags:
            print(f"    - … {len(unmarked) - 6} more")


def main(argv: list[str]) -> None:
    global HERE
    if "--folder" in argv:  # another folder of passages in this format (tests/gold/numbers-heldout …)
        i = argv.index("--folder")
        HERE = Path(argv[i + 1]).resolve()
        del argv[i:i + 2]
    folder = "ann"
    if "--dir" in argv:
        i = argv.index("--dir")
        folder = argv[i + 1]
        del argv[i:i + 2]
    if not argv:
        sys.exit(__doc__)
    cmd, args = argv[0], argv[1:]
    ps = by_id()
    if cmd == "list":
        sel = list(ps.values())
        for flag, key in (("--kind", "kind"), ("--split", "split")):
            if flag in args:
                v = args[args.index(flag) + 1]
                sel = [p for p in sel if p[key] == v]
        if "--double" in args:
            sel = [p for p in sel if p["double"] == "1"]
        if "--todo" in args:
            sel = [p for p in sel if not ann_path(p["id"], folder).exists()]
        for p in sel:
            print(f"{p['id']}\t{p['kind']}\t{p['split']}\t{p['end'] - p['start']}\t"
                  f"{'done' if ann_path(p['id'], folder).exists() else 'todo'}")
    elif cmd == "show":
        print(show(ps[args[0]]))
    elif cmd == "check":
        ids = [p["id"] for p in ps.values() if ann_path(p["id"], folder).exists()] if args[:1] == ["--all"] else args[:1]
        total = 0
        for pid in ids:
            rows, problems = parse(ps[pid], folder)
            total += len(problems)
            for x in problems:
                print(x)
            if "-v" in args:
                text = report_text(ps[pid]["report"])
                for r in rows:
                    ctx = text[max(r["start"] - 4, 0):r["start"]] + "[" + r["surface"] + "]" + text[r["end"]:r["end"] + 4]
                    print(f"  {r['sentence']:3} {r.get('type') or r.get('kind'):12} {ctx}")
        print(f"{len(ids)} file(s), {total} problem(s)")
        if total:
            sys.exit(1)
    elif cmd == "collect":
        collect()
    elif cmd == "concord":
        concord(args, folder)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
