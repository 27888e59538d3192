"""Scheduled briefings: which sends are due, and one send — rebuild the pack
from live data in the chosen formats and mail it with a short summary.

A send is the row ``BriefingSend(schedule, slot)``; its unique key makes the
dispatcher's repeated ticks, task retries and redelivery after a killed worker
all land on one row, and a row marked sent is never sent again.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from dashboard.charts import synthetic_note
from dashboard.views.briefings import BUILDERS, build_pack
from registry.automation import AllowedEmailDomain, BriefingSchedule, BriefingSend, SendStatus

# A slot missed by longer than this (no worker, no beat) is skipped, not sent late.
CATCH_UP = datetime.timedelta(hours=6)
# A send another worker started this recently is left to it.
IN_FLIGHT = datetime.timedelta(minutes=10)
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def due_sends(now: datetime.datetime | None = None) -> list[BriefingSend]:
    """Create the send rows of slots that have come (within ``CATCH_UP``) and
    return the new ones. Queries: the active schedules, then per due slot one
    insert (an existing row is the unique key refusing a second)."""
    now = now or timezone.now()
    created = []
    for schedule in BriefingSchedule.objects.filter(active=True):
        slot = schedule.last_slot(now)
        if slot is None or now - slot > CATCH_UP:
            continue
        try:
            with transaction.atomic():
                created.append(BriefingSend.objects.create(schedule=schedule, slot=slot))
        except IntegrityError:
            continue  # this slot has its row already
    return created


def recipients(schedule: BriefingSchedule) -> list[str]:
    """The schedule's users with an address, and its other addresses in allowed domains."""
    users = [u.email for u in schedule.recipients.filter(is_active=True) if u.email]
    allowed = set(AllowedEmailDomain.objects.values_list("domain", flat=True))
    external = [a for a in schedule.external_list if a.rpartition("@")[2] in allowed]
    return sorted(set(users + external))


def headline_counts(pack) -> dict[str, dict[str, float]]:
    """Per chart of the pack, its rows' first number: what the summary reports."""
    counts: dict[str, dict[str, float]] = {}
    for item in pack.items:
        values = {}
        for row in item.chart.rows:
            number = next((v for v in row[1:] if isinstance(v, (int, float))), None)
            if number is not None:
                values[str(row[0])] = number
        counts[str(item.chart.meta.title)] = values
    return counts


def _previous_summary(send: BriefingSend) -> dict:
    previous = (
        BriefingSend.objects.filter(schedule=send.schedule, status=SendStatus.SENT, slot__lt=send.slot)
        .order_by("-slot")
        .values_list("summary", flat=True)
        .first()
    )
    return previous or {}


def _changes(current: dict, previous: dict, notes: dict[str, str]) -> list[dict]:
    """One section per chart: its counts, their change since the last send, and
    the chart's synthetic-data note (empty when it counts only real rows)."""
    lines = []
    for title, values in current.items():
        rows = []
        for label, value in values.items():
            before = previous.get(title, {}).get(label)
            rows.append({"label": label, "value": value, "change": None if before is None else value - before})
        lines.append({"title": title, "rows": rows, "synthetic": notes.get(title, "")})
    return lines


def build_message(send: BriefingSend, *, now=None) -> tuple[EmailMultiAlternatives, dict]:
    """The e-mail of one send with its attachments, and the summary to store."""
    schedule = send.schedule
    briefing = schedule.briefing
    with translation.override(schedule.language):
        pack = build_pack(briefing, now=now)
        summary = headline_counts(pack)
        context = {
            "briefing": briefing,
            "schedule": schedule,
            "pack": pack,
            "sections": _changes(
                summary,
                _previous_summary(send),
                {str(item.chart.meta.title): synthetic_note(item.chart.meta) for item in pack.items},
            ),
            "first_send": not _previous_summary(send),
            "url": settings.SITE_URL + reverse("dashboard:briefing_detail", args=[briefing.uuid]),
        }
        subject = render_to_string("automation/briefing_subject.txt", context).strip()
        body = render_to_string("automation/briefing_email.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=recipients(schedule))
        stem = slugify(briefing.title)[:60] or "briefing"
        for fmt in schedule.format_list:
            message.attach(f"briefing_{stem}_{pack.generated_at:%Y-%m-%d}.{fmt}", BUILDERS[fmt](pack), MIME[fmt])
    return message, summary


def claim(send_id: int, *, redelivered: bool = False) -> BriefingSend | None:
    """Take the send for this run, or None when it is sent or another run holds it."""
    with transaction.atomic():
        send = BriefingSend.objects.select_for_update().select_related("schedule__briefing__owner").get(pk=send_id)
        if send.status == SendStatus.SENT:
            return None
        now = timezone.now()
        busy = send.status == SendStatus.SENDING and send.started_at and now - send.started_at < IN_FLIGHT
        if busy and not redelivered:
            return None
        send.status, send.started_at, send.attempts = SendStatus.SENDING, now, send.attempts + 1
        send.save(update_fields=["status", "started_at", "attempts"])
        return send


def deliver(send: BriefingSend) -> int:
    """Build and mail a claimed send, then mark it sent. Returns the number of
    recipients. Raises on failure (the task records it and retries)."""
    message, summary = build_message(send)
    if not message.to:
        send.status, send.last_error = SendStatus.FAILED, "no recipients"
        send.save(update_fields=["status", "last_error"])
        return 0
    with get_connection() as connection:
        connection.send_messages([message])
    send.status, send.sent_at, send.summary, send.last_error = SendStatus.SENT, timezone.now(), summary, ""
    send.recipients = "\n".join(message.to)
    send.save(update_fields=["status", "sent_at", "summary", "last_error", "recipients"])
    return len(message.to)


def record_failure(send_id: int, error: Exception, *, final: bool) -> None:
    BriefingSend.objects.filter(pk=send_id).exclude(status=SendStatus.SENT).update(
        status=SendStatus.FAILED if final else SendStatus.RETRYING, last_error=f"{type(error).__name__}: {error}"[:2000]
    )
