"""What the bench, the local production server and the load test share: a
production-like environment (DEBUG off) and collected static files."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench"
PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
LOCAL_HOSTS = "127.0.0.1,localhost,testserver"


def production_env(database: str | None = None, **extra: str) -> dict[str, str]:
    """The environment for running the app as in production, on this machine.
    A throwaway SECRET_KEY is generated when none is set: sessions then last
    as long as the process that made them, which is all local serving needs."""
    env = dict(os.environ)
    env["DEBUG"] = "false"
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.setdefault("ALLOWED_HOSTS", LOCAL_HOSTS)
    env.setdefault("LOG_LEVEL", "WARNING")
    if database:
        env["DATABASE_URL"] = f"{PG_URL}/{database}"
    env.update(extra)
    return env


def collectstatic(env: dict[str, str]) -> None:
    """Hashed, compressed (gzip and brotli) copies of every static file, with the
    manifest the templates' {% static %} tags read when DEBUG is off."""
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
