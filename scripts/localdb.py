"""Run a command with a PostgreSQL database, starting a project-local one when none is given.

    python scripts/localdb.py COMMAND [ARGS...]

With DATABASE_URL set, the command runs against that server unchanged. Without it, a
PostgreSQL server (the pgserver package's binaries) is started with its data in .pgdata/,
DATABASE_URL is pointed at it, the command runs, and the server is stopped afterwards.
The data stays in .pgdata/, so the next run finds everything as it was left.
"""

import os
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("REFLECT_PGDATA", PROJECT_DIR / ".pgdata"))
DATABASE_NAME = "reflect"


def run(command: list[str]) -> int:
    """Run the command and wait for it. Ctrl-C reaches the whole foreground process group, so
    the command gets it too: wait for it to finish, then stop the database."""
    process = subprocess.Popen(command)
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            continue


def main() -> int:
    command = sys.argv[1:]
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL"):
        return run(command)

    # Imported late: not needed when DATABASE_URL is given. platformdirs warns about a missing
    # XDG_RUNTIME_DIR on servers and containers; harmless here.
    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    print(f"localdb: starting PostgreSQL with data in {DATA_DIR}", file=sys.stderr)
    server = pgserver.get_server(DATA_DIR, cleanup_mode="stop")
    try:
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        socket_dir = quote(str(server.get_uri()).split("host=", 1)[1].split("&", 1)[0], safe="")
        os.environ["DATABASE_URL"] = f"postgres://postgres@{socket_dir}/{DATABASE_NAME}"
        return run(command)
    finally:
        print("localdb: stopping PostgreSQL", file=sys.stderr)
        server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
