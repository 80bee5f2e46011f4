"""A real `datapack serve` process (or the bare comparison app) on a free port, its peak memory, and a fresh
PostgreSQL database to run it on."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import text

from app.core.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
READY_WITHIN_SECONDS = 600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_postgres(postgres_url: str, name: str) -> str:
    """The URL of an empty database `name` on the server `postgres_url` names (dropped first if it exists)."""
    admin = make_engine(postgres_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return postgres_url.rsplit("/", 1)[0] + "/" + name


class Server:
    def __init__(self, database_url: str, *, workers: int = 1, app: str | None = None, log: Path | None = None,
                 **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app, self.workers, self.log = app, workers, log
        # The rate limit stays on (its database work is part of every request) with room for a load test.
        self.env = {**os.environ, "DATABASE_URL": database_url, "RATE_LIMIT_PER_MINUTE": "100000000",
                    "LOG_LEVEL": "WARNING",
                    # A benchmark measures first reads itself (the national packs' tables take minutes); the load
                    # test starts its server as in production, publishing on start.
                    "PUBLISH_ON_START": "false", **env}
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        if self.app is None:
            command = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port), "--workers", str(self.workers)]
            ready = "/readyz"
        else:
            command = [sys.executable, "-m", "uvicorn", self.app, "--port", str(self.port), "--workers",
                       str(self.workers), "--log-level", "warning", "--no-access-log"]
            ready = "/constant"
        stderr = subprocess.DEVNULL if self.log is None else self.log.open("ab")
        self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
        # Publishing on start (`PUBLISH_ON_START`, `app.packs.warm`), each worker decides the packs' tables before
        # it is ready, and says whether it is on whichever connection it accepts: ready when many answers in a row say so.
        deadline, ready_in_a_row = time.monotonic() + READY_WITHIN_SECONDS, 0
        while time.monotonic() < deadline and ready_in_a_row < 5 * self.workers:
            try:
                ready_in_a_row = ready_in_a_row + 1 if httpx.get(self.url + ready, timeout=5).status_code == 200 else 0
            except httpx.HTTPError:
                ready_in_a_row = 0
            # Apart, so that the busy worker, slower to accept, gets its turn to answer.
            time.sleep(0.2 if not ready_in_a_row else 0.05)
        if ready_in_a_row >= 5 * self.workers:
            return self
        raise RuntimeError(f"{command} did not become ready")

    def peak_rss_by_process(self) -> dict[int, float]:
        """Peak resident memory (VmHWM), in MB, of the server process and each process under it (its workers)."""
        assert self.process is not None
        peaks = {}
        for pid in (self.process.pid, *_children(self.process.pid)):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        return peaks

    def peak_rss_mb(self) -> float:
        """Peak resident memory of the server and its worker processes (the largest VmHWM), in MB."""
        return max(self.peak_rss_by_process().values())

    def stop(self, grace: float = 30) -> None:
        """SIGTERM, then SIGKILL to the server and its workers if requests still running keep it up past `grace`
        seconds: a run's figures are printed after the server stops, and must not be lost to a slow shutdown."""
        if self.process and self.process.poll() is None:
            workers = _children(self.process.pid)
            self.process.terminate()
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                print(f"the server was still busy {grace:.0f} s after SIGTERM: killed", file=sys.stderr)
                for pid in (*workers, self.process.pid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *_children(child)]
    return found
