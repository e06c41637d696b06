"""Cache with one interface: Redis when ``AIMEE_REDIS_URL`` is set, an
in-process TTL cache otherwise; Redis failures degrade to in-process."""

from aimee.cache.base import TTL, Cache
from aimee.cache.factory import create_cache
from aimee.cache.memory import MemoryCache

__all__ = ["TTL", "Cache", "MemoryCache", "create_cache"]
