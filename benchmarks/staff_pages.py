"""CPU per request of the pages the officials of benchmark 7 open, in one process (the staff side of
benchmarks/home_page.py).

On the demo database with the load accounts (benchmarks/README.md, section 7, has the set-up):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sotay_demo DEBUG=0 REDIS_URL=redis://127.0.0.1:6379/8 \
      ALLOWED_HOSTS=testserver .venv/bin/python benchmarks/staff_pages.py load_o03          # a ward officer
    ... benchmarks/staff_pages.py load_s03 /meetings/ /members/ /questions/queue/ /corrections/queue/   # a secretary
    ... benchmarks/staff_pages.py load_h03 /rollout/ /rollout/HY-X01/                                  # a supporter

Signs the user in with Django's test client (force_login) and, when they have a TOTP device, marks the session as past
the second step as the sign-in form would; asks each page 5 times to warm up, then reports the median of this
process's CPU time over `--requests` requests (the database's own time is not in it).
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sotay.settings.base")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import User  # noqa: E402

OFFICER_PATHS = [
    "/members/",
    "/members/?q=nguyen+thi",
    "/members/{member}/",
    "/rollout/HY-X01/",
    "/units/HY-X01/",
    "/reports/",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("user")
    parser.add_argument("paths", nargs="*", help="default: the ward officer's pages of benchmark 7")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    paths = args.paths or OFFICER_PATHS
    if any("{member}" in path for path in paths):
        member = re.search(r'href="/members/(\d+)/"', client.get("/members/").text).group(1)
        paths = [path.format(member=member) for path in paths]
    for path in paths:
        for _ in range(5):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        cpu = []
        for _ in range(args.requests):
            start = time.process_time()
            client.get(path)
            cpu.append((time.process_time() - start) * 1000)
        print(f"{path:30} cpu p50 {statistics.median(cpu):6.1f} ms")


if __name__ == "__main__":
    main()
