"""The one place a Chinese tokenizer is imported (lazily, on first use).

jieba is the reference tokenizer. rjieba, a Rust port of jieba with the same
dictionary, gives identical tokens about 24 times faster (measured on the seed and
corpus by ``python benchmarks/entities.py``), so it serves the hot path when installed.
``KG_TOKENIZER=jieba`` forces the reference implementation.

Offsets: ``tokenize(text)`` yields ``(word, start, end)`` with
``text[start:end] == word``; the tokens rebuild the text exactly.
"""
from __future__ import annotations

import os
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate


@lru_cache(maxsize=None)
def backend():
    """(name, module) of the tokenizer in use; loads its dictionary once per process."""
    want = os.environ.get("KG_TOKENIZER", "").lower()
    if want != "jieba":
        try:
            import rjieba

            return "rjieba", rjieba
        except ImportError:
            if want == "rjieba":
                raise
    try:
        import jieba
    except ImportError as e:  # pragma: no cover - jieba is a dependency
        raise ImportError("govreport-kg needs jieba: pip install jieba") from e
    jieba.setLogLevel(60)
    jieba.initialize()
    return "jieba", jieba


def lcut(text: str) -> list[str]:
    name, mod = backend()
    return mod.cut(text) if name == "rjieba" else mod.lcut(text)


def tokenize(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """Words with offsets into ``text`` (shifted by ``offset``)."""
    words = lcut(text)
    bounds = list(accumulate(map(len, words), initial=offset))
    return list(zip(words, bounds, bounds[1:]))


def tag(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech) pairs, HMM off (7 times faster than with it; same dictionary)."""
    name, mod = backend()
    if name == "rjieba":
        return [tuple(p) for p in mod.tag(text)]
    import jieba.posseg as pseg

    return [(p.word, p.flag) for p in pseg.lcut(text, HMM=False)]


# --- dictionary part-of-speech look-ups (entities) --------------------------------------
# Rules need the tag jieba's dictionary gives a word, not a tagging pass over the text:
# a dict look-up per token. Words the dictionary lacks (found by the HMM) get "?" — in
# reports mostly names, e.g. 晶科 in “晶科二期、正泰二期两个百亿项目”.
class _Field(dict):
    """word -> one field of its line in jieba's dict.txt ("word freq tag"), or ``default``.

    Filled as words are asked for: a word is found by bisection in the file's lines, sorted
    once (the file is nearly sorted: 12 ms), and kept. A report asks for a few thousand
    words; reading all 349,000 lines into dicts took 0.4-0.5 s, a third of a cold build."""

    __slots__ = ("lines", "field", "default")

    def __init__(self, lines: list[str], field: int, default: str):
        super().__init__()
        self.lines, self.field, self.default = lines, field, default

    def __missing__(self, word: str) -> str:
        key = word + " "  # no word holds a space, and " " sorts before every other character in them
        i = bisect_left(self.lines, key)
        v = self.lines[i].split(" ")[self.field] if i < len(self.lines) and self.lines[i].startswith(key) else self.default
        self[word] = v
        return v


class _Defaulting(dict):
    __slots__ = ("default",)

    def __init__(self, items: dict, default: str):
        super().__init__(items)
        self.default = default

    def __missing__(self, word: str) -> str:
        return self.default


@lru_cache(maxsize=1)
def _tag_table() -> dict:
    """word -> tag from jieba's dict.txt, "?" for words it lacks (see ``_dict_tables``)."""
    return _dict_tables()[0]


def word_freq(word: str) -> int:
    """jieba's dictionary count of ``word`` (0 when the dictionary lacks it): how common a word is,
    from jieba's own general corpus, without any report's names."""
    f = _dict_tables()[1][word]
    return int(f) if f else 0


@lru_cache(maxsize=1)
def _dict_tables() -> tuple[dict, dict]:
    """(word -> tag, word -> count), both filled on demand (:class:`_Field`) from jieba's
    dict.txt ("word freq tag" lines): exactly ``jieba.posseg.dt.word_tag_tab`` and jieba's
    counts, with no jieba import when rjieba serves the tokens.
    """
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a dependency
        raise ImportError("govreport-kg needs jieba: pip install jieba")
    path = os.path.join(os.path.dirname(spec.origin), "dict.txt")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    if text.count(" ") != 2 * len(lines) or text.count("\n") != len(lines):  # not "word freq tag": let jieba read it
        import jieba
        import jieba.posseg

        jieba.initialize()
        return (_Defaulting(jieba.posseg.dt.word_tag_tab, "?"),
                _Defaulting({w: str(f) for w, f in jieba.dt.FREQ.items()}, ""))
    lines.sort()
    return _Field(lines, 2, "?"), _Field(lines, 1, "")


def word_tag(word: str) -> str:
    """jieba's dictionary POS tag of ``word``; ``"?"`` when the word is not in the dictionary."""
    return _tag_table()[word]


def word_tags(words) -> list[str]:
    return list(map(_tag_table().__getitem__, words))

