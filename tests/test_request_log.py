"""One log line per request. The development server (``runserver``, what
``make run`` starts) writes its own line for every request; the app's JSON line
(RequestLogMiddleware) already says more, so the server's is switched off."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_runserver_logs_each_request_once(tmp_path):
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path}/log.sqlite3",
    }
    log = tmp_path / "server.log"
    with log.open("w") as stream:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status = _get(f"http://127.0.0.1:{port}/healthz")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            assert status == 200
            assert _get(f"http://127.0.0.1:{port}/no-such-page/") in (302, 404)
        finally:
            server.terminate()
            server.wait(timeout=20)
    lines = log.read_text().splitlines()
    about = {path: [line for line in lines if path in line] for path in ("/healthz", "/no-such-page/")}
    for path, found in about.items():
        assert len(found) == 1, (path, found)
        record = json.loads(found[0])
        assert record["logger"] == "newmedia.request" and record["path"] == path
