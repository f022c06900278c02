"""The handbook's pages: all of them show or change only the signed-in user's own things."""

# "today" lists what waits in the user's own units, each part through its app's scoping selector
# (handbook/tests/test_today.py checks a sibling commune's work stays out).
SIGNED_IN_ONLY = ["handbook:home", "handbook:display", "handbook:today"]
# Kept by the service worker for everyone, signed in or not: it holds no user data.
PUBLIC = ["handbook:offline"]
