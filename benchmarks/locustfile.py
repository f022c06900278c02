"""Benchmark 4 of issue 8: the member home page and its API under concurrent load, beside the framework's ceiling.

Against gunicorn on loopback over a database with the demo data (benchmarks/README.md has the commands):

    /tmp/locust-venv/bin/locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:8001 MemberOnPhone
    /tmp/locust-venv/bin/locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:8001 Ceiling

Benchmark 5 (300 users of mixed roles; accounts made by benchmarks/load_accounts.py):

    /tmp/locust-venv/bin/locust -f benchmarks/locustfile.py --headless -u 300 -r 10 -t 5m \
        --host http://127.0.0.1:8001 LoadMember LoadSecretary LoadOfficer LoadSupporter

`MemberOnPhone` signs in as a member of its own (benchmarks/load_accounts.py makes 240: `load_m001`...; no two
simulated users share a member, a session or a kept home page) and opens what a member opens on the evening of
a meeting: the home page, then the next meeting and the unread count through the API. Every answer must be the
page asked for: a redirect to the sign-in page, or a page without the marker expected of it, is a failure.
`Ceiling` asks /healthz, which does no database or session work: the most this server set-up can answer.

`MemberHome NationalNotice` (51 users: 50 members and one central officer, `load_c01`) is the meeting evening's
worst moment: `SOTAY_NOTICE_AT` seconds into the run (default 60) the officer publishes a notice from the central
unit to the whole country, which changes every member's home at once. At the end of the run the home's p50/p95
are printed for the minute before the notice and the minute after it (from every answer's own time).

Think time between a user's requests is 0.5-1.5 s (a person on a phone); `SOTAY_THINK=0` removes it, so
that each user sends its next request as soon as the last is answered: the server's throughput.
"""

import hashlib
import hmac
import itertools
import os
import re
import time

from locust import HttpUser, between, constant, events, task

THINK = constant(0) if os.environ.get("SOTAY_THINK") == "0" else between(0.5, 1.5)
LOAD_PASSWORD = "load-test-2026"
# An answer slower than this counts as an error: without it, locust would wait for ever and never fail.
TIMEOUT = 30
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MEMBER_LINK = re.compile(r'href="/members/(\d+)/"')
# What an answer must contain to count as the page asked for: the home's record card, the API's JSON key.
HOME_MARKER = 'id="record-card-title"'
PHONE_MEMBERS = itertools.count(1)


class SignedIn(HttpUser):
    abstract = True
    wait_time = THINK
    prefix = ""
    serial = None
    width = "03d"

    def on_start(self):
        self.username = f"{self.prefix}{next(self.serial):{self.width}}"
        self.form_post("/login/", {"username": self.username, "password": LOAD_PASSWORD}, "sign in")

    def form_post(self, path: str, data: dict, step: str):
        """GET the form, POST it with its CSRF token; a failure if the answer is the same form again."""
        page = self.client.get(path, name=f"{path} (form)", timeout=TIMEOUT)
        data = {**data, "csrfmiddlewaretoken": CSRF.search(page.text).group(1)}
        headers = {"Referer": f"{self.host}{path}"}
        with self.client.post(
            path, data=data, headers=headers, name=f"{path} ({step})", timeout=TIMEOUT, catch_response=True
        ) as response:
            if response.url and response.url.endswith(path):
                response.failure(f"{step} refused")

    def page(self, path: str, name: str | None = None, *, expect: str | None = None):
        with self.client.get(path, name=name or path, catch_response=True, timeout=TIMEOUT) as response:
            # A page that quietly sent us back to sign in is a failure too, not a 200.
            if response.url and "/login/" in response.url:
                response.failure("signed out")
            elif response.status_code != 200:
                response.failure(f"answered {response.status_code}")
            elif expect is not None and expect not in response.text:
                response.failure(f"not the expected answer (no {expect!r})")
            return response


class MemberOnPhone(SignedIn):
    """A member of their own on the evening of a meeting: home (3 of 5 requests), next meeting, unread count."""

    prefix, serial = "load_m", PHONE_MEMBERS

    @task(3)
    def home(self):
        asked = time.time()
        response = self.page("/handbook/", HOME_REQUEST, expect=HOME_MARKER)
        if published_at and asked > published_at[0] and response.status_code == 200:
            homes_after_notice["with it" if NOTICE_TITLE in response.text else "without it"] += 1

    @task(1)
    def next_meeting(self):
        self.page("/api/meetings/next")

    @task(1)
    def unread(self):
        self.page("/api/notifications/unread-count", expect='"unread"')


class MemberHome(SignedIn):
    """Distinct members asking only for the home page, again and again (a reload, the app brought back).

    Not a subclass of MemberOnPhone: locust adds a parent's tasks to a child's, so it asked the API too."""

    prefix, serial = "load_m", PHONE_MEMBERS
    home = MemberOnPhone.home
    tasks = [home]


HOME_REQUEST = "/handbook/ (home)"
NOTICE_AT = float(os.environ.get("SOTAY_NOTICE_AT", "60"))
# (when answered, ms) of every home answer, and when the national notice came out: for the minute after it.
home_times: list[tuple[float, float]] = []
published_at: list[float] = []
run_started: list[float] = []
# The notice's title, new in every run, and how many homes answered after it showed it (a page kept from before
# it would not: the test of the invalidation, beside its cost).
NOTICE_TITLE = f"Thông báo toàn quốc (thử tải {time.strftime('%H:%M:%S')})"
homes_after_notice = {"with it": 0, "without it": 0}


