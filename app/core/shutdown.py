"""What must happen as soon as the server is asked to stop, not once it has stopped.

uvicorn, sent SIGTERM or SIGINT, stops taking connections and waits for the requests under way before it runs
the app's shutdown. A request waiting for work that only the shutdown stops (a pack's first publication, up to
`PACK_FIRST_WAIT_SECONDS`) held the stop up for as long: `on_stop_signals` tells the app at the
signal itself.
"""

import asyncio
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def on_stop_signals(callback: Callable[[], None]) -> Iterator[None]:
    """While open, a stop signal runs `callback` on the running event loop, then the handler installed before
    (the server's own, which stops it). Only a server run in the main thread handles signals; elsewhere (a test
    serving the app in a thread, an in-process client) nothing is installed. `callback` must not block: it runs
    on the loop that answers every request."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    installed = {}
    for sig in STOP_SIGNALS:
        previous = signal.getsignal(sig)
        if callable(previous):  # a handler of the server's: SIG_DFL or SIG_IGN means no graceful stop to chain
            installed[sig] = previous, _chained(loop, callback, previous)
            signal.signal(sig, installed[sig][1])
    try:
        yield
    finally:
        for sig, (previous, handler) in installed.items():
            if signal.getsignal(sig) is handler:  # not replaced since: the server restores its own in turn
                signal.signal(sig, previous)


def _chained(loop: asyncio.AbstractEventLoop, callback: Callable[[], None],
             previous: Callable[[int, FrameType | None], object]) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        # Scheduled rather than run here: a signal handler interrupts the main thread wherever it is, perhaps
        # inside a lock `callback` takes.
        try:
            loop.call_soon_threadsafe(callback)
        except RuntimeError:  # its loop closed (left installed past its app): the server still stops
            pass
        finally:
            previous(signum, frame)
    return handler
