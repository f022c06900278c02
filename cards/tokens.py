"""The card's QR: a link to Sổ tay's check page with a token naming the member, the card's revision and the moment
the card was loaded, signed with SECRET_KEY under this module's salt. It is good for `LIFETIME`, so a card loaded
on the phone still shows a valid code offline for a while; a revocation or the member's leaving stops it at once,
since the check reads the member and the revision now."""

import dataclasses
import datetime

from django.core import signing

SALT = "cards.card"
LIFETIME = datetime.timedelta(days=30)


@dataclasses.dataclass(frozen=True)
class Token:
    member_id: int
    revision: int
    issued_at: datetime.datetime

    def is_expired_at(self, moment: datetime.datetime) -> bool:
        return not self.issued_at - datetime.timedelta(minutes=5) <= moment <= self.issued_at + LIFETIME


def card_token(*, member_id: int, revision: int, now: datetime.datetime) -> str:
    return signing.dumps({"m": member_id, "r": revision, "i": int(now.timestamp())}, salt=SALT)


def card_token_read(value: str) -> Token | None:
    """The token's content, or None when it is not one of ours (forged, altered, truncated)."""
    try:
        data = signing.loads(value or "", salt=SALT)
        return Token(
            member_id=int(data["m"]),
            revision=int(data["r"]),
            issued_at=datetime.datetime.fromtimestamp(int(data["i"]), tz=datetime.UTC),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError, OSError):
        return None
