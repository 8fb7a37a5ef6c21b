"""The scale drill as a test: two live gunicorn servers sharing one Redis and one PostgreSQL (through
PgBouncer in transaction mode when it is installed), and the worker. ``scripts/scale_drill.py``
prints a PASS or FAIL line per check; this runs it (about 30 s) and asserts on those lines.

Needs Debian's redis-server (and uses pgbouncer when present); .ci/run installs both, so in CI a
missing binary fails instead of skipping. Deselect with -m "not drill".
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import IN_CI

PROJECT_DIR = Path(__file__).resolve().parent.parent
HAS_REDIS = shutil.which("redis-server") is not None
HAS_PGBOUNCER = shutil.which("pgbouncer") is not None or Path("/usr/sbin/pgbouncer").exists()

CHECKS = [
    "server A is ready (/readyz)",
    "server B is ready (/readyz)",
    "a sign-in on A is valid on B",
    "signing out on B ends the session on A",
    "a rate limit counts across both servers",
    "a job enqueued on B is done by the worker",
    "a like made on A shows on B at once",
    "server A logged no 500",
    "server B logged no 500",
]

pytestmark = [
    pytest.mark.drill,
    pytest.mark.skipif(not HAS_REDIS and not IN_CI, reason="no redis-server (apt-get install redis-server)"),
]


def test_two_app_servers_behave_as_one_site():
    # Its own directories (not the defaults in /tmp), so two runs on one machine never meet. World-
    # readable: under root, PostgreSQL and PgBouncer run as pgserver's own system user.
    work = Path(tempfile.mkdtemp(prefix="reflect-scale-test-"))
    work.chmod(0o755)
    env = {**os.environ, "REFLECT_SCALE_PGDATA": str(work / "pg"), "REFLECT_SCALE_DIR": str(work / "run")}
    try:
        result = subprocess.run(
            [sys.executable, "scripts/scale_drill.py", "--quick"],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    output = result.stdout + result.stderr
    passed = [line.removeprefix("PASS  ") for line in result.stdout.splitlines() if line.startswith("PASS  ")]
    for check in CHECKS:
        assert any(line.startswith(check) for line in passed), f"{check!r} did not pass:\n{output}"
    assert "FAIL" not in result.stdout, output
    assert result.returncode == 0, output
    assert "RESULT: PASS" in result.stdout
    if HAS_PGBOUNCER:
        assert "reached PostgreSQL through PgBouncer (transaction mode)" in result.stdout, output
        assert any(line.startswith("the app servers' transactions went through PgBouncer") for line in passed)
    assert "both servers" in result.stdout  # the throughput line
