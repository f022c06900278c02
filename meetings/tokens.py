"""The QR check-in token: a signed, timestamped meeting id.

The secretary's "show QR" page renders a fresh token about every minute; each is valid for
`TOKEN_LIFETIME`. A token names the meeting and the moment it was issued, signed with SECRET_KEY under its
own salt, so it cannot be forged nor moved to another meeting.
"""

import dataclasses
import datetime

from django.core import signing
from django.utils import timezone

SALT = "meetings.check-in"
TOKEN_LIFETIME = datetime.timedelta(minutes=5)
# How often the QR page asks for a new token (a token outlives several refreshes, so a scan never races one).
REFRESH_SECONDS = 60
# A check-in queued offline may arrive this long after the scan; later it is refused.
OFFLINE_GRACE = datetime.timedelta(hours=48)


@dataclasses.dataclass(frozen=True)
class Token:
    meeting_id: int
    issued_at: datetime.datetime

    @property
    def expires_at(self) -> datetime.datetime:
        return self.issued_at + TOKEN_LIFETIME

    def is_valid_at(self, moment: datetime.datetime) -> bool:
        return self.issued_at <= moment <= self.expires_at


def token_issue(*, meeting_id: int, now: datetime.datetime | None = None) -> str:
    issued = int((now or timezone.now()).timestamp())
    return signing.dumps({"m": meeting_id, "i": issued}, salt=SALT)


def token_read(value: str) -> Token | None:
    """The token's content, or None when it is not one of ours (forged, altered, truncated)."""
    try:
        data = signing.loads(value or "", salt=SALT)
        return Token(
            meeting_id=int(data["m"]), issued_at=datetime.datetime.fromtimestamp(int(data["i"]), tz=datetime.UTC)
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
