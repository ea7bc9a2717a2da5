"""Where the per-report work runs: results in order, a bounded number in flight."""
from kg import executors


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
