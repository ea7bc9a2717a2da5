"""Features of every character of a text, for the entity tagger: computed once, for all types.

A feature is a *template* (``c-1c0``: this character and the one before it) read at one
position; its value is hashed, with the template's number, into one of ``2**BITS`` buckets,
and the model keeps a weight per bucket and label (the hashing trick: no feature strings, no
vocabulary to ship, the same buckets in training and tagging). ``compute`` returns an
``(n, len(TEMPLATES))`` array of buckets for a text of ``n`` characters, every template
vectorised over the whole text with numpy, so the cost per character is a few array
operations, not Python code.

What the templates read (all of it already at hand in the pipeline, no second tagging pass):

* characters around the position (unigrams at -2…2, bigrams, one trigram), their class
  (Han, digit, Latin, other) and whether they sit inside quotes (“八八战略”);
* the tokenizer's words (kg/tokens.py): the word the character is in, its dictionary tag
  (jieba's dict.txt: ``ns`` place, ``nt`` organisation, ``?`` unknown — names), the
  character's place in the word (B/M/E/S), the words and tags either side;
* look-ups: spans of 1–4 words that kg/lexicons.py knows as a place, company or body, and
  characters that are one-character provincial abbreviations (冀, 鄂);
* the report's issuer (保定市, 保定) wherever the text names it;
* the hand rules' mentions (kg/extract/entities.py), outer and nested, by type and B/I/E/S:
  the rules vote through the model, which learns how far to trust each.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import repeat
from typing import Iterable, Sequence

import numpy as np

BITS = 22
_M1 = np.uint64(0x9E3779B97F4A7C15)
_K = tuple(np.uint64(k) for k in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5))
_R = 0x100000001B3  # odd: a unit mod 2**64, so its powers have inverses
_RINV = pow(_R, -1, 1 << 64)

TYPES = ("company", "project", "industry", "place", "organization", "platform", "initiative", "event")
_TAGS = ("a", "ad", "ag", "an", "b", "c", "d", "df", "dg", "e", "f", "g", "h", "i", "j", "k", "l", "m", "mg",
         "mq", "n", "ng", "nr", "nrfg", "nrt", "ns", "nt", "nz", "o", "p", "q", "r", "rg", "rr", "rz", "s", "t",
         "tg", "u", "ud", "ug", "uj", "ul", "uv", "uz", "v", "vd", "vg", "vi", "vn", "vq", "x", "y", "z", "zg")
TAG_ID = {t: i + 1 for i, t in enumerate(_TAGS)}  # 0: not in the dictionary ("?")
_BOS, _EOS = 0x110000, 0x110001  # beyond Unicode: the text's edges

# Lexicon kinds (kg/lexicons.py) grouped into the four look-up features
_LEX_GROUP = {"division": 1, "short": 1, "country": 1, "region": 1, "abbr": 1,
              "town": 2, "town-short": 2,
              "listed": 3, "security": 3, "alias": 3, "registered": 3,
              "body": 4, "body-short": 4, "body-derived": 4}
_LEX_MAX_WORDS = 4

# name -> the columns it combines (see ``compute``); the order is the model's: do not reorder.
TEMPLATES = (
    "bias", "c-2", "c-1", "c0", "c1", "c2", "c-2c-1", "c-1c0", "c0c1", "c1c2", "c-1c1", "c-1c0c1",
    "class", "quote", "w", "wpos", "wpos.c0", "wtag", "wtag.wpos", "w-1", "w1", "wtag-1", "wtag1",
    "lex.place", "lex.town", "lex.company", "lex.body", "abbr", "issuer", "rule.outer", "rule.inner",
    "w-2", "w2", "w-1.w", "w.w1",
)


# Templates whose value 0 ("no look-up hit", "not quoted" …) holds at most characters: the
# tagger adds their weights only where the value is not 0 (kg/extract/tagger.py, ``Model.emissions``).
MOSTLY_ZERO = ("bias", "quote", "lex.place", "lex.town", "lex.company", "lex.body", "abbr", "issuer",
               "rule.outer", "rule.inner")


def zero_bucket(template: str) -> int:
    """The bucket of value 0 of one of ``MOSTLY_ZERO``."""
    return int(_mix(TEMPLATES.index(template), np.zeros(1, dtype=np.int64))[0])


def _mix(tid: int, *cols: np.ndarray) -> np.ndarray:
    """Bucket of (template, values) at every position: the values times odd constants, summed
    (mod 2**64), then one xorshift-multiply; the top ``BITS`` bits."""
    h = np.full(len(cols[0]), np.uint64((tid + 1) * 0xD6E8FEB86659FD93 & 0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
    for k, c in zip(_K, cols):
        h += c.astype(np.uint64) * k
    h ^= h >> np.uint64(32)
    h *= _K[0]
    return (h >> np.uint64(64 - BITS)).astype(np.int64)


def codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


class Hasher:
    """Polynomial hashes of substrings of one text, in O(1) array operations per batch of spans."""

    def __init__(self, c: np.ndarray):
        n = len(c)
        pw = np.full(n + 1, _R, dtype=np.uint64)
        pw[0] = 1
        pw = np.cumprod(pw, dtype=np.uint64)  # R**i mod 2**64
        inv = np.full(n + 1, _RINV, dtype=np.uint64)
        inv[0] = 1
        self.inv = np.cumprod(inv, dtype=np.uint64)
        self.pre = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(c * pw[:n], dtype=np.uint64, out=self.pre[1:])

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Hash of ``text[a:b]`` for arrays of starts and ends; equal strings hash equal."""
        h = (self.pre[b] - self.pre[a]) * self.inv[a]
        return (h ^ (b - a).astype(np.uint64)) * _M1


