"""Benchmark 4 of issue 8: the member home page and its API under concurrent load, beside the framework's ceiling.

Against gunicorn on loopback over a database with the demo data (benchmarks/README.md has the commands):

    /tmp/locust-venv/bin/locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:8001 MemberOnPhone
    /tmp/locust-venv/bin/locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:8001 Ceiling

`MemberOnPhone` signs in as the demo member and opens what a member opens on the evening of a meeting: the
home page, then the next meeting and the unread count through the API. `Ceiling` asks /healthz, which does
no database or session work: the most this server set-up can answer.

Think time between a user's requests is 0.5-1.5 s (a person on a phone); `SOTAY_THINK=0` removes it, so
that each user sends its next request as soon as the last is answered: the server's throughput.
"""

import os
import re

from locust import HttpUser, between, constant, task

MEMBER = ("dangvien", "sotay-demo-2026")
THINK = constant(0) if os.environ.get("SOTAY_THINK") == "0" else between(0.5, 1.5)


class MemberOnPhone(HttpUser):
    wait_time = THINK

    def on_start(self):
        page = self.client.get("/login/", name="/login/ (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        username, password = MEMBER
        self.client.post(
            "/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/login/"},
            name="/login/ (sign in)",
        )

    @task(3)
    def home(self):
        self.client.get("/handbook/", name="/handbook/ (home)")

    @task(1)
    def next_meeting(self):
        self.client.get("/api/meetings/next", name="/api/meetings/next")

    @task(1)
    def unread(self):
        self.client.get("/api/notifications/unread-count", name="/api/notifications/unread-count")


class Ceiling(HttpUser):
    wait_time = THINK

    @task
    def health(self):
        self.client.get("/healthz", name="/healthz")
