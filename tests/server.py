"""A real server process (`datapack serve`) for tests of what only a running server shows: faults, limits,
concurrency, the command-line client."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx


def wait_until_ready(url: str, seconds: float, failure: str) -> None:
    """Until the server at `url` answers `/readyz` with 200: one still starting refuses the connection, one
    publishing its tables answers 503."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(failure)


class Server:
    def __init__(self, database_url: str, log: Path | None = None, **env: str) -> None:
        """`log`: where the server's output goes (a temporary file when None), for `log_entries`."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": database_url, "RATE_LIMIT_PER_MINUTE": "0", **env}
        self.log = log or Path(tempfile.mkstemp(prefix="datapack-server-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    def start(self, workers: int = 1) -> "Server":
        with self.log.open("ab") as log:  # every start's log, one after another
            self.process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(self.port),
                                             "--workers", str(workers)],
                                            env=self.env, stdout=subprocess.DEVNULL, stderr=log,
                                            start_new_session=True)  # its own group: a kill reaches every worker
        wait_until_ready(self.url, seconds=60, failure="server did not become ready")
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def log_entries(self) -> list[dict]:
        """The app's JSON log lines so far (uvicorn's own lines are plain text)."""
        lines = self.log.read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]
