"""The inbox and Web Push endpoints act only on the signed-in user's own data: signing in is all they need
(each call reads or changes the caller's own rows, which tests/test_views.py and test_api.py check)."""

SIGNED_IN_ONLY = [
    "notifications:inbox",
    "notifications:open",
    "notifications:mark_read",
    "notifications:mark_all_read",
    "get /api/notifications",
    "get /api/notifications/unread-count",
    "post /api/notifications/read",
    "get /api/notifications/push/key",
    "post /api/notifications/push/subscriptions",
    "post /api/notifications/push/unsubscribe",
]
