"""Where the shipped data lives: ontology/ (installed as ``kg.ontology``), seeds/ (installed as
``kg.seeds``) and kg/queries/."""
from __future__ import annotations

import os
from functools import lru_cache

_HERE = os.path.dirname(os.path.abspath(__file__))


@lru_cache(maxsize=None)
def ontology_dir() -> str:
    """ontology/ of a source checkout, else the copy installed as the kg.ontology package."""
    repo = os.path.join(os.path.dirname(_HERE), "ontology")
    if os.path.isfile(os.path.join(repo, "govreport.ttl")):
        return repo
    installed = os.path.join(_HERE, "ontology")
    if os.path.isfile(os.path.join(installed, "govreport.ttl")):
        return installed
    raise FileNotFoundError("the govreport-kg ontology files are missing from this installation")


def ontology_files(kind: str = "ontology") -> list[str]:
    """Sorted Turtle files: kind "ontology" (classes, properties) or "shapes" (SHACL)."""
    d = ontology_dir()
    names = sorted(n for n in os.listdir(d) if n.endswith(".ttl"))
    if kind == "shapes":
        return [os.path.join(d, n) for n in names if n.startswith("shapes")]
    return [os.path.join(d, n) for n in names if not n.startswith("shapes")]



def seeds_dir() -> str:
    """seeds/ of a source checkout, else the copy installed as the kg.seeds package: what
    ``kg build`` builds when given no input, from any folder."""
    repo = os.path.join(os.path.dirname(_HERE), "seeds")
    if os.path.isdir(repo) and os.path.isfile(os.path.join(os.path.dirname(_HERE), "pyproject.toml")):
        return repo
    installed = os.path.join(_HERE, "seeds")
    if os.path.isdir(installed):
        return installed
    raise FileNotFoundError("the govreport-kg seed reports are missing from this installation")
