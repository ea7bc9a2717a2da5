import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEED = os.path.join(ROOT, "seeds", "haining-2023.txt")
CORPUS = os.path.join(HERE, "data", "corpus")


def corpus_path(name: str) -> str:
    return os.path.join(CORPUS, name + ".txt")


@pytest.fixture(scope="session")
def seed_outline():
    from kg.read import read_report
    from kg.segment import segment

    return segment(read_report(SEED))


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """One build of the seed, shared by the tests that only read it."""
    import kg

    out = str(tmp_path_factory.mktemp("seed-build"))
    kg.build([SEED], out)
    return out


@pytest.fixture(scope="session")
def zhejiang_build(tmp_path_factory):
    """A build of one issuer's reports of two consecutive years (浙江 2025 and 2026): the
    targets of the first, the results of the second."""
    import kg

    out = str(tmp_path_factory.mktemp("zhejiang-build"))
    kg.build([corpus_path("zhejiang-2025"), corpus_path("zhejiang-2026")], out)
    return out
