"""What a locked-out sign-in gets back: the lockout page in the browser, JSON from the API."""

import datetime

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

LOCKOUT_STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    if request.path.startswith("/api/"):
        message = ngettext(
            "Too many failed sign-in attempts. Try again in %(minutes)s minute.",
            "Too many failed sign-in attempts. Try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
        return JsonResponse({"detail": message, "errors": {}}, status=LOCKOUT_STATUS)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_timedelta": datetime.timedelta(minutes=minutes)}
    return render(request, "accounts/locked_out.html", context, status=LOCKOUT_STATUS)
