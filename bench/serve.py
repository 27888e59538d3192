"""Serve the app as in production, on this machine: ``make serve``.

gunicorn (config/gunicorn.conf.py: a worker per core, threads, no preload)
behind nothing, DEBUG off, static files collected, hashed, compressed (gzip and
brotli) and served by whitenoise with a year's ``immutable`` cache headers.

For local use only: when SECRET_KEY is unset a throwaway key is generated,
and as the server speaks plain HTTP on 127.0.0.1, HTTPS redirects, secure
cookies and HSTS are off unless set in the environment.

Several workers need a shared cache (the registry's data version lives in it):
when REDIS_URL is unset and Redis answers on 127.0.0.1:6379, database 1 is
used; without Redis a single worker is started.
"""

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import collectstatic, production_env  # noqa: E402

LOCAL_REDIS = "redis://127.0.0.1:6379/1"


def redis_answers(host="127.0.0.1", port=6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def serving_env(database: str | None = None, *, quiet: bool = False) -> dict[str, str]:
    throwaway = not os.environ.get("SECRET_KEY")
    env = production_env(database)
    for name, value in (("SECURE_SSL_REDIRECT", "false"), ("SECURE_COOKIES", "false"), ("SECURE_HSTS_SECONDS", "0")):
        env.setdefault(name, value)
    if not env.get("REDIS_URL"):
        if redis_answers():
            env["REDIS_URL"] = LOCAL_REDIS
            note = f"cache: Redis at {LOCAL_REDIS} (shared by the workers)"
        else:
            env["WEB_CONCURRENCY"] = "1"
            note = "cache: process memory, so a single worker (start Redis or set REDIS_URL for more)"
    else:
        note = "cache: Redis at REDIS_URL"
    if not quiet:
        if throwaway:
            print(
                "SECRET_KEY is not set: using a throwaway key for local use only (sessions end when the server stops)."
            )
        print("Local serving over plain HTTP: HTTPS redirect, secure cookies and HSTS are off. " + note)
    return env


def prepare(env: dict[str, str]) -> None:
    collectstatic(env)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT
    )


def gunicorn_command(bind: str) -> list[str]:
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi:application",
        "--config",
        str(ROOT / "config" / "gunicorn.conf.py"),
        "--bind",
        bind,
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bind", default=f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
    parser.add_argument("--db", help="a PostgreSQL database on BENCH_PG (e.g. bench); default: DATABASE_URL")
    args = parser.parse_args(argv)
    env = serving_env(args.db)
    prepare(env)
    print(f"Serving on http://{args.bind}/ (Ctrl-C to stop)")
    os.chdir(ROOT)
    command = gunicorn_command(args.bind)
    os.execve(command[0], command, env)  # noqa: S606 - a fixed command, no shell
    return 0


if __name__ == "__main__":
    sys.exit(main())
