"""Test clients that read the source strings: pages follow the language switch's cookie, never Accept-Language
(accounts/language.py); the API follows Accept-Language, which an app sends explicitly."""

from django.conf import settings
from django.test import Client


def english_client(**kwargs) -> Client:
    client = Client(headers={"accept-language": "en"}, **kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
