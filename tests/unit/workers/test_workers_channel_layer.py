"""The Channels layer configuration shared by the web app and the event relay."""

from __future__ import annotations

from channels_redis.core import RedisChannelLayer

from workers import settings


def test_the_layer_outwaits_channels_redis_blocking_receive() -> None:
    """A receive blocks ``brpop_timeout`` seconds in Redis; a socket timeout at or under it
    (redis-py's default is 5 s, the same) kills a quiet subscriber's receive loop."""
    (host,) = settings.channel_layer_config("redis://127.0.0.1:6379/3")["hosts"]
    assert host["address"] == "redis://127.0.0.1:6379/3"
    assert host["socket_timeout"] >= 2 * RedisChannelLayer.brpop_timeout


def test_the_relay_and_the_web_app_use_the_same_prefix_and_capacity() -> None:
    layer = RedisChannelLayer(**settings.channel_layer_config("redis://127.0.0.1:6379/3"))
    assert layer.prefix == "asgi"
    assert layer.capacity == settings.CHANNEL_CAPACITY
