import pytest


@pytest.fixture
def member(tree):
    """A plain member (no role but the member role on their cell), whose home is kept."""
    return tree.users["member_a1"]


@pytest.fixture
def phone(client, member):
    """The member's phone, signed in."""
    client.force_login(member)
    return client
