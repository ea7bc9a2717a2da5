"""The one place that imports jieba (lazily: importing kg must stay cheap).

Stages ask for the tokens of a text with their character offsets and for the
dictionary part-of-speech tag of a word. The tag comes from jieba's own
dictionary (``word_tag_tab``), a dict lookup, so no stage pays for
``jieba.posseg`` with HMM (measured 7x slower than ``jieba.lcut``).
Words jieba's HMM found that are not in its dictionary get the tag ``"?"``:
in reports these are mostly names, e.g. 晶科 in “晶科二期、正泰二期两个百亿项目”.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Sequence

_jieba = None
_tags: dict | None = None


def _load():
    global _jieba, _tags
    if _jieba is None:
        import jieba  # noqa: PLC0415 (lazy on purpose)
        import jieba.posseg  # noqa: PLC0415

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _tags = jieba.posseg.dt.word_tag_tab
        _jieba = jieba
    return _jieba


def lcut(text: str) -> list[str]:
    """jieba.lcut (HMM on), the baseline every performance ratio is measured against."""
    return _load().lcut(text)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Tokens with offsets: [(word, start, end)], covering ``text`` exactly."""
    out = []
    pos = 0
    for w in lcut(text):
        out.append((w, pos, pos + len(w)))
        pos += len(w)
    return out


def tag(word: str) -> str:
    """jieba's dictionary POS tag of ``word``; ``"?"`` when the word is not in the dictionary."""
    _load()
    return _tags.get(word, "?")  # type: ignore[union-attr]


def in_dictionary(word: str) -> bool:
    _load()
    return word in _tags  # type: ignore[operator]


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset:
    _load()
    return frozenset(_tags)  # type: ignore[arg-type]


def tags(words: Sequence[str]) -> list[str]:
    _load()
    t = _tags
    return [t.get(w, "?") for w in words]  # type: ignore[union-attr]
