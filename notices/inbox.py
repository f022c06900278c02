"""Notices reach the inboxes on read (notifications.sources): a notice to six million members is in all their
inboxes the moment it is out, and each member's own row is written when they open the inbox or the notice."""

from notifications.sources import InboxSource, register

from .selectors import (
    notices_inbox_lapses,
    notices_inbox_row_tokens,
    notices_inbox_tokens,
    notices_pending_in_inbox,
    withdrawn_notice_rows,
)
from .services import notices_inbox_catch_up

register(
    InboxSource(
        name="notices",
        pending=notices_pending_in_inbox,
        catch_up=notices_inbox_catch_up,
        taken_back=withdrawn_notice_rows,
        tokens=notices_inbox_tokens,
        row_tokens=notices_inbox_row_tokens,
        lapses=notices_inbox_lapses,
    )
)
