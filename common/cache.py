"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per call.

Django builds a new `redis.Redis` for every cache operation, and each copies redis-py's table of reply callbacks
(about 170 entries): a third of a millisecond of CPU per call, paid three times by every signed-in page (the
session, the kept page, its change tokens). redis-py's clients are safe to share between threads (each command
takes a connection from the pool and gives it back), so one client per pool is enough.
"""

from django.core.cache.backends import redis as django_redis


class PooledClientCache(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientCache
