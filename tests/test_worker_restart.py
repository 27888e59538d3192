"""A briefing send survives a worker killed mid-send: the task goes back to
Redis (acks_late, reject on worker lost), the restarted worker delivers it, and
the recipient gets exactly one message, with its PPTX.

Runs real ``celery -A config worker`` processes against Redis and a real SMTP
server (aiosmtpd) whose first delivery hangs until the worker is killed. The
worker processes open the test database, so this needs PostgreSQL (an
in-memory SQLite test database is private to the test process); without Redis
it is skipped locally and fails in CI."""

import asyncio
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from registry.automation import BriefingSchedule, BriefingSend, SendStatus
from tests.factories import make_briefing, make_cohort_with_adoption, viewer
from tests.test_schedules import _redis_available, _wait_for

ROOT = Path(__file__).resolve().parent.parent


class _HangFirst:
    """An SMTP handler that holds the first message until told, then refuses it
    (its sender is dead by then); later messages are accepted and kept."""

    def __init__(self):
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if not self.first_arrived.is_set():
            self.first_arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.1)
            return "451 try again later"
        self.received.append(envelope.content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            env["TEST_QUEUE"],
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_delivers_once_after_restart():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: worker processes must open the test database")
    if not _redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is required in CI (CELERY_BROKER_URL)")
        pytest.skip("Redis is not running at CELERY_BROKER_URL; start it to run this test")
    from aiosmtpd.controller import Controller

    from automation.tasks import send_briefing

    handler = _HangFirst()
    smtp_port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()

    cohort, _platforms = make_cohort_with_adoption(members=3, wechat=2, weibo=1)
    owner = viewer()
    owner.email = "owner@example.org"
    owner.save()
    briefing = make_briefing(owner=owner, charts=[("adoption-by-platform", f"cohort={cohort.slug}")])
    schedule = BriefingSchedule.objects.create(briefing=briefing, formats="pptx")
    schedule.recipients.set([owner])
    send = BriefingSend.objects.create(schedule=schedule, slot=timezone.now() - datetime.timedelta(minutes=1))

    settings_db = connection.settings_dict
    queue = f"test-restart-{os.getpid()}-{time.time_ns()}"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": "postgres://{}{}@{}:{}/{}".format(
            quote(settings_db["USER"] or "", safe=""),
            ":" + quote(settings_db["PASSWORD"], safe="") if settings_db.get("PASSWORD") else "",
            settings_db["HOST"] or "127.0.0.1",
            settings_db["PORT"] or 5432,
            settings_db["NAME"],
        ),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "CELERY_VISIBILITY_TIMEOUT": "2",
        "TEST_QUEUE": queue,
    }
    first = _worker(env)
    second = None
    try:
        send_briefing.apply_async(args=[send.pk], queue=queue)
        assert handler.first_arrived.wait(120), "the first worker never reached the SMTP server"
        first.send_signal(signal.SIGKILL)  # mid-send: the server has not accepted the message
        first.wait(30)
        handler.release.set()
        send.refresh_from_db()
        assert send.status == SendStatus.SENDING
        time.sleep(3)  # past the visibility timeout: the unacknowledged task is restored on restart
        second = _worker(env)
        assert _wait_for(lambda: BriefingSend.objects.get(pk=send.pk).status == SendStatus.SENT, 120)
        time.sleep(2)  # nothing else arrives
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(30)
        controller.stop()
    assert len(handler.received) == 1
    assert b"owner@example.org" in handler.received[0]
    assert b".pptx" in handler.received[0]
    send.refresh_from_db()
    assert send.attempts == 2
