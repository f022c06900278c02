"""`manage.py synthetic_activity --as-of 2026-12-02 --seed 1`: the rollout's activity on a synthetic data set.

Run after `generate_synthetic`, on the same database: see demo/activity.py for what it adds.
"""

import datetime
import time

from django.core.management.base import CommandError

from audit.commands import ServiceCommand
from common.dates import today
from demo import activity as synthetic


class Command(ServiceCommand):
    help = (
        "Add accounts, activations over eight weeks, record verifications, support teams and help sessions to a "
        "synthetic data set, with the figures and their daily history. Only onto an untouched synthetic set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="The last day of the activity (YYYY-MM-DD; default today).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same activity.")

    def run(self, *args, as_of=None, seed=1, **options):
        started = time.monotonic()
        try:
            summary = synthetic.generate_activity(
                as_of=datetime.date.fromisoformat(as_of) if as_of else today(), seed=seed
            )
        except synthetic.ActivityExists:
            raise CommandError(
                "This database already has member accounts or rollout history: the activity goes onto a synthetic "
                "set straight after generate_synthetic."
            ) from None
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{summary.accounts:,} accounts ({summary.activated:,} activated), {summary.verified:,} records "
            f"verified, {summary.teams:,} teams, {summary.sessions:,} help sessions for {summary.helped:,} members "
            f"in {time.monotonic() - started:,.1f} s"
        )
