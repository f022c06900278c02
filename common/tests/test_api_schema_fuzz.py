"""Bad input: every API operation, fed what its OpenAPI schema allows and what it does not (schemathesis).

For each operation, called by a committee officer and by an ordinary member of the shared `tree`, no answer
may be a server error, every status code must be one the operation documents, and every body must match the
schema documented for its status code. The requests go in-process through Django's WSGI handler, so through
every middleware the real ones pass.

Each operation is a test of its own, parametrized by pytest over the schema built when the module is imported
(the first test checks that it is the very schema served at /api/openapi.json), with Hypothesis driving
schemathesis' strategies inside. Schemathesis' own pytest collection is not used: on pytest 9.2 its items all
get the same node id, and its lazy `from_fixture` loader fails outright (pytest 9.2 dropped `Node._nodeid`).
"""

import json
import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from ninja.responses import NinjaJSONEncoder
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from accounts.services import api_token_create
from sotay.api import api

from .matrix import context_for
from .test_permission_matrix import ENDPOINTS


class InTransactionWSGIApp:
    """Django's WSGI handler for requests made inside a test's transaction, as django.test.Client does it.

    Django closes "old" database connections when a request starts and ends; inside the test's transaction
    that would close the test's own connection. The body is read before the response is closed, so both
    signals can stay muted for the whole request.
    """

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def served_schema() -> dict:
    """The OpenAPI document as /api/openapi.json serves it (JSON through and through)."""
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


RAW_SCHEMA = served_schema()
schema = schemathesis.openapi.from_dict(RAW_SCHEMA)
schema.app = InTransactionWSGIApp()
OPERATIONS = {result.ok().label: result.ok() for result in schema.get_all_operations()}

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Bounded and the same on every run: each operation gets at most this many requests per user. The fixtures (the
# tree, the token) belong to the pytest test and are made once for all of an operation's examples, on purpose;
# the @given function takes none, so Hypothesis' function-scoped-fixture health check has nothing to object to.
FUZZ = settings(max_examples=15, derandomize=True, database=None, deadline=None)


def fuzz(operation: schemathesis.APIOperation, headers: dict[str, str], path_parameters: dict) -> int:
    """Call `operation` with valid and with invalid input (both of schemathesis' generation modes), and with
    valid input aimed at rows that exist (`path_parameters`), checking every answer; return how many calls
    were made.

    Every call runs in the calling test's one transaction and may meet the rows that earlier calls wrote.
    """
    calls = 0
    strategies = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    if path_parameters:
        strategies.append(operation.as_strategy(path_parameters=path_parameters))

    @FUZZ
    @given(case=st.one_of(strategies))
    def call_and_check(case):
        nonlocal calls
        calls += 1
        # The user's token replaces any Authorization header generated for the case: 401 is the answer to those.
        case.call_and_validate(headers=headers, checks=CHECKS)

    call_and_check()
    return calls


# The permission matrix's rows (common/tests/matrix.py) know how to make, inside commune A, a row that each
# API operation on one record can act on.
MATRIX_ROWS = {
    f"{endpoint.method.upper()} {endpoint.name.split()[1]}": endpoint for endpoint in ENDPOINTS if endpoint.is_api
}


def existing_path_parameters(operation: schemathesis.APIOperation, tree) -> dict:
    """Path parameters naming a row that exists: the one the operation's row in the permission matrix makes."""
    endpoint = MATRIX_ROWS.get(operation.label)
    if endpoint is None or "{" not in operation.path:
        return {}
    url = endpoint.url(context_for(endpoint, tree)).partition("?")[0]
    # "/api/members/{member_id}" → ["/api/members/", "{member_id}", ""]
    template = re.split(r"(\{\w+\})", operation.path)
    pattern = "".join(f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in template)
    match = re.fullmatch(pattern, url)
    assert match, f"{url} is not a path of {operation.label}"
    return {name: int(value) if value.isdigit() else value for name, value in match.groupdict().items()}


def bearer(user) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="schemathesis")
    return {"Authorization": f"Bearer {key}", "Accept-Language": "en"}


def test_the_fuzzed_schema_is_the_served_one_with_every_operation(db):
    served = Client().get("/api/openapi.json").json()

    assert served == RAW_SCHEMA
    assert len(OPERATIONS) == sum(len(methods) for methods in RAW_SCHEMA["paths"].values())
    assert len(OPERATIONS) > 60


@pytest.mark.parametrize("label", OPERATIONS)
def test_the_api_answers_a_committee_officer_as_documented(tree, label):
    operation = OPERATIONS[label]
    assert fuzz(operation, bearer(tree.users["officer_a"]), existing_path_parameters(operation, tree)) > 0


@pytest.mark.parametrize("label", OPERATIONS)
def test_the_api_answers_an_ordinary_member_as_documented(tree, label):
    operation = OPERATIONS[label]
    assert fuzz(operation, bearer(tree.users["member_a1"]), existing_path_parameters(operation, tree)) > 0
