from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def test_the_health_check_answers_without_touching_the_database_or_a_session(db):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/healthz")

    assert (response.status_code, response.content) == (200, b"ok")
    assert len(queries) == 0
    assert "sessionid" not in response.cookies
