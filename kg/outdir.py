"""OUT's layout on disk: generations, the pointer that says which is current, the lock.

    OUT/graph.nq    -> .kg/current/graph.nq     links, made by the first build into OUT
    OUT/graph.ttl   -> .kg/current/graph.ttl
    OUT/store       -> .kg/current/store
    OUT/tables      -> .kg/current/tables
    OUT/graph.html  -> .kg/current/graph.html
    OUT/.kg/current -> gen-…                    the pointer: one symbolic link
    OUT/.kg/gen-…/  one build's whole output, and its cache (.cache/, kg.cache) with the mark
    OUT/.kg/lock    held by the one build writing into OUT

A build writes everything into a new generation folder, writes the mark last, then switches
the pointer to it with one rename (:meth:`Writer.commit`). Whoever reads OUT's names sees
the old build or the new one, never parts of both; a build that fails or is killed, even by
SIGKILL, leaves OUT as it was, and the next build removes its unfinished folder. A second
build into the same OUT fails at once with one line while the first holds the lock.

:func:`open_generation` (what ``kg.open`` uses) reads the pointer once and holds a shared
lock on that generation for as long as the reader lives: a server answers from one
generation however often OUT is rebuilt meanwhile, and a build removes an older generation
only when no reader holds it (else the next build tries again). A folder without the
pointer (a build by an older version, a copied generation) is read as it is; its first
build here turns it into this layout, name by name, after the switch.

OUT may come from someone else: nothing here follows a link it did not make. The pointer
must name a ``gen-…`` folder inside ``.kg`` (not a link), leftovers are removed without
following links, and OUT's names are replaced by rename, never written through.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any, Optional

from kg.errors import KGError

try:
    import fcntl
except ImportError:  # not POSIX: no reader locks; removing a generation in use then fails and waits
    fcntl = None  # type: ignore[assignment]

GRAPH_NQ = "graph.nq"
GRAPH_TTL = "graph.ttl"
STORE_DIR = "store"
TABLES_DIR = "tables"
PAGE = "graph.html"
CACHE_DIR = ".cache"
EXPORT_DIR = "export"

META = ".kg"  # OUT/.kg/: generations, pointer, lock
CURRENT = "current"
LOCK = "lock"
LINKED = (GRAPH_NQ, GRAPH_TTL, STORE_DIR, TABLES_DIR, PAGE)  # OUT/<name> -> .kg/current/<name>
_GENERATION = re.compile(r"gen-[0-9A-Za-z-]{1,64}\Z")
_TEMP = (".kg-",)  # OUT/.kg-…: temp names of older versions and of this module (links in the making)


def _target(name: str) -> str:
    return f"{META}/{CURRENT}/{name}"


def current(out: str | os.PathLike) -> Optional[Path]:
    """OUT's current generation folder, or None (no pointer, or one that does not name a
    generation folder of OUT's own)."""
    pointer = Path(out) / META / CURRENT
    try:
        name = os.readlink(pointer)
    except OSError:
        return None
    if not _GENERATION.match(name):
        return None
    gen = Path(out) / META / name
    return gen if gen.is_dir() and not gen.is_symlink() else None


class Pin:
    """A shared lock on a generation folder, held while a reader uses it (closed with the reader)."""

    def __init__(self, fd: int):
        self.fd: Optional[int] = fd
        self._finalizer = weakref.finalize(self, os.close, fd)

    def close(self) -> None:
        self._finalizer()
        self.fd = None


def open_generation(out: str | os.PathLike) -> tuple[Path, Optional[Pin]]:
    """The folder to read OUT from: its current generation, pinned (see :class:`Pin`), or
    OUT itself when it has no valid pointer (a folder of an older version, or a copy that
    turned the links into files)."""
    out = Path(out)
    for _ in range(20):
        gen = current(out)
        if gen is None:
            return out, None
        try:
            fd = os.open(gen, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue  # switched and removed meanwhile: read the pointer again
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while a build renames it away
            if os.path.samestat(os.fstat(fd), os.stat(gen)):
                return gen, Pin(fd)
        except OSError:
            pass
        os.close(fd)
    raise KGError("the build keeps changing under the reader; try again", str(out))


def intact(out: str | os.PathLike, names: tuple[str, ...]) -> bool:
    """Each of ``names`` is in OUT as this module made it: a link into the current
    generation, to something there."""
    out = Path(out)
    return all((out / n).is_symlink() and os.readlink(out / n) == _target(n) and (out / n).exists() for n in names)


def _remove(path: Path) -> None:
    """Remove a file, link or folder without following links."""
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)


