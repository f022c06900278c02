"""What a printed first-sign-in slip shows, for members' slips (rollout/activation/) and officers' alike: the
address to open and a square code that opens the activation page with the username and code filled in.

The activation page is the rollout's (`activation:activate`, at /activate/): named here by its URL, as pages link
to one another, not imported."""

import segno
from django.urls import reverse
from django.utils.http import urlencode


def slip_addresses(*, host: str) -> dict:
    """What a printed slip tells the member to open: the address the slip was printed from (the same host as its
    QR code, not settings.SITE_URL, whose default is the development server), without "https://" so that it is
    short to type, and the activation page under it."""
    return {"site_address": host, "activate_address": host + reverse("activation:activate")}


def qr_for_slip(request, slip) -> str:
    """The slip's square code: the activation page with its username and code filled in."""
    url = (
        request.build_absolute_uri(reverse("activation:activate"))
        + "?"
        + urlencode({"u": slip["username"], "c": slip["code"]})
    )
    return segno.make(url, error="m").svg_data_uri(scale=3)
