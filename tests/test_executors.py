"""Where the per-report work runs: the same bytes out of a local pool and a Dask cluster."""
import filecmp
import os
import shutil
import threading

import pytest

from conftest import CORPUS, SEED
from kg import executors
from kg.errors import KGError
from kg.pipeline import build

OUTPUTS = ["graph.nq", "graph.ttl", "graph.html"] + [f"tables/{n}.csv" for n in
                                                      ("sections", "entities", "mentions", "targets", "observations")]


def _inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEED, d)
    shutil.copy(os.path.join(CORPUS, "baoding-2025.txt"), d)
    return str(d)


def _same_outputs(a, b):
    match, mismatch, errors = filecmp.cmpfiles(a, b, OUTPUTS, shallow=False)
    assert (mismatch, errors) == ([], [])


def _quads(out):
    import pyoxigraph as ox

    store = ox.Store.read_only(os.path.join(out, "store"))
    return sorted(map(str, store))


def test_ordered_results_with_a_bounded_window():
    submitted, taken = [], []

    def submit(t):
        submitted.append(t)
        assert len(submitted) - len(taken) <= 3  # never more than the window in flight
        return t

    def result(t):
        taken.append(t)
        return t * 10

    assert list(executors._ordered(range(10), 3, submit, result)) == [t * 10 for t in range(10)]


def test_ready_tasks_pass_through_in_their_place():
    tasks = [1, executors.Ready("cached"), 3]
    assert list(executors.Local(0).map(lambda t: t * 2, tasks)) == [2, "cached", 6]
    assert list(executors._ordered(tasks, 2, lambda t: t * 2, lambda f: f)) == [2, "cached", 6]


@pytest.mark.parametrize("spec", ["dask://", "spark://host:1", "threads"])
def test_unknown_executor_is_one_line(spec):
    with pytest.raises(KGError, match="unknown executor"):
        executors.executor(spec)


def test_unknown_executor_leaves_out_untouched(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(KGError, match="unknown executor"):
        build([SEED], str(out), executor="spark://host:1")
    assert not out.exists()


def test_dask_cluster_gives_the_bytes_of_a_local_build(tmp_path):
    distributed = pytest.importorskip("distributed")
    d = _inputs(tmp_path)
    local, remote = str(tmp_path / "local"), str(tmp_path / "dask")
    build([d], local, cache=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        first = build([d], remote, executor=address)
        _same_outputs(local, remote)
        assert _quads(local) == _quads(remote)
        # the cache is kept by this process: a changed report is rebuilt on the cluster, the other reused
        with open(os.path.join(d, "baoding-2025.txt"), "a", encoding="utf-8") as f:
            f.write("\n各位代表！让我们团结一心，奋勇争先。\n")
        second = build([d], remote, executor=address)
    assert first.reused == 0 and second.reused == 1
    build([d], local, cache=False)
    _same_outputs(local, remote)


def test_a_worker_running_other_code_is_refused(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        with pytest.raises(KGError, match="other code"):  # the worker runs on a thread of its own
            executors.Dask(cluster.scheduler_address, check=_thread_name)


def _thread_name() -> str:
    return threading.current_thread().name


def test_local_workers_finish_on_their_own_once_every_task_is_done(monkeypatch):
    # a sentinel each, not Pool.terminate(): that takes the task queue's lock and signals workers,
    # which can leave the build waiting for ever (seen once in a full test run)
    ex = executors.Local(2)
    workers = list(ex.pool._pool)
    monkeypatch.setattr(type(ex.pool), "terminate", lambda self: pytest.fail("workers terminated"))
    assert list(ex.map(abs, [-1, -2, -3])) == [1, 2, 3]
    ex.close()
    assert [p.exitcode for p in workers] == [0, 0]


def test_an_aborted_local_pool_stops_its_workers():
    ex = executors.Local(2)
    workers = list(ex.pool._pool)
    ex.abort()
    assert all(p.exitcode is not None for p in workers)
    ex.close()  # nothing left to close