class Writer:
    """The one build writing into OUT, from ``__enter__`` (OUT made and checked, the lock
    taken, leftovers of killed builds removed) to ``__exit__``: :meth:`new_generation`,
    then :meth:`commit` or :meth:`abandon`."""

    def __init__(self, out: str | os.PathLike):
        self.out = Path(out)
        self.meta = self.out / META
        self.current: Optional[Path] = None
        self._lock: Optional[Any] = None  # a filelock.FileLock while held

    def __enter__(self) -> Writer:
        self._prepare()
        from filelock import FileLock, Timeout

        if (self.meta / LOCK).is_symlink():  # never ours (filelock would refuse it): remove the link only
            os.unlink(self.meta / LOCK)
        lock = FileLock(str(self.meta / LOCK), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise KGError("another kg build is writing into this folder; wait for it to finish, "
                          "or build into another folder", str(self.out)) from None
        except OSError as e:
            raise KGError(f"cannot lock {META}/{LOCK} ({e.strerror or e})", str(self.out)) from None
        self._lock = lock
        pointer = self.meta / CURRENT
        if os.path.lexists(pointer) and not pointer.is_symlink():  # not ours: a real file or folder
            self._trash(pointer)
        self.current = current(self.out)
        self.clean()
        return self

    def __exit__(self, *exc) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _prepare(self) -> None:
        out, meta = self.out, self.meta
        if os.path.exists(out) and not os.path.isdir(out):
            raise KGError("output exists and is not a folder", str(out))
        try:
            os.makedirs(out, exist_ok=True)
            if meta.is_symlink() or (os.path.lexists(meta) and not meta.is_dir()):
                raise KGError(f"{META} is not a folder of this program's (a link or a file); remove it", str(out))
            meta.mkdir(exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=meta, prefix="probe-"):
                pass
        except OSError as e:
            raise KGError(f"cannot write output ({e.strerror or e})", str(out)) from None

    def new_generation(self) -> Path:
        """An empty folder for the build to write into; not read by anyone until committed."""
        gen = self.meta / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
        gen.mkdir()
        return gen

    def abandon(self, gen: Path) -> None:
        _remove(gen)

    def commit(self, gen: Path) -> None:
        """Make ``gen`` OUT's content: links for its names, the pointer switched by one
        rename, then old generations removed (those no reader holds)."""
        out = self.out
        for name in LINKED:  # a name the old build lacked: its link now says "absent" until the switch
            if (gen / name).exists() and not os.path.lexists(out / name):
                self._link(name)
        tmp = self.meta / f"{CURRENT}.{secrets.token_hex(4)}.tmp"
        os.symlink(gen.name, tmp)
        os.replace(tmp, self.meta / CURRENT)  # the switch
        self.current = gen
        for name in LINKED:  # OUT of an older version (files in place), a link not ours, a name now absent
            p = out / name
            if (gen / name).exists():
                if not (p.is_symlink() and os.readlink(p) == _target(name)):
                    self._link(name)
            elif p.is_symlink():
                os.unlink(p)
            elif os.path.lexists(p):
                self._trash(p)
        if os.path.lexists(out / CACHE_DIR):  # an older version's cache (pickles): never read again
            self._trash(out / CACHE_DIR)
        self.clean()

    def _link(self, name: str) -> None:
        p = self.out / name
        tmp = self.out / f".kg-link-{secrets.token_hex(4)}"
        os.symlink(_target(name), tmp)
        if p.is_dir() and not p.is_symlink():
            self._trash(p)
        os.replace(tmp, p)

    def _trash(self, path: Path) -> None:
        """Move aside now (one rename), delete at once or, failing that, at the next clean."""
        trash = self.meta / f"trash-{secrets.token_hex(6)}"
        os.replace(path, trash)
        _remove(trash)

    def clean(self) -> None:
        """Remove what killed or older builds left: generations other than the current one
        (unless a reader holds them), trash, half-made pointers and links."""
        keep = {LOCK, CURRENT} | ({self.current.name} if self.current is not None else set())
        with contextlib.suppress(OSError):
            for name in os.listdir(self.meta):
                if name in keep:
                    continue
                p = self.meta / name
                if _GENERATION.match(name):
                    self._remove_unread(p)
                elif name.startswith(("trash-", f"{CURRENT}.", "probe-")):
                    _remove(p)
        with contextlib.suppress(OSError):
            for name in os.listdir(self.out):
                if name.startswith(_TEMP):
                    _remove(self.out / name)

    def _remove_unread(self, gen: Path) -> None:
        if gen.is_symlink() or not gen.is_dir():
            _remove(gen)
            return
        try:
            fd = os.open(gen, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    return  # a reader holds it: the next build tries again
            trash = self.meta / f"trash-{secrets.token_hex(6)}"
            os.replace(gen, trash)
        except OSError:
            return
        finally:
            os.close(fd)
        _remove(trash)
