"""Where the per-report work of ``kg build`` runs: in this process, in a local process pool,
or on a Dask cluster (``kg build --executor dask://HOST:PORT``).

An executor maps a function over tasks and gives the results **in task order**, with a
bounded number of tasks in flight (twice the workers), so a corpus of any size streams
through the build's main process with at most that many reports' results in memory.

* :class:`Local` (``--jobs N``): ``N`` worker processes (forked where the platform can); the
  worker reads the report file itself, so tasks are small. ``--jobs 0`` runs the work in the
  build's own process (for profiling).
* :class:`Dask` (``dask://HOST:PORT``): the function is sent by reference to the cluster's
  workers, which must have this same version of govreport-kg installed (checked when
  connecting); tasks carry the report's bytes, so the workers need no shared file system.
  Needs the optional extra: ``pip install 'govreport-kg[dask]'``.
"""
from __future__ import annotations

import itertools
import os
from collections import deque
from typing import Any, Callable, Iterable, Iterator, Optional

from kg.errors import KGError

DASK_SCHEME = "dask://"


class Ready:
    """A task whose result is already known (a report taken from the cache): passed
    through in its place, never sent to a worker."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


class Local:
    """``jobs`` worker processes on this machine, started at once (before the build starts any
    thread: they are forked where the platform can), or none for ``jobs`` 0: the work runs in
    this process. ``warm_up``, run in each worker as it starts, loads what the work needs
    while the build's main process is still getting ready."""

    remote = False

    def __init__(self, jobs: int = 1, warm_up: Optional[Callable[[], None]] = None):
        self.jobs = max(0, jobs)
        self.pool = None
        if self.jobs:
            import multiprocessing as mp

            context = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
            self.pool = context.Pool(self.jobs, initializer=_worker_start, initargs=(os.getpid(), warm_up))

    def map(self, fn: Callable, tasks: Iterable) -> Iterator:
        pool = self.pool
        if pool is None:
            for t in tasks:
                yield t.value if isinstance(t, Ready) else fn(t)
            return
        # At most 2 x jobs reports in flight, taken in input order: Pool.imap would run ahead of
        # a main process that is busy writing, and hold every finished chunk (measured on the
        # 20 MB corpus: 1469 MiB peak with --jobs 2 against 471 MiB with --jobs 1).
        yield from _ordered(tasks, 2 * self.jobs, lambda t: pool.apply_async(fn, (t,)), lambda f: f.get())

    def close(self) -> None:
        """Every task is done: the workers are told to finish (a sentinel each, through the task
        queue) and exit on their own. Pool.terminate() here could leave the build waiting for
        ever: it takes the task queue's lock and signals workers that may be blocked on it."""
        if self.pool is not None:
            pool, self.pool = self.pool, None
            pool.close()
            pool.join()

    def abort(self) -> None:
        """The build failed or was interrupted: the workers are stopped where they are."""
        if self.pool is not None:
            pool, self.pool = self.pool, None
            pool.terminate()
            pool.join()


def _worker_start(parent: int, warm_up: Optional[Callable[[], None]]) -> None:
    """Run in each local worker as it starts: on Linux, the worker is killed with its parent
    (a build killed with SIGKILL leaves no worker running on, nor a traceback on stderr when
    one finds its pipe gone); then ``warm_up``."""
    if hasattr(os, "fork"):
        import ctypes
        import ctypes.util
        import signal

        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # not Linux: the worker ends on its own at a broken pipe
            pass
        if os.getppid() != parent:  # the parent died before the call above
            os._exit(1)
    if warm_up is not None:
        warm_up()


class Dask:
    """A Dask distributed cluster at ``address`` (``tcp://HOST:PORT`` or ``HOST:PORT``)."""

    remote = True

    def __init__(self, address: str, check: Optional[Callable[[], str]] = None):
        """``check``, a function of no arguments importable on the workers, is run on every
        worker and here; a worker that answers otherwise (other code) is refused."""
        try:
            from distributed import Client
        except ImportError:
            raise KGError("the Dask executor needs the dask extra: pip install 'govreport-kg[dask]'",
                          DASK_SCHEME + address) from None
        self.address = address if "://" in address else "tcp://" + address
        self.client: Any = None
        try:
            self.client = Client(self.address, set_as_default=False, timeout=30)
        except (OSError, TimeoutError) as e:
            raise KGError(f"cannot reach the Dask scheduler ({e})", DASK_SCHEME + address) from None
        if check is not None:
            mine = check()
            theirs = self.client.run(check)
            other = sorted(w for w, v in theirs.items() if v != mine)
            if other:
                self.close()
                raise KGError(f"Dask workers {', '.join(other)} run other code than this kg: install the same "
                              "govreport-kg on every worker", DASK_SCHEME + address)

    def workers(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map(self, fn: Callable, tasks: Iterable) -> Iterator:
        def submit(t):
            return self.client.submit(fn, t, pure=False)

        def result(f):
            value = f.result()
            f.release()
            return value

        yield from _ordered(tasks, 2 * self.workers(), submit, result)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    abort = close


def _ordered(tasks: Iterable, window: int, submit: Callable, result: Callable) -> Iterator:
    """Results in task order, with at most ``window`` tasks submitted and not yet taken
    (:class:`Ready` ones are not submitted: their value is given in their place)."""
    todo = iter(tasks)

    def send(t):
        return t if isinstance(t, Ready) else submit(t)

    pending = deque(send(t) for t in itertools.islice(todo, window))
    while pending:
        f = pending.popleft()
        value = f.value if isinstance(f, Ready) else result(f)
        for t in itertools.islice(todo, 1):
            pending.append(send(t))
        yield value


def check_spec(spec: Optional[str]) -> None:
    """KGError unless ``spec`` names an executor (checked before a build writes anything)."""
    if spec and spec != "local" and not (spec.startswith(DASK_SCHEME) and len(spec) > len(DASK_SCHEME)):
        raise KGError("unknown executor (want local or dask://HOST:PORT)", spec)


def executor(spec: Optional[str], jobs: int = 1, check: Optional[Callable[[], str]] = None,
             warm_up: Optional[Callable[[], None]] = None) -> Local | Dask:
    """The executor a ``--executor`` value names: none or ``local`` (``jobs`` processes here),
    or ``dask://HOST:PORT``."""
    check_spec(spec)
    if not spec or spec == "local":
        return Local(jobs, warm_up)
    return Dask(spec[len(DASK_SCHEME):], check)
