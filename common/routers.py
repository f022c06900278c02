"""Heavy read-only work goes to a PostgreSQL read replica when one is configured; everything else to the primary.

Only code that opts in reads from the replica (`with heavy_reads():` or `@heavy_read_view`): the figures,
report compilation and exports, which tolerate the replica's lag of a second or so. Pages that show what
the user has just changed always read the primary, so nobody sees their own write "disappear".
`READ_REPLICA` names the replica's alias (set from `DATABASE_REPLICA_URL`); without it the router is inert.
"""

import contextlib
import contextvars
import functools

from django.conf import settings

_heavy_reads = contextvars.ContextVar("heavy_reads", default=False)


@contextlib.contextmanager
def heavy_reads():
    token = _heavy_reads.set(True)
    try:
        yield
    finally:
        _heavy_reads.reset(token)


def heavy_read_view(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        # A form posted to such a view writes: only its GETs may read from the replica.
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with heavy_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replica = getattr(settings, "READ_REPLICA", None)
        return replica if replica and _heavy_reads.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
