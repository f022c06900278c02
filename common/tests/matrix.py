"""The permission matrix's vocabulary. Each app lists its endpoints in `<app>/tests/endpoints.py`.

An endpoint acts on something inside commune A of the `tree` fixture. It is called as four kinds of
user: anonymous, signed in with no role, holding a role on the sibling commune B, and holding a role
on the province (an ancestor of A). `common/tests/test_permission_matrix.py` applies the matrix.
"""

import dataclasses
import types
from collections.abc import Callable

READ, WRITE, LIST = "read", "write", "list"


@dataclasses.dataclass(frozen=True)
class Endpoint:
    name: str  # URL name for pages ("members:detail"), "METHOD /api/path" for the API
    kind: str  # READ, WRITE or LIST
    method: str
    url: Callable  # ctx -> str; ctx has the tree's attributes and whatever `prepare` returned
    data: Callable | None = None  # ctx -> form data (pages) or JSON body (API)
    is_api: bool = False
    # Runs before the call (and before the database is fingerprinted): objects the endpoint acts on.
    prepare: Callable | None = None  # tree -> dict of extra attributes for ctx
    # A list must not show this text to refused users (it names something in commune A)...
    hidden_text: str = ""
    # ...and shows this one to a user with a role on the province (hidden_text when empty).
    ancestor_text: str = ""
    # The role on the province that must succeed (default: viewer for reads, committee admin for writes).
    ancestor_role: str = ""
    # An API operation taking a file: its data is sent as a multipart form, not as JSON.
    multipart: bool = False


def page(name, kind, method, url, data=None, **options) -> Endpoint:
    return Endpoint(name=name, kind=kind, method=method, url=url, data=data, **options)


def api(method, route, kind, url, data=None, **options) -> Endpoint:
    return Endpoint(name=f"{method} /api{route}", kind=kind, method=method, url=url, data=data, is_api=True, **options)


def context_for(endpoint: Endpoint, tree) -> types.SimpleNamespace:
    prepared = endpoint.prepare(tree) if endpoint.prepare else {}
    return types.SimpleNamespace(**vars(tree), **prepared)
