"""OUT's build cache (``.cache/`` in each generation, see kg.outdir): what a rebuild reuses.

Each report's serialised result (a :class:`kg.pipeline.Chunk`) is kept under a key made
of its bytes, its file name (the report id), the package's code and data, and the base
IRI (:func:`report_key`): a rebuild takes unchanged reports from here. ``build.json``
marks what the build was made from (:func:`build_key`) and what it gave; when a build is
asked for exactly that again and its outputs are all there, nothing is written.

An OUT folder may come from someone else, so nothing here can run code or slip triples
into a graph: entries and the mark are JSON (no pickle), each signed with HMAC-SHA256
under a key of this user's, kept outside OUT (:func:`secret`). An entry that is not a
regular file, is larger than :data:`MAX_ENTRY_BYTES`, fails its signature or does not have
the expected shape is ignored: the report is built again. Another user's cache is never
used, only rebuilt.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
from typing import Any, Optional

import kg
from kg.errors import KGError
from kg.files import atomic_write

MARK = "build.json"
SUFFIX = ".json"
MAX_ENTRY_BYTES = 1 << 30  # an entry is a few times its report's size; a larger file is not ours
KEY_ENV = "KG_CACHE_KEY_FILE"  # where the signing key lives, when not in the user's cache folder
_MAGIC = b"govreport-kg cache 1 "
_SECRET: Optional[bytes] = None


def code_key(base: str) -> str:
    """Changes when the package's code or data or the base IRI changes."""
    h = hashlib.sha256(f"{kg.__version__}|{base}".encode())
    root = os.path.dirname(os.path.abspath(kg.__file__))
    for d, dirs, names in sorted(os.walk(root)):
        dirs.sort()
        for n in sorted(names):
            if n.endswith((".py", ".tsv", ".json", ".txt", ".csv", ".model")):
                with open(os.path.join(d, n), "rb") as f:
                    h.update(n.encode() + f.read())
    return h.hexdigest()


def report_key(path: str, code: str, data: Optional[bytes] = None) -> str:
    """A report's entry: its bytes (``data``, else read from ``path``), its file name (the
    report id) and :func:`code_key`."""
    if data is None:
        with open(path, "rb") as f:
            data = f.read()
    return hashlib.sha256(data + f"|{os.path.basename(path)}|{code}".encode()).hexdigest()


def build_key(keys: list[str], base: str, viz: bool, with_store: bool = True) -> str:
    """What a whole build is made from: its reports' keys, in order, and its options."""
    return hashlib.sha256(json.dumps([keys, base, viz] + ([] if with_store else ["no-store"])).encode()).hexdigest()


# --------------------------------------------------------------------------- the signing key


def key_file() -> str:
    """``$KG_CACHE_KEY_FILE``, else ``$XDG_CACHE_HOME/govreport-kg/cache-key`` (``~/.cache/…``)."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV]
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(home, "govreport-kg", "cache-key")


def secret() -> bytes:
    """This user's signing key: 32 random bytes made on first use, readable by the user only.

    When it can be neither read nor made (a read-only home), a key for this process only:
    the cache then works within one process and is rebuilt by the next."""
    global _SECRET
    if _SECRET is None:
        path = key_file()
        try:
            _SECRET = _read_small(path, 4096)
        except OSError:
            _SECRET = None
        if not _SECRET or len(_SECRET) < 32:
            _SECRET = _make_key(path)
    return _SECRET


def _make_key(path: str) -> bytes:
    new = secrets.token_bytes(32)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd = os.open(path + f".{os.getpid()}.tmp", os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(new)
        try:
            os.link(path + f".{os.getpid()}.tmp", path)  # fails if another process made one first
        finally:
            os.unlink(path + f".{os.getpid()}.tmp")
    except FileExistsError:
        with contextlib.suppress(OSError):
            return _read_small(path, 4096) or new
    except OSError:
        pass
    return new


def _read_small(path: str, limit: int) -> bytes:
    """A regular file's bytes, up to ``limit``: OSError for anything else (a FIFO, a device,
    a link, a folder, a larger file), without blocking on it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            raise OSError(f"not a regular file of at most {limit} bytes")
        return f.read(limit + 1)[:limit]


def _sign(name: str, body: bytes | memoryview) -> bytes:
    mac = hmac.new(secret(), name.encode() + b"\0", hashlib.sha256)
    mac.update(body)
    return mac.hexdigest().encode()


_BLOB = "\x00blob"  # {_BLOB: [i, "b" | "s"]}: the i-th blob, as bytes or as text
_TUPLE = "\x00tuple"  # {_TUPLE: [...]}: a tuple, which JSON would turn into a list
_INLINE = 512  # longer texts go into blobs


def _encode(v: Any, blobs: list[bytes]) -> Any:
    """``v`` as JSON, with bytes and long texts moved out into ``blobs``."""
    if isinstance(v, str):
        if len(v) < _INLINE:
            return v
        blobs.append(v.encode("utf-8"))
        return {_BLOB: [len(blobs) - 1, "s"]}
    if isinstance(v, (bytes, bytearray)):
        blobs.append(bytes(v))
        return {_BLOB: [len(blobs) - 1, "b"]}
    if isinstance(v, tuple):
        return {_TUPLE: [_encode(x, blobs) for x in v]}
    if isinstance(v, list):
        return [_encode(x, blobs) for x in v]
    if isinstance(v, dict):
        return {str(k): _encode(x, blobs) for k, x in v.items()}
    return v


