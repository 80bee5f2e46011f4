"""Per-client request budget per minute (fixed window)."""

import math
import threading
import time


class RateLimiter:
    def __init__(self, per_minute: int, clock=time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[int, tuple[float, int]] = {}

    def retry_after(self, client_id: int) -> int | None:
        """Count one request; return seconds to wait if it is over the limit, else None."""
        if self.per_minute == 0:
            return None
        now = self._clock()
        with self._lock:
            start, used = self._windows.get(client_id, (now, 0))
            if now - start >= 60:
                start, used = now, 0
            if used >= self.per_minute:
                return max(1, math.ceil(60 - (now - start)))
            self._windows[client_id] = (start, used + 1)
            return None
