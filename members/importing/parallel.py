"""Running the preview's checks of a file's chunks of rows on every core, the results in the file's order.

The workers are billiard's (Celery's own multiprocessing), which a daemonic process may start: a Celery prefork
worker's child, where the preview task runs, is one, and the standard library refuses it children. They are forked
from a fork server: a process started afresh (it inherits no database connection, file or lock of the caller's) that
has set Django up once (`preload`), so a worker starts in milliseconds with the apps loaded. A worker has no database
(`_refuse_database`): whatever a check reads comes with its chunk.

As with any process started afresh, a worker imports the caller's main module: a script that previews a file keeps
its work under `if __name__ == "__main__":` (manage.py, Celery and pytest do).
"""

import collections
import itertools
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Iterator

import billiard
import django
from django.apps import apps
from django.db import connections

_NOTHING = object()
# The preview's own process reads the file, makes the look-ups and writes the rows in order: when the workers share its
# cores at the same priority, it waits its turn after each query (measured: its look-ups took 2.5 times as long).
WORKER_NICENESS = 10

# In a worker: the function it runs and what it shares across the items (set by `_start_worker`).
_work = None


def _refuse_database(*args, **kwargs):
    raise RuntimeError("A preview worker has no database: what its checks read is looked up by the preview.")


def _start_worker(work: bytes) -> None:
    global _work
    os.nice(WORKER_NICENESS)
    if not apps.ready:  # the fork server's preload is only a hint
        django.setup()
    for alias in connections:
        connections[alias].connect = _refuse_database
    # Unpickled only now: the shared values hold model instances, which need the apps loaded.
    _work = pickle.loads(work)


def _run(item):
    function, shared = _work
    return function(shared, item)


def _close(pool) -> None:
    pool.close()
    pool.join()


class InOrder:
    """`function(shared, item)` for each item of a stream, the results in the items' order: in `processes` worker
    processes, or in this one when `processes` is 1 or the stream holds a single item (no worker is started).

    The items are made in this process as the workers ask for more (`results` draws them one by one), so that a
    stream that reads the database draws on this process's connection. A few items wait per worker: memory stays
    bounded whatever the stream's length."""

    def __init__(self, function: Callable, shared, *, processes: int):
        self.function, self.shared, self.processes = function, shared, processes
        self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if error_type is not None:
            pool.terminate()
            pool.join()
            return
        # Every result is in and the workers are idle. Closing them waits for billiard's supervisor thread, which
        # looks every 0.8 s (1.1 s at the end of each preview, measured): they are closed while the caller goes on.
        threading.Thread(target=_close, args=(pool,), name="import-checks-close").start()

    def results(self, items: Iterable) -> Iterator:
        items = iter(items)
        first, second = next(items, _NOTHING), next(items, _NOTHING)
        items = itertools.chain([item for item in (first, second) if item is not _NOTHING], items)
        if self.processes <= 1 or second is _NOTHING:
            for item in items:
                yield self.function(self.shared, item)
            return
        pool = self._start()
        waiting = collections.deque()
        for item in items:
            waiting.append(pool.apply_async(_run, (item,)))
            if len(waiting) > 2 * self.processes:
                yield waiting.popleft().get()
        while waiting:
            yield waiting.popleft().get()

    def _start(self):
        context = billiard.get_context("forkserver")
        context.set_forkserver_preload(["members.importing.preload"])
        work = pickle.dumps((self.function, self.shared), protocol=pickle.HIGHEST_PROTOCOL)
        self._pool = context.Pool(self.processes, initializer=_start_worker, initargs=(work,))
        return self._pool