def string_hash(s: str) -> int:
    """The hash ``Hasher`` gives the whole of ``s``."""
    h = Hasher(codes(s))
    return int(h(np.array([0]), np.array([len(s)]))[0])


_FILTER_BITS = 22  # a table of name-hash low bits: most spans of words are no name, and it says so at once


@lru_cache(maxsize=1)
def _lexicon() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(sorted name hashes, their look-up group bits, one-character abbreviation flags by code
    point, a flag per value of a hash's low ``_FILTER_BITS`` bits: some name has it)."""
    from kg import lexicons

    lex = lexicons.load()
    abbr = np.zeros(0x110002, dtype=bool)
    names, bits = [], []
    for name, entries in sorted(lex.by_name.items()):
        b = 0
        for e in entries:
            b |= 1 << _LEX_GROUP.get(e.kind, 0)
            if e.kind == "abbr" and len(name) == 1:
                abbr[ord(name)] = True
        if len(name) > 1:
            names.append(name)
            bits.append(b)
    # every name hashed in one pass over their concatenation
    lens = np.fromiter(map(len, names), dtype=np.int64, count=len(names))
    ends = np.cumsum(lens)
    hashes = Hasher(codes("".join(names)))(ends - lens, ends)
    groups: dict[int, int] = {}
    for h, b in zip(hashes.tolist(), bits):
        groups[h] = groups.get(h, 0) | b
    keys = np.array(sorted(groups), dtype=np.uint64)
    vals = np.array([groups[k] for k in keys.tolist()], dtype=np.int64)
    maybe = np.zeros(1 << _FILTER_BITS, dtype=bool)
    maybe[(keys & np.uint64((1 << _FILTER_BITS) - 1)).astype(np.int64)] = True
    return keys, vals, abbr, maybe


def _bies(n: int, spans: Iterable[tuple[int, int, int]]) -> np.ndarray:
    """Per position: 4 * value + (1 B, 2 I, 3 E, 4 S) of the spans covering it (later spans win); 0 outside."""
    out = np.zeros(n, dtype=np.int64)
    for a, b, v in spans:
        if b - a == 1:
            out[a] = 4 * v + 4
        else:
            out[a] = 4 * v + 1
            out[a + 1:b - 1] = 4 * v + 2
            out[b - 1] = 4 * v + 3
    return out


def compute(text: str, words: Sequence[str], tags: Sequence[str], issuer: Sequence[str] = (),
            rules: Iterable[tuple[str, int, int]] = (), templates: Sequence[str] = TEMPLATES) -> np.ndarray:
    """Buckets ``(len(text), len(templates))`` of every template at every character.

    ``words`` are the tokens of ``text`` in order (they rebuild it), ``tags`` their dictionary
    tags (``"?"`` when the dictionary lacks the word); ``issuer`` the names the report's issuer
    goes by; ``rules`` the rules' mentions as (type, start, end)."""
    n = len(text)
    c = codes(text)
    padded = np.concatenate([np.array([_BOS, _BOS], dtype=np.uint64), c, np.array([_EOS, _EOS], dtype=np.uint64)])

    def at(o: int) -> np.ndarray:
        return padded[2 + o:2 + o + n]

    lens = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lens)
    starts = ends - lens
    hasher = Hasher(c)
    wh = hasher(starts, ends)
    tid = np.fromiter(map(TAG_ID.get, tags, repeat(0)), dtype=np.int64, count=len(tags))
    tok = np.repeat(np.arange(len(words)), lens)
    pos = np.arange(n)
    wpos = np.where(starts[tok] == pos, 1, 2) + np.where(ends[tok] - 1 == pos, 2, 0)  # 1 B, 2 M, 3 S, 4 E
    wh_p = np.concatenate([[_BOS, _BOS], wh, [_EOS, _EOS]]).astype(np.uint64)
    tid_p = np.concatenate([[90], tid, [91]])

    cls = np.where((c >= 0x4E00) & (c <= 0x9FFF), 1,
                   np.where((c >= 48) & (c <= 57) | (c >= 0xFF10) & (c <= 0xFF19), 2,
                            np.where(((c | np.uint64(32)) >= 97) & ((c | np.uint64(32)) <= 122), 3, 4)))
    q = np.cumsum((c == 0x201C).astype(np.int64) - (c == 0x201D).astype(np.int64))
    quote = (q > 0).astype(np.int64)

    # look-ups: spans of 1..4 words in the lexicon, by group (B/I/E/S per group, longest first)
    keys, vals, abbr_of, maybe = _lexicon()
    lex = np.zeros((5, n), dtype=np.int64)
    nw = len(words)
    for k in range(_LEX_MAX_WORDS, 0, -1):
        if nw < k:
            continue
        a = starts[:nw - k + 1]
        b = ends[k - 1:]
        ok = (b - a >= 2) & (b - a <= 12)
        a, b = a[ok], b[ok]
        h = hasher(a, b)
        ok = maybe[(h & np.uint64((1 << _FILTER_BITS) - 1)).astype(np.int64)]
        a, b, h = a[ok], b[ok], h[ok]
        i = np.searchsorted(keys, h)
        i[i >= len(keys)] = 0
        hit = keys[i] == h
        for a_, b_, bits in zip(a[hit].tolist(), b[hit].tolist(), vals[i[hit]].tolist()):
            for g in range(1, 5):
                if bits >> g & 1 and not lex[g, a_:b_].any():
                    lex[g, a_] = 1
                    lex[g, a_ + 1:b_ - 1] = 2
                    lex[g, b_ - 1] = 3
    abbr = abbr_of[np.minimum(c, 0x110001).astype(np.int64)].astype(np.int64)

    iss = np.zeros(n, dtype=np.int64)
    for name in sorted(set(issuer), key=len):
        if not name:
            continue
        found = text.find(name)
        while found >= 0:
            iss[found] = 1
            iss[found + 1:found + len(name)] = 2
            found = text.find(name, found + len(name))

    type_id = {t: k for k, t in enumerate(TYPES)}
    rl = sorted(((s, e, type_id[t]) for t, s, e in rules if t in type_id), key=lambda r: (r[0], -r[1]))
    outer, inner, end = [], [], -1
    for r in rl:
        if r[0] >= end:
            outer.append(r)
            end = r[1]
        else:
            inner.append(r)
    r_out, r_in = _bies(n, outer), _bies(n, inner)

    cols = {
        "bias": (np.zeros(n, dtype=np.int64),),
        "c-2": (at(-2),), "c-1": (at(-1),), "c0": (c,), "c1": (at(1),), "c2": (at(2),),
        "c-2c-1": (at(-2), at(-1)), "c-1c0": (at(-1), c), "c0c1": (c, at(1)), "c1c2": (at(1), at(2)),
        "c-1c1": (at(-1), at(1)), "c-1c0c1": (at(-1), c, at(1)),
        "class": (cls,), "quote": (quote,),
        "w": (wh[tok],), "wpos": (wpos,), "wpos.c0": (wpos, c), "wtag": (tid[tok],),
        "wtag.wpos": (tid[tok], wpos), "w-1": (wh_p[tok + 1],), "w1": (wh_p[tok + 3],),
        "wtag-1": (tid_p[tok],), "wtag1": (tid_p[tok + 2],),
        "lex.place": (lex[1],), "lex.town": (lex[2],), "lex.company": (lex[3],), "lex.body": (lex[4],),
        "abbr": (abbr,), "issuer": (iss,), "rule.outer": (r_out,), "rule.inner": (r_in,),
        "w-2": (wh_p[tok],), "w2": (wh_p[tok + 4],), "w-1.w": (wh_p[tok + 1], wh[tok]), "w.w1": (wh[tok], wh_p[tok + 3]),
    }
    out = np.empty((n, len(templates)), dtype=np.int64)
    for k, name in enumerate(templates):
        out[:, k] = _mix(TEMPLATES.index(name), *cols[name])
    return out
