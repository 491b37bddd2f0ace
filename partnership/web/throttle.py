"""Counting requests in a time window, in the cache (locmem, files or Redis: see settings).

Windows are fixed (each starts on a multiple of its length, e.g. on the hour), so a count
needs no list of times: one integer per key and window, which expires with the window.
"""

import hashlib
import time

from django.core.cache import cache


def window_count(name: str, *parts, seconds: int) -> int:
    """Count one more event for (`name`, `parts`) in the current window of `seconds`, and
    return the count so far in this window, this one included."""
    now = time.time()
    window = int(now // seconds)
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    key = f"throttle:{name}:{window}:{digest[:40]}"
    remaining = max(1, int((window + 1) * seconds - now) + 1)
    cache.add(key, 0, remaining)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.add(key, 1, remaining)
        count = 1
    # Some backends (files) give an incremented key the default timeout: keep the window's.
    cache.touch(key, remaining)
    return count
