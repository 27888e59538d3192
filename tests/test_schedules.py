"""Scheduled briefings: slots, one send per slot, the mail with its pack and
summary, retries recorded for the owner, a real SMTP server, and a real
Celery worker over Redis."""

import datetime
import email
import os
import socket
import zoneinfo
from email import policy

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from automation import briefings
from registry.automation import AllowedEmailDomain, BriefingSchedule, BriefingSend, SendStatus, WorkerHeartbeat
from tests.factories import make_account, make_briefing, make_cohort_with_adoption, make_org, viewer

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Monday 2 December 2024, 08:00:30 in Shanghai
MONDAY_MORNING = datetime.datetime(2024, 12, 2, 8, 0, 30, tzinfo=SHANGHAI)


def _schedule(recipients=(), **extra):
    cohort, _platforms = make_cohort_with_adoption(members=4, wechat=3, weibo=1)
    owner = viewer()
    owner.email = "owner@example.org"
    owner.save()
    briefing = make_briefing(
        owner=owner, title="Monthly SOEs", charts=[("adoption-by-platform", f"cohort={cohort.slug}")]
    )
    schedule = BriefingSchedule.objects.create(
        briefing=briefing, frequency="weekly", weekday=0, time=datetime.time(8, 0), formats="pptx,xlsx", **extra
    )
    schedule.recipients.set([owner, *recipients])
    return schedule, cohort


def test_slots_weekly_and_monthly():
    schedule = BriefingSchedule(frequency="weekly", weekday=0, time=datetime.time(8, 0))
    assert schedule.last_slot(MONDAY_MORNING) == datetime.datetime(2024, 12, 2, 8, 0, tzinfo=SHANGHAI)
    assert schedule.next_slot(MONDAY_MORNING) == datetime.datetime(2024, 12, 9, 8, 0, tzinfo=SHANGHAI)
    monthly = BriefingSchedule(frequency="monthly", day_of_month=15, time=datetime.time(9, 30))
    assert monthly.last_slot(MONDAY_MORNING) == datetime.datetime(2024, 11, 15, 9, 30, tzinfo=SHANGHAI)
    assert monthly.next_slot(MONDAY_MORNING) == datetime.datetime(2024, 12, 15, 9, 30, tzinfo=SHANGHAI)


def test_a_slot_gets_one_send_row_however_often_beat_ticks():
    schedule, _cohort = _schedule()
    assert len(briefings.due_sends(MONDAY_MORNING)) == 1
    assert briefings.due_sends(MONDAY_MORNING + datetime.timedelta(minutes=1)) == []
    assert BriefingSend.objects.filter(schedule=schedule).count() == 1
    # Long after the slot (no worker all day), it is not sent late.
    assert briefings.due_sends(MONDAY_MORNING + datetime.timedelta(days=1)) == []


def test_a_send_mails_the_pack_with_a_summary_once():
    schedule, _cohort = _schedule()
    (send,) = briefings.due_sends(MONDAY_MORNING)
    claimed = briefings.claim(send.pk)
    assert briefings.deliver(claimed) == 1
    (message,) = mail.outbox
    assert message.to == ["owner@example.org"]
    assert "Monthly SOEs" in message.subject
    assert "WeChat: 3" in message.body and "first scheduled send" in message.body
    names = [name for name, _content, _mime in message.attachments]
    assert [n.rsplit(".", 1)[1] for n in names] == ["pptx", "xlsx"]
    assert message.attachments[0][1][:2] == b"PK"  # a zip: the PPTX
    send.refresh_from_db()
    assert send.status == SendStatus.SENT and send.summary
    # Any later run for the slot (a retry, a redelivery after a killed worker) sends nothing.
    assert briefings.claim(send.pk, redelivered=True) is None
    assert len(mail.outbox) == 1


def test_the_summary_says_what_changed_since_the_last_send():
    schedule, cohort = _schedule()
    (first,) = briefings.due_sends(MONDAY_MORNING)
    briefings.deliver(briefings.claim(first.pk))
    org = make_org()
    cohort.memberships.create(organisation=org, rank=99)
    make_account(org, cohort.memberships.first().organisation.accounts.first().platform)
    (second,) = briefings.due_sends(MONDAY_MORNING + datetime.timedelta(days=7))
    briefings.deliver(briefings.claim(second.pk))
    assert "WeChat: 4 (+1 since the last send)" in mail.outbox[1].body


def test_the_summary_marks_synthetic_data_and_says_nothing_for_real_data():
    schedule, cohort = _schedule()
    (first,) = briefings.due_sends(MONDAY_MORNING)
    briefings.deliver(briefings.claim(first.pk))
    assert "ynthetic" not in mail.outbox[0].body
    from registry.models import Organisation
    from registry.signals import bump_data_version

    Organisation.objects.filter(memberships__cohort=cohort).update(is_demo=True)
    bump_data_version()  # update() sends no signal
    (second,) = briefings.due_sends(MONDAY_MORNING + datetime.timedelta(days=7))
    briefings.deliver(briefings.claim(second.pk))
    assert "Synthetic demo data" in mail.outbox[1].body


