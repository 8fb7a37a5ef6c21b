"""A real Learning Record Store for the tests: Ralph's LRS (the FastAPI app `ralph runserver`
serves; ``ralph_lrs.py``), run by uvicorn in a subprocess on a free loopback port, storing
statements in a file (its filesystem backend) and checking HTTP basic credentials from its own
auth file. It validates every statement it receives with Ralph's xAPI models."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import bcrypt
import pytest

ROOT = Path(__file__).resolve().parents[2]
USERNAME, PASSWORD = "reflect", "lrs-test-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalLRS:
    def __init__(self, directory: Path, port: int | None = None):
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        (directory / "data").mkdir(parents=True, exist_ok=True)
        auth = [
            {
                "username": USERNAME,
                "hash": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode(),
                "scopes": ["all"],
                "agent": {
                    "objectType": "Agent",
                    "account": {"homePage": "http://lrs.test", "name": "reflect"},
                },
            }
        ]
        (directory / "auth.json").write_text(json.dumps(auth))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self) -> "LocalLRS":
        env = {
            **os.environ,
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.directory / "data"),
            "RALPH_AUTH_FILE": str(self.directory / "auth.json"),
            "RALPH_APP_DIR": str(self.directory),
        }
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "tests.learning_records.ralph_lrs:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        with open(self.directory / "lrs.log", "ab") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Ralph's LRS did not start: {(self.directory / 'lrs.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def stored(self) -> list[dict]:
        """Every statement the LRS holds, as written to its store (one line each, in order)."""
        store = self.directory / "data" / "fs_lrs.jsonl"
        if not store.exists():
            return []
        return [json.loads(line) for line in store.read_text().splitlines() if line.strip()]

    def stored_ids(self) -> list[str]:
        return [statement["id"] for statement in self.stored()]


@pytest.fixture(scope="session")
def running_lrs(tmp_path_factory):
    lrs = LocalLRS(tmp_path_factory.mktemp("lrs")).start()
    yield lrs
    lrs.stop()


@pytest.fixture
def lrs(running_lrs, settings):
    """The running LRS, with Reflect configured to send to it."""
    settings.LRS_URL = running_lrs.url
    settings.LRS_USERNAME, settings.LRS_PASSWORD = USERNAME, PASSWORD
    return running_lrs
