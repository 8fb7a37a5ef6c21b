"""What the drills and the HTTP benchmark share: a throwaway PostgreSQL and Redis on this machine,
Reflect served by gunicorn with the production settings, its background worker, and a tiny HTTP
client. Used by scripts/fault_drill.py, scripts/scale_drill.py and scripts/bench_http.py (run as
scripts, so ``import harness`` finds this file next to them).

Nothing here touches a server it did not start: PostgreSQL runs from the pgserver package's binaries
with its data in a directory the caller names, on a Unix socket only; Redis (Debian's
``redis-server``) and gunicorn listen on free ports of 127.0.0.1.
"""

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PASSWORD = "drill-password-2026-long"
REQUEST_TIMEOUT = 15


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- A tiny HTTP client: cookies, CSRF, no redirects followed ------------------------------------


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body); status 0 when the connection itself failed."""
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, response.headers.get("Location", ""), text
        except (OSError, http.client.HTTPException):
            return 0, "", ""
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> tuple[int, str, str]:
        if "csrftoken" not in self.cookies:
            self.get("/accounts/login/")
        return self.request("POST", path, form)

    def sign_in(self, email: str) -> int:
        self.get("/accounts/login/")
        status, location, _ = self.post("/accounts/login/", {"login": email, "password": PASSWORD})
        return status


# --- Services: PostgreSQL, Redis, the app, the worker -------------------------------------------


class Postgres:
    """A private PostgreSQL with its data in ``pgdata``, deleted when it stops (pgserver's binaries; runs as its own system user under root)."""

    def __init__(self, pgdata: Path, database: str):
        warnings.filterwarnings("ignore", module="platformdirs")
        import pgserver

        if pgdata.exists():
            shutil.rmtree(pgdata)
        pgdata.mkdir(parents=True)
        self.pgdata = pgdata
        self.database = database
        self.server = pgserver.get_server(pgdata, cleanup_mode="delete")
        self.server.psql(f"CREATE DATABASE {database};")
        socket_dir = str(self.server.get_uri()).split("host=", 1)[1].split("&", 1)[0]
        self.url = f"postgres://postgres@{quote(socket_dir, safe='')}/{database}"
        self.socket_dir = socket_dir

    def pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(list(args), pgdata=self.pgdata, user=self.server.system_user, timeout=60)

    def restart(self, mode: str) -> float:
        """Restart in ``mode`` ("fast" or "immediate"); returns the seconds it took."""
        started = time.monotonic()
        self.pg_ctl("-w", "-m", mode, "restart")
        return time.monotonic() - started

    def query(self, sql: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(host=self.socket_dir, user="postgres", dbname=self.database) as connection:
            return connection.execute(sql, params).fetchall()

    def stop(self) -> None:
        self.server.cleanup()


class Redis:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def stop_group(process: subprocess.Popen | None) -> None:
    """SIGTERM to a process started with ``start_new_session`` and its children; SIGKILL after 15 s."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def app_environment(database_url: str, **extra: str) -> dict:
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        HTTPS="false",  # plain http: it listens on 127.0.0.1 only
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_MANIFEST="false",  # no collectstatic for a drill
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # The drill measures outages, not limits: let one learner post a few hundred times.
        RATE_LIMIT_POST="100000/h",
        NEW_ACCOUNT_RATE_LIMIT_POST="100000/h",
        ACCOUNT_RATE_LIMIT_LOGIN="10000/m/ip",
        ACCOUNT_RATE_LIMIT_SIGNUP="10000/h/ip",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=PROJECT_DIR, env=env, input=stdin, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class App:
    def __init__(self, env: dict, name: str, *, log_dir: Path, workers: int = 2):
        self.env = env
        self.port = free_port()
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--timeout", "30", "--graceful-timeout", "5"],
            cwd=PROJECT_DIR, env=self.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        browser = Browser(self.port)
        for _ in range(200):
            if browser.get("/healthz")[0] == 200:
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz; see {self.log_path}")

    def stop(self) -> None:
        stop_group(self.process)
        self.process = None

    def log_note(self) -> str:
        """What the app logged: 500s (there must be none) and tracebacks (each 503 and each failed
        email is logged with its exception, which is expected)."""
        text = self.log_path.read_text(errors="replace")
        return (
            f"app log {self.log_path}: {text.count('Internal Server Error')} 500(s) logged, "
            f"{text.count('Service Unavailable') + text.count('Database unavailable (')} 503 log line(s), "
            f"{text.count('Traceback (most recent call last)')} traceback(s)"
        )


class Worker:
    """The background worker (``manage.py worker``: Procrastinate's, which reconnects after a
    PostgreSQL restart), which sends the emails and retries failures."""

    def __init__(self, env: dict, *, log_path: Path):
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "worker", "--concurrency", "2"],
            cwd=PROJECT_DIR, env=self.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def stop(self) -> None:
        stop_group(self.process)
