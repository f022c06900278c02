"""Sending text messages through a pluggable gateway. The default only writes the message to the log.

Set `SMS_GATEWAY` to the dotted path of a class with `send(phone: str, text: str) -> None` to use a
real provider.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("sotay.sms")


class LogGateway:
    """Writes each message to the `sotay.sms` log instead of sending it (development, tests)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def sms_gateway():
    return import_string(getattr(settings, "SMS_GATEWAY", "accounts.sms.LogGateway"))()


def sms_send(*, phone: str, text: str) -> None:
    sms_gateway().send(phone, text)