@events.test_start.add_listener
def _run_start(**_kwargs):
    run_started.append(time.time())


@events.request.add_listener
def _home_answered(name, response_time, exception, **_kwargs):
    if name == HOME_REQUEST and exception is None:
        home_times.append((time.time(), response_time))


def _percentiles(times: list[float]) -> str:
    if not times:
        return "no answer"
    ordered = sorted(times)
    pick = lambda fraction: ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]  # noqa: E731
    return f"{len(ordered)} answers, p50 {pick(0.5):.0f} ms, p95 {pick(0.95):.0f} ms, max {ordered[-1]:.0f} ms"


@events.quitting.add_listener
def _report_minute_after(**_kwargs):
    if not published_at:
        return
    moment = published_at[0]
    before = [ms for at, ms in home_times if moment - 60 <= at < moment]
    after = [ms for at, ms in home_times if moment <= at < moment + 60]
    print(f"home, the minute before the national notice: {_percentiles(before)}")
    print(f"home, the minute after the national notice:  {_percentiles(after)}")
    print(
        f"homes asked after the notice was published: {homes_after_notice['with it']} showed it, "
        f"{homes_after_notice['without it']} did not"
    )


class NationalNotice(SignedIn):
    """One officer of the central committee who publishes a notice to the whole country in mid-run, once."""

    fixed_count = 1
    prefix, width, serial = "load_c", "02d", itertools.count(1)
    wait_time = constant(1)

    def on_start(self):
        super().on_start()
        self.form_post("/security/two-factor/verify/", {"code": totp_code(self.username)}, "code")

    @task
    def publish_once(self):
        if published_at or time.time() < run_started[0] + NOTICE_AT:
            return
        data = {"unit": "TW", "title": NOTICE_TITLE, "body": "Nội dung thông báo thử tải."}
        page = self.client.get("/notices/new/", name="/notices/new/ (form)", timeout=TIMEOUT)
        data["csrfmiddlewaretoken"] = CSRF.search(page.text).group(1)
        with self.client.post(
            "/notices/new/",
            data=data,
            headers={"Referer": f"{self.host}/notices/new/"},
            name="/notices/new/ (publish)",
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.url and response.url.endswith("/notices/new/"):
                response.failure("the notice was refused")
            else:
                published_at.append(time.time())
                print(f"national notice published {published_at[0] - run_started[0]:.1f} s into the run")


class Ceiling(HttpUser):
    wait_time = THINK

    @task
    def health(self):
        self.client.get("/healthz", name="/healthz")


# Benchmark 5: 300 people of four roles at once, each with an account of their own (benchmarks/load_accounts.py).
MIXED_THINK = between(1, 3)


class Mixed(SignedIn):
    abstract = True
    wait_time = MIXED_THINK


def totp_code(username: str) -> str:
    """RFC 6238 with the key benchmarks/load_accounts.py gives the load officers."""
    key = bytes.fromhex(hashlib.sha1(f"sotay-load-{username}".encode()).hexdigest())
    digest = hmac.new(key, int(time.time() // 30).to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset : offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


class LoadMember(Mixed):
    fixed_count = 240
    prefix, width, serial = "load_m", "03d", itertools.count(1)

    @task(4)
    def home(self):
        self.page("/handbook/", "/handbook/ (home)")

    @task(2)
    def next_meeting(self):
        self.page("/api/meetings/next")

    @task(2)
    def unread(self):
        self.page("/api/notifications/unread-count")

    @task(1)
    def notices(self):
        self.page("/notices/")

    @task(1)
    def my_record(self):
        self.page("/me/")

    @task(1)
    def documents(self):
        self.page("/library/")


class LoadSecretary(Mixed):
    fixed_count = 30
    prefix, width, serial = "load_s", "02d", itertools.count(1)

    @task(2)
    def meetings(self):
        self.page("/meetings/")

    @task(2)
    def members(self):
        self.page("/members/", "/members/ (cell)")

    @task(1)
    def questions(self):
        self.page("/questions/queue/")

    @task(1)
    def corrections(self):
        self.page("/corrections/queue/")


class LoadOfficer(Mixed):
    fixed_count = 20
    prefix, width, serial = "load_o", "02d", itertools.count(1)

    def on_start(self):
        super().on_start()
        self.form_post("/security/two-factor/verify/", {"code": totp_code(self.username)}, "code")
        self.member_ids = [int(pk) for pk in MEMBER_LINK.findall(self.page("/members/", "/members/ (ward)").text)]

    @task(3)
    def member_list(self):
        self.page("/members/", "/members/ (ward)")

    @task(2)
    def search(self):
        self.page("/members/?q=nguyen+thi", "/members/?q= (search)")

    @task(2)
    def member_detail(self):
        if self.member_ids:
            self.page(f"/members/{self.member_ids[int(time.time()) % len(self.member_ids)]}/", "/members/<id>/")

    @task(2)
    def rollout(self):
        self.page("/rollout/HY-X01/", "/rollout/<unit>/")

    @task(1)
    def unit(self):
        self.page("/units/HY-X01/", "/units/<unit>/")

    @task(1)
    def reports(self):
        self.page("/reports/")


class LoadSupporter(Mixed):
    fixed_count = 10
    prefix, width, serial = "load_h", "02d", itertools.count(1)

    @task(2)
    def rollout(self):
        self.page("/rollout/")

    @task(1)
    def figures(self):
        self.page("/rollout/HY-X01/", "/rollout/<unit>/")
