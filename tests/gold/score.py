"""Score the extractor on one gold file:

    python tests/gold/score.py TEXT GOLD.json [types,to,list] [START:END]

The optional START:END scores only that part of the gold (e.g. one of a file's ``ranges``)."""
import json, re, sys
from kg.extract.entities import extract_mentions, sentence_spans
from kg.evaluate import score_spans, ENTITY_TYPES
args = [a for a in sys.argv[3:] if not re.fullmatch(r"\d+:\d+", a)]
only = [tuple(map(int, a.split(":"))) for a in sys.argv[3:] if re.fullmatch(r"\d+:\d+", a)]
gold = json.load(open(sys.argv[2]))
t = open(sys.argv[1], encoding='utf-8').read()
from kg.read import read_report
ms = extract_mentions(t, sentence_spans(t), issuer=read_report(sys.argv[1]).issuer)
from kg.evaluate import gold_ranges
rng = only or gold_ranges(gold) or [(0, len(t))]
pred = {(m.type, m.start, m.end) for m in ms}
g = {(r['type'], r['start'], r['end']) for r in gold['entities'] if any(a <= r['start'] and r['end'] <= b for a, b in rng)}
sc = score_spans(pred, g, ENTITY_TYPES, rng)
for k, s in sc.items():
    print(f"{k:<13} P={s.precision:.2f} R={s.recall:.2f} F={s.f1:.2f} tp={s.tp} fp={s.fp} fn={s.fn}")
if args:
    want = args[0].split(',')
    for m in sorted(pred - g, key=lambda x: x[1]):
        if m[0] in want and any(a <= m[1] and m[2] <= b for a, b in rng): print('FP', m, t[m[1]:m[2]], '|', t[max(0,m[1]-8):m[2]+6].replace('\n',' '))
    for m in sorted(g - pred, key=lambda x: x[1]):
        if m[0] in want: print('FN', m, t[m[1]:m[2]], '|', t[max(0,m[1]-8):m[2]+6].replace('\n',' '))
