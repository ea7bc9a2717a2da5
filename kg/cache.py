"""OUT/.cache/: what a rebuild reuses.

Each report's serialised result is kept under a key made of its bytes, its file name
(the report id), the package's code and data, and the base IRI
(:func:`report_key`): a rebuild takes unchanged reports from here. ``build.json``
marks what the last build was made from (:func:`build_key`); when a build is asked
for exactly that again and its outputs are all there, nothing is written.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
from typing import Any, Optional

import kg
from kg.errors import KGError
from kg.files import atomic_write

MARK = "build.json"
_SUFFIX = ".pickle"


def code_key(base: str) -> str:
    """Changes when the package's code or data or the base IRI changes."""
    h = hashlib.sha256(f"{kg.__version__}|{base}".encode())
    root = os.path.dirname(os.path.abspath(kg.__file__))
    for d, dirs, names in sorted(os.walk(root)):
        dirs.sort()
        for n in sorted(names):
            if n.endswith((".py", ".tsv", ".json", ".txt", ".csv")):
                with open(os.path.join(d, n), "rb") as f:
                    h.update(n.encode() + f.read())
    return h.hexdigest()


def report_key(path: str, code: str) -> str:
    """A report's entry: its bytes, its file name (the report id) and :func:`code_key`."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read() + f"|{os.path.basename(path)}|{code}".encode()).hexdigest()


def build_key(keys: list[str], base: str, viz: bool, with_store: bool = True) -> str:
    """What a whole build is made from: its reports' keys, in order, and its options."""
    return hashlib.sha256(json.dumps([keys, base, viz] + ([] if with_store else ["no-store"])).encode()).hexdigest()


def load(folder: str, key: str) -> Optional[Any]:
    """The entry saved under ``key``, or None (missing, unreadable, or of other code)."""
    try:
        with open(os.path.join(folder, key + _SUFFIX), "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, AttributeError):
        return None


def save(folder: str, key: str, entry: Any) -> None:
    with contextlib.suppress(KGError):  # failing to save costs a rebuild, nothing else
        atomic_write(os.path.join(folder, key + _SUFFIX), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))


def read_mark(folder: str) -> Optional[dict]:
    try:
        with open(os.path.join(folder, MARK), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_mark(folder: str, key: str, result: dict) -> None:
    with open(os.path.join(folder, MARK), "w", encoding="utf-8") as f:
        json.dump({"key": key, "result": result}, f)


def remove_mark(folder: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(os.path.join(folder, MARK))


def merge(new: str, folder: str, keep: Optional[set[str]] = None) -> None:
    """Move the entries (and mark) written in ``new`` into ``folder``; with ``keep`` (this
    build's keys), entries of other inputs or older code are removed, so the cache holds
    what the graph beside it was built from and does not grow with every edit."""
    os.makedirs(folder, exist_ok=True)
    for n in os.listdir(new):
        os.replace(os.path.join(new, n), os.path.join(folder, n))
    if keep is not None:
        for n in os.listdir(folder):
            if n.endswith(_SUFFIX) and n[: -len(_SUFFIX)] not in keep:
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(folder, n))
