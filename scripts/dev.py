"""`make run`'s last step: the web server and the background worker side by side in one terminal.

    python scripts/dev.py HOST:PORT

Each runs in a process group of its own; Ctrl-C here is passed on to every group (runserver's
auto-reloader child included), and this script waits for them to finish, killing what is still
running after 15 s. Each worker is `manage.py worker` (core/worker.py), which reconnects and carries
on when PostgreSQL restarts; one that still exits (a crash) is started again after RESTART_DELAY
seconds, as a supervisor's restart policy would (docs/deploy.md); if the web server stops,
everything is stopped: nothing is left running.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

PYTHON = sys.executable

# Two workers, so a long job never holds up email (core.jobs.QUEUES, docs/deploy.md): one serves
# the mail queue (and the short default jobs), the other the exports queue (learning-log PDFs),
# each running two jobs at a time.
WORKERS = {
    "worker": ["--queues", "mail,default", "--concurrency", "2"],
    "exports worker": ["--queues", "exports", "--concurrency", "2"],
}


RESTART_DELAY = 2.0


def _web(address: str) -> list[str]:
    # live news with streams (LIVE_STREAMS=true make run): the site under ASGI (uvicorn, reloading),
    # so the pages and /live/events/ share an origin; production runs gunicorn for the pages and an
    # ASGI worker for the streams side by side (docs/deploy.md). Otherwise runserver, and polling.
    if os.environ.get("LIVE_STREAMS", "").lower() in {"1", "true", "yes"}:
        host, _, port = address.rpartition(":")
        uvicorn = [PYTHON, "-m", "uvicorn", "config.asgi:application", "--reload"]
        return [*uvicorn, "--host", host, "--port", port]
    return [PYTHON, "manage.py", "runserver", address]


def commands(address: str) -> dict[str, list[str]]:
    return {
        "web": _web(address),
        **{name: [PYTHON, "manage.py", "worker", *options] for name, options in WORKERS.items()},
    }


def _start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, start_new_session=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C and a plain `kill` both stop everything (even where a shell started us with SIGINT ignored).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"
    argv = commands(address)
    processes = {name: _start(command) for name, command in argv.items()}
    print(
        f"dev: web server on http://{address} and background workers started (Ctrl-C stops all)",
        file=sys.stderr,
    )
    try:
        restart_at: dict[str, float] = {}
        while processes["web"].poll() is None:
            time.sleep(0.5)
            for name, process in processes.items():
                if name == "web" or process.poll() is None:
                    continue
                if name not in restart_at:
                    print(
                        f"dev: the {name} exited (status {process.returncode}); restarting it in "
                        f"{RESTART_DELAY:.0f} s",
                        file=sys.stderr,
                    )
                    restart_at[name] = time.monotonic() + RESTART_DELAY
                elif time.monotonic() >= restart_at[name]:
                    del restart_at[name]
                    _signal_group(process, signal.SIGTERM)  # anything it left behind
                    processes[name] = _start(argv[name])
        print("dev: the web server stopped; stopping the workers", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    for process in processes.values():
        _signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + 15
    for process in processes.values():
        while process.poll() is None:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
            except KeyboardInterrupt:
                continue
        _signal_group(process, signal.SIGTERM)  # a child it left behind (runserver's reloader)
    return 0


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
