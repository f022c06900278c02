"""Every write, page or API call in a browser session, is refused without the CSRF token and changes nothing.

The endpoints are the permission matrix's (which covers every page and API operation); each is called by a
user who may make the change, so only the missing token stands in the way.
"""

import json

import pytest
from django.test import Client

from .matrix import WRITE, context_for
from .test_permission_matrix import ENDPOINTS, ancestor_user, database_fingerprint

WRITES = [endpoint for endpoint in ENDPOINTS if endpoint.kind == WRITE]


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda endpoint: endpoint.name)
def test_a_write_without_the_csrf_token_is_refused(endpoint, tree):
    ctx = context_for(endpoint, tree)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ancestor_user(tree, endpoint))
    data = endpoint.data(ctx) if endpoint.data else None
    before = database_fingerprint()

    if endpoint.is_api and endpoint.multipart:
        response = getattr(client, endpoint.method)(endpoint.url(ctx), data=data)
    elif endpoint.is_api:
        body = json.dumps(data) if data is not None else None
        response = getattr(client, endpoint.method)(endpoint.url(ctx), data=body, content_type="application/json")
    else:
        response = client.post(endpoint.url(ctx), data or {})

    assert response.status_code == 403
    assert database_fingerprint() == before


def test_the_writes_include_pages_and_api_operations():
    assert any(endpoint.is_api for endpoint in WRITES) and any(not endpoint.is_api for endpoint in WRITES)
