import pytest

from conftest import SEED
from kg import tokens

SENTENCES = [
    "实现地区生产总值1247亿元、增长0.7%。",
    "晶科二期、正泰二期两个百亿项目开工建设。",
    "(一)经济运行恢复向好。工业经济质效提升。",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_tokens_rebuild_the_text_with_offsets(text):
    toks = tokens.tokenize(text, offset=10)
    assert "".join(w for w, _, _ in toks) == text
    for w, a, b in toks:
        assert text[a - 10 : b - 10] == w


def test_fast_backend_gives_jiebas_tokens():
    pytest.importorskip("rjieba")
    import jieba
    import rjieba

    jieba.setLogLevel(60)
    text = open(SEED, encoding="utf-8").read()
    assert rjieba.cut(text) == jieba.lcut(text)


def test_tag_gives_pos():
    pairs = tokens.tag("海宁市发展新能源产业")
    assert "".join(w for w, _ in pairs) == "海宁市发展新能源产业"
    assert all(isinstance(t, str) and t for _, t in pairs)


def test_dictionary_tags_and_counts_are_jiebas_own():
    import jieba
    import jieba.posseg

    jieba.initialize()
    tokens._dict_tables.cache_clear()
    tokens._tag_table.cache_clear()
    theirs = jieba.posseg.dt.word_tag_tab
    assert [w for w, t in theirs.items() if tokens.word_tag(w) != t] == []  # every word, looked up on demand
    assert [w for w, f in jieba.dt.FREQ.items() if f and w in theirs and tokens.word_freq(w) != f] == []
    assert tokens.word_tag("海宁") == "ns" and tokens.word_tag("晶科") == "?"
    assert tokens.word_tags(["海宁", "晶科", "海宁"]) == ["ns", "?", "ns"]


@pytest.mark.parametrize("word,low,high", [
    ("城市", 10000, None),  # common
    ("时风", 1, 19),  # in the dictionary, rare
    ("晶科", 0, 0),  # not in the dictionary
])
def test_word_freq_is_jiebas_count(word, low, high):
    import jieba

    jieba.initialize()
    f = tokens.word_freq(word)
    assert f == jieba.dt.FREQ.get(word, 0)
    assert f >= low and (high is None or f <= high)