def _pack(name: str, value: Any) -> bytes:
    """``MAGIC mac\\n``, a JSON line of the blobs' byte lengths, a JSON line of ``value``, then
    the blobs raw: bytes and long texts (a chunk's N-Quads, Turtle, CSV) are not escaped into
    JSON, which would cost most of a load."""
    blobs: list[bytes] = []
    head = json.dumps(_encode(value, blobs), ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    body = b"".join([json.dumps([len(b) for b in blobs]).encode(), b"\n", head, b"\n", *blobs])
    return _MAGIC + _sign(name, body) + b"\n" + body


def _unpack(path: str, name: str) -> Optional[Any]:
    """The value of a signed file, or None (missing, not ours, altered, unreadable)."""
    try:
        data = _read_small(path, MAX_ENTRY_BYTES)
    except OSError:
        return None
    view = memoryview(data)
    first = data.find(b"\n")
    if first < 0 or not data.startswith(_MAGIC):
        return None
    if not hmac.compare_digest(data[len(_MAGIC):first], _sign(name, view[first + 1:])):
        return None
    second = data.find(b"\n", first + 1)
    third = data.find(b"\n", second + 1)
    spans: list[tuple[int, int]] = []

    def hook(d: dict) -> Any:
        if len(d) == 1 and _BLOB in d:
            i, kind = d[_BLOB]
            a, b = spans[i]
            return bytes(view[a:b]) if kind == "b" else str(view[a:b], "utf-8")
        if len(d) == 1 and _TUPLE in d:
            return tuple(d[_TUPLE])
        return d

    try:
        at = third + 1
        for n in json.loads(data[first + 1:second]):
            spans.append((at, at + int(n)))
            at += int(n)
        return json.loads(data[second + 1:third], object_hook=hook)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


# --------------------------------------------------------------------------- entries and the mark


def has(folder: str, key: str) -> bool:
    """Whether an entry is saved under ``key`` (it may still prove unreadable)."""
    return os.path.exists(entry_path(folder, key))


def load(folder: str, key: str) -> Optional[Any]:
    """The chunk saved under ``key``, or None (missing, unreadable, not signed by this
    user's key, of another shape)."""
    from kg.pipeline import Chunk

    value = _unpack(entry_path(folder, key), key)
    if not isinstance(value, dict):
        return None
    try:
        chunk = Chunk(**value)
    except TypeError:
        return None
    return chunk if _shape_ok(chunk) else None


def _shape_ok(obj: Any) -> bool:
    """Each field of the dataclass ``obj`` holds a value of its declared type (outer type only)."""
    import dataclasses
    import typing

    hints = typing.get_type_hints(type(obj))
    for f in dataclasses.fields(obj):
        want = typing.get_origin(hints[f.name]) or hints[f.name]
        if isinstance(want, type) and not isinstance(getattr(obj, f.name), want):
            return False
    return True


def save(folder: str, key: str, chunk: Any) -> None:
    import dataclasses

    value = {f.name: getattr(chunk, f.name) for f in dataclasses.fields(chunk)}
    with contextlib.suppress(KGError):  # failing to save costs a rebuild, nothing else
        atomic_write(entry_path(folder, key), _pack(key, value))


def entry_path(folder: str, key: str) -> str:
    return os.path.join(folder, key + SUFFIX)


def copy_entry(src_folder: str, dest_folder: str, key: str) -> None:
    """Carry an entry a build reused into the new generation's cache (a hard link when the
    file system allows, else a copy); a failure costs a rebuild next time, nothing else."""
    src, dest = entry_path(src_folder, key), entry_path(dest_folder, key)
    if os.path.exists(dest):
        return
    try:
        os.link(src, dest, follow_symlinks=False)
    except OSError:
        with contextlib.suppress(OSError, KGError):
            atomic_write(dest, _read_small(src, MAX_ENTRY_BYTES))


_MARK_RESULT = {"base": str, "reports": list, "triple_count": int}


def read_mark(folder: str) -> Optional[dict]:
    """``{"key": …, "result": {"base", "reports", "triple_count", …}}`` of the build whose
    cache ``folder`` is, or None when there is none or it is not a valid mark of ours."""
    mark = _unpack(os.path.join(folder, MARK), MARK)
    if not isinstance(mark, dict) or not isinstance(mark.get("key"), str) or not isinstance(mark.get("result"), dict):
        return None
    result = mark["result"]
    if not all(isinstance(result.get(k), t) for k, t in _MARK_RESULT.items()):
        return None
    if not all(isinstance(r, dict) for r in result["reports"]):
        return None
    return mark


def write_mark(folder: str, key: str, result: dict) -> None:
    """Written last, into the finished generation: it says what the build holds."""
    atomic_write(os.path.join(folder, MARK), _pack(MARK, {"key": key, "result": result}))
