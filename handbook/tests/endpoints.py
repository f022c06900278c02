"""The handbook's pages: all of them show or change only the signed-in user's own things."""

SIGNED_IN_ONLY = ["handbook:home", "handbook:display"]
# Kept by the service worker for everyone, signed in or not: it holds no user data.
PUBLIC = ["handbook:offline"]
