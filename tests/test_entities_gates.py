"""The gates of kg/extract/entities.py: a sentence without a gate's string is not scanned by its pattern,
so every match of the pattern must contain one of the gate's strings (else a mention would be lost)."""
import glob
from pathlib import Path

import pytest

from kg.extract import entities as E
from kg.segment import sentence_spans

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ["seeds/haining-2023.txt"] + sorted(
    p[len(str(ROOT)) + 1:] for p in glob.glob(str(ROOT / "tests" / "data" / "*" / "*.txt"))
    if not p.endswith(".source.txt"))


@pytest.mark.parametrize("report", REPORTS)
def test_gates_pass_every_sentence_the_pattern_matches(report):
    text = (ROOT / report).read_text(encoding="utf-8")
    checked = 0
    for s, e in sentence_spans(text):
        for pat, gate in E._GATES.items():
            for m in pat.finditer(text, s, e):
                assert gate.search(m.group()), (pat.pattern[:30], m.group())
                checked += 1
    assert checked > 0


# (pattern, sentence): each alternative of a gated pattern, matched and passed by its gate
@pytest.mark.parametrize("pat,sentence", [
    ("_PHASE", "晶科二期建成投产"),
    ("_GOV", "海宁市委"), ("_GOV", "市人民政府"), ("_GOV", "县人大常委会"), ("_GOV", "市政协"),
    ("_GOV", "市发改委"), ("_GOV", "市财政局"),
    ("_BODIES", "党中央"), ("_BODIES", "国务院"), ("_BODIES", "中央决策部署"), ("_BODIES", "全国人大"),
    ("_BODIES", "自觉接受人大及其常委会"), ("_BODIES", "政协民主监督"), ("_BODIES", "工商联"),
    ("_DONE", "全线开工"), ("_DONE", "开工建设"), ("_DONE", "建成投产"), ("_DONE", "建设完成"), ("_DONE", "开工"),
    ("_DONE", "建成"), ("_DONE", "投产"), ("_DONE", "完工"), ("_DONE", "竣工"), ("_DONE", "投用"), ("_DONE", "达产"),
    ("_DONE", "开园"), ("_DONE", "通车"), ("_DONE", "落地建设"), ("_DONE", "加快建设"), ("_DONE", "加快推进"),
    ("_DONE", "加快实施"), ("_DONE", "启动运营"), ("_DONE", "并网发电"), ("_DONE", "主路贯通"), ("_DONE", "封顶"),
    ("_LIST_HEAD", "光伏、新材料等产业"), ("_LIST_HEAD", "晶科、正泰等5个项目"), ("_LIST_HEAD", "打造三个产业集群"),
    ("_COUNT_LIST", "推动两个百亿项目"),
])
def test_gate_passes_each_alternative(pat, sentence):
    p = getattr(E, pat)
    m = p.search(sentence)
    assert m, sentence
    assert E._GATES[p].search(m.group())
