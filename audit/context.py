"""Where a change comes from (web, API, import, command...), carried beside the request.

The entry point (middleware, API auth, a management command, the importer) says it once; every
service writing the change log reads it, so no service needs a `source` argument threaded through.
"""

import contextlib
import contextvars
import dataclasses
import uuid

from .choices import ChangeSource


@dataclasses.dataclass(frozen=True)
class ChangeContext:
    source: str = ChangeSource.SYSTEM
    request_id: uuid.UUID | None = None
    ip_address: str | None = None


# ChangeContext is frozen, so one shared default instance is safe.
_current: contextvars.ContextVar[ChangeContext] = contextvars.ContextVar("change_context", default=ChangeContext())  # noqa: B039


def current_context() -> ChangeContext:
    return _current.get()


@contextlib.contextmanager
def change_context(*, source: str, request_id: uuid.UUID | None = None, ip_address: str | None = None):
    token = _current.set(ChangeContext(source=source, request_id=request_id or uuid.uuid4(), ip_address=ip_address))
    try:
        yield
    finally:
        _current.reset(token)