def test_only_allowed_external_domains_receive():
    schedule, _cohort = _schedule(external_recipients="press@partner.cn\nsomeone@elsewhere.com")
    AllowedEmailDomain.objects.create(domain="partner.cn")
    assert briefings.recipients(schedule) == ["owner@example.org", "press@partner.cn"]


def test_a_failed_send_is_recorded_and_shown_to_the_owner(client, monkeypatch):
    schedule, _cohort = _schedule()
    (send,) = briefings.due_sends(MONDAY_MORNING)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("automation.briefings.get_connection", refuse)
    from automation.tasks import send_briefing

    with pytest.raises(Exception):  # noqa: B017 - Celery's Retry, raised to re-queue the task
        send_briefing.apply(args=[send.pk], throw=True)
    send.refresh_from_db()
    assert send.status == SendStatus.RETRYING and "mail server down" in send.last_error and send.attempts == 1
    client.force_login(schedule.briefing.owner)
    page = client.get(reverse("dashboard:schedule_list")).content.decode()
    assert "mail server down" in page and "Retrying" in page


def test_the_schedule_page_says_when_no_worker_was_seen(client):
    client.force_login(viewer())
    assert "No background worker" in client.get(reverse("dashboard:schedule_list")).content.decode()
    WorkerHeartbeat.objects.create(name="w1", seen_at=timezone.now())
    assert "No background worker" not in client.get(reverse("dashboard:schedule_list")).content.decode()


def test_scheduling_from_the_page(client, django_assert_num_queries):
    schedule, _cohort = _schedule()
    owner = schedule.briefing.owner
    client.force_login(owner)
    data = {
        "briefing": schedule.briefing.pk,
        "frequency": "monthly",
        "weekday": 0,
        "day_of_month": 3,
        "time": "07:30",
        "language": "en-gb",
        "recipients": [owner.pk],
        "format_choices": ["pdf"],
        "external_recipients": "x@not-allowed.com",
    }
    assert client.post(reverse("dashboard:schedule_list"), data).status_code == 400
    data["external_recipients"] = ""
    assert client.post(reverse("dashboard:schedule_list"), data).status_code == 302
    assert BriefingSchedule.objects.filter(frequency="monthly", formats="pdf").exists()
    # session, user, permissions (2), heartbeat, schedules, sends, then the form's
    # briefing and user choices
    with django_assert_num_queries(9):
        assert client.get(reverse("dashboard:schedule_list")).status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_send_through_a_real_smtp_server(settings):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    port = _free_port()
    controller = Controller(Keep(message_class=email.message.EmailMessage), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        schedule, _cohort = _schedule()
        (send,) = briefings.due_sends(MONDAY_MORNING)
        assert briefings.deliver(briefings.claim(send.pk)) == 1
    finally:
        controller.stop()
    (message,) = received
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["To"] == "owner@example.org"
    files = {part.get_filename(): part.get_payload(decode=True) for part in parsed.iter_attachments()}
    pptx = next(name for name in files if name.endswith(".pptx"))
    assert files[pptx][:2] == b"PK"
    from io import BytesIO

    from pptx import Presentation

    slides = Presentation(BytesIO(files[pptx])).slides
    assert len(slides) >= 2


def _redis_available() -> bool:
    import redis
    from django.conf import settings

    try:
        return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.django_db(transaction=True)
def test_beat_tick_through_redis_and_a_worker_sends_once():
    """The dispatch task queued on Redis, run by a real (embedded) worker, which
    queues and runs the send: one mail. Needs Redis: skipped locally without it,
    required in CI."""
    if not _redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is required in CI (CELERY_BROKER_URL)")
        pytest.skip("Redis is not running at CELERY_BROKER_URL; start it to run this test")
    from celery.contrib.testing.worker import start_worker

    from automation.tasks import dispatch_due_briefings, heartbeat
    from config.celery import app

    schedule, _cohort = _schedule()
    app.control.purge()
    with time_machine.travel(MONDAY_MORNING, tick=True):
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            dispatch_due_briefings.delay()
            assert _wait_for(lambda: BriefingSend.objects.filter(status=SendStatus.SENT).exists())
            # A second tick for the same slot queues nothing: the heartbeat queued after
            # it shows it ran (the solo worker runs tasks in order).
            WorkerHeartbeat.objects.all().delete()
            dispatch_due_briefings.delay()
            heartbeat.delay()
            assert _wait_for(lambda: WorkerHeartbeat.objects.exists())
    assert BriefingSend.objects.get().status == SendStatus.SENT
    assert len(mail.outbox) == 1


def _wait_for(condition, seconds=60.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
