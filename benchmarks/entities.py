"""Entity extraction time as a ratio of jieba.lcut on the same texts, measured in the same run.

    python benchmarks/entities.py [FILES...]   (default: seeds/ and tests/data/corpus/ reports)

Prints the best of 5 runs for: jieba.lcut (baseline), kg.tokens.lcut (the tokenizer in use),
and kg.extract.entities.extract_mentions (which tokenizes once itself). Claims about speed
quote these ratios, never absolute times.
"""
import glob
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402

from kg import tokens  # noqa: E402
from kg.extract.entities import extract_mentions  # noqa: E402
from kg.segment import sentence_spans  # noqa: E402


def best(fn, texts, runs=5):
    t = []
    for _ in range(runs):
        a = time.perf_counter()
        for x in texts:
            fn(x)
        t.append(time.perf_counter() - a)
    return min(t)


def main(paths):
    paths = paths or sorted(glob.glob(str(ROOT / "seeds" / "*.txt")) + [
        p for p in glob.glob(str(ROOT / "tests" / "data" / "corpus" / "*.txt")) if not p.endswith(".source.txt")])
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    jieba.setLogLevel(60)
    jieba.initialize()
    extract_mentions(texts[0], sentence_spans(texts[0]))  # load dictionaries and gazetteer once
    base = best(jieba.lcut, texts)
    tok = best(tokens.lcut, texts)
    ext = best(lambda x: extract_mentions(x, sentence_spans(x)), texts)
    chars = sum(len(x) for x in texts)
    print(f"{len(texts)} reports, {chars} characters; tokenizer in use: {tokens.backend()[0]}")
    print("jieba.lcut                 1.00")
    print(f"kg.tokens.lcut             {tok / base:.2f}")
    print(f"extract_mentions           {ext / base:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
