"""Celery tasks. Beat runs ``dispatch_due_briefings`` and ``heartbeat`` every
minute, ``sweep_alerts`` every 15 minutes and ``send_alert_digests`` daily
(``CELERY_BEAT_SCHEDULE`` in config/settings.py)."""

import logging
import socket

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from automation import briefings
from registry.automation import WorkerHeartbeat

log = logging.getLogger(__name__)

MAX_RETRIES = 5


@shared_task
def dispatch_due_briefings() -> int:
    """Create the rows of due sends and queue one send task for each new one."""
    sends = briefings.due_sends()
    for send in sends:
        send_briefing.delay(send.pk)
    return len(sends)


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def send_briefing(self, send_id: int) -> int:
    """Build and mail one send. Retries with exponential back-off (1, 2, 4, 8,
    16 minutes), recording each failure on the row the owner sees."""
    redelivered = bool((self.request.delivery_info or {}).get("redelivered")) or self.request.retries > 0
    send = briefings.claim(send_id, redelivered=redelivered)
    if send is None:
        return 0
    try:
        return briefings.deliver(send)
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
        final = self.request.retries >= MAX_RETRIES
        briefings.record_failure(send_id, error, final=final)
        log.warning("briefing send %s failed (attempt %s)", send_id, self.request.retries + 1, exc_info=True)
        if final:
            return 0
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from None


@shared_task
def heartbeat() -> None:
    """Say a worker is alive; the schedules page warns when none was seen lately."""
    WorkerHeartbeat.objects.update_or_create(name=socket.gethostname(), defaults={"seen_at": timezone.now()})


@shared_task
def sweep_alerts() -> int:
    from automation import alerts

    return alerts.sweep()


@shared_task
def send_alert_digests() -> int:
    from automation import alerts

    return alerts.send_digests()


@worker_ready.connect
def _worker_started(**_kwargs) -> None:
    heartbeat()
