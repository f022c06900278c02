"""The Redis cache backend (common/cache.py): one redis-py client per pool, and still a working cache."""

import socket
import uuid

import pytest

from common.cache import RedisCache

REDIS = ("127.0.0.1", 6379)


def redis_is_running() -> bool:
    try:
        socket.create_connection(REDIS, timeout=0.5).close()
    except OSError:
        return False
    return True


def test_every_call_uses_the_same_client():
    cache = RedisCache("redis://127.0.0.1:6379/15", {})

    first = cache._cache.get_client("a")
    again = cache._cache.get_client("b", write=True)

    assert first is again
    assert first.connection_pool is cache._cache._get_connection_pool(True)


@pytest.mark.skipif(not redis_is_running(), reason="no Redis server on 127.0.0.1:6379")
def test_values_go_in_and_come_out():
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    cache.set_many({"a": {"tokens": {"x": "1"}}, "b": 2}, 30)

    assert cache.get_many(["a", "b", "missing"]) == {"a": {"tokens": {"x": "1"}}, "b": 2}
    cache.delete_many(["a", "b"])
    assert cache.get("a") is None
