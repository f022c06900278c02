"""Calling the API in tests the way a client does: with a bearer token."""

from django.test import Client

from accounts.services import api_token_create


def api_client(user) -> Client:
    """A client that sends `user`'s new API token with every request (anonymous when `user` is None).

    It asks for English, so that tests read the source strings of messages.
    """
    if user is None:
        return Client(headers={"accept-language": "en"})
    _token, key = api_token_create(user=user, name="test")
    return Client(headers={"authorization": f"Bearer {key}", "accept-language": "en"})
