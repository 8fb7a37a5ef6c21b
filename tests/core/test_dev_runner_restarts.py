"""Issue 21, item 22: `make run`'s runner (scripts/dev.py) starts a worker again when it exits
(PostgreSQL restarted under it, say), while the web server keeps running."""

import signal
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture
def dev(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    import dev

    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    yield dev
    signal.signal(signal.SIGINT, handlers[0])
    signal.signal(signal.SIGTERM, handlers[1])


def test_an_exiting_worker_is_started_again(dev, monkeypatch, tmp_path):
    starts = tmp_path / "worker-starts"
    monkeypatch.setattr(dev, "RESTART_DELAY", 0.2)
    monkeypatch.setattr(sys, "argv", ["dev.py", "127.0.0.1:0"])
    monkeypatch.setattr(
        dev,
        "commands",
        lambda address: {
            "web": [sys.executable, "-c", "import time; time.sleep(4)"],
            "worker": [
                sys.executable,
                "-c",
                f"open({str(starts)!r}, 'a').write('started\\n'); raise SystemExit(1)",
            ],
        },
    )
    assert dev.main() == 0
    assert starts.read_text().count("started") >= 2  # exited, and was started again


def test_the_real_commands_run_both_workers(dev):
    argv = dev.commands("127.0.0.1:8000")
    assert argv["web"][-2:] == ["runserver", "127.0.0.1:8000"]
    assert {name for name in argv if name != "web"} == set(dev.WORKERS)
    # the worker that reconnects after a PostgreSQL restart (core/worker.py)
    assert all(argv[name][1:3] == ["manage.py", "worker"] for name in dev.WORKERS)
