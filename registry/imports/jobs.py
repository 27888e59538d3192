"""Background imports: an uploaded file becomes an ``ImportJob``, and a worker
process (``manage.py run_import_jobs``; a task queue may call ``run_job``
instead) imports it with ``registry.imports.run.import_file``: in batches, all
or nothing, with live progress and cancellation, never in a web worker.

The import holds one database transaction until it ends, so nothing it writes
(not even to the job's row) is visible to other connections before then. Live
progress and cancellation therefore travel through two small files beside the
upload, which every web server and the worker share (IMPORT_JOBS_DIR):
``<upload>.progress.json``, written by the worker at most twice a second, and
``<upload>.cancel``, created by whoever cancels. The job's row gets the outcome
when the import ends.
"""

import json
import logging
import os
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.imports.cleaning import ImportFileError
from registry.imports.errors import report_problems
from registry.imports.run import import_file

log = logging.getLogger("newmedia.imports")

PROBLEM_LIMIT = 500
WARNING_LIMIT = 200
PROGRESS_EVERY_SECONDS = 0.5


class JobCancelled(Exception):  # noqa: N818 - a signal, not a failure
    """Someone cancelled the job: its transaction is rolled back."""


class WorkerStopping(Exception):  # noqa: N818 - a signal, not a failure
    """The worker was asked to stop (SIGTERM): the job goes back to the queue."""


def _job_model():
    from registry.models import ImportJob

    return ImportJob


def queue_import(*, kind: str, upload, user=None, encoding: str = ""):
    """Store an uploaded file (streamed to disk in chunks) as a queued job."""
    job = _job_model()(
        kind=kind,
        original_name=Path(upload.name).name[:255],
        size=upload.size,
        encoding=encoding,
        created_by=user if getattr(user, "pk", None) else None,
    )
    job.file.save(Path(upload.name).name[-100:], upload, save=False)
    job.rows_total = estimate_rows(Path(job.file.path))
    job.save()
    return job


def estimate_rows(path: Path) -> int | None:
    """Lines in a text file (one read, no decoding), rows in an XLSX sheet: the
    progress bar's 100 %. Quoted line breaks make it an estimate."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(b"PK\x03\x04"):
            from openpyxl import load_workbook

            try:
                workbook = load_workbook(path, read_only=True)
                return workbook.worksheets[0].max_row
            except Exception:  # noqa: BLE001 - the import itself reports an unreadable workbook
                return None
        lines = head.count(b"\n")
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)  # less the header


def _control_paths(job) -> tuple[Path, Path]:
    path = Path(job.file.path)
    return path.with_name(path.name + ".progress.json"), path.with_name(path.name + ".cancel")


def request_cancel(job) -> bool:
    """Cancel a queued job at once, or ask the worker to stop a running one
    (it rolls back at its next batch). False if the job has already ended."""
    job_model = _job_model()
    if job_model.objects.filter(pk=job.pk, status=job_model.Status.QUEUED).update(
        status=job_model.Status.CANCELLED, finished_at=timezone.now()
    ):
        _remove_files(job)
        return True
    job.refresh_from_db(fields=["status"])
    if job.status != job_model.Status.RUNNING:
        return False
    _control_paths(job)[1].touch()
    return True


def job_status(job) -> dict:
    """What the progress bar shows: the row's status, or while running, the
    worker's latest progress file."""
    rows_done, cancelling = job.rows_done, False
    if job.status == job.Status.RUNNING:
        progress_path, cancel_path = _control_paths(job)
        try:
            rows_done = json.loads(progress_path.read_text())["rows_done"]
        except (OSError, ValueError, KeyError):
            rows_done = 0
        cancelling = cancel_path.exists()
    total = job.rows_total
    if job.status == job.Status.SUCCEEDED:
        percent = 100
    elif total:
        percent = min(99, int(rows_done * 100 / total))
    else:
        percent = None
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "finished": job.finished,
        "cancelling": cancelling,
        "rows_done": rows_done,
        "rows_total": total,
        "percent": percent,
        "counts": job.counts,
        "message": job.message,
    }


class _Progress:
    """Handed to ``import_file`` as its progress: counts rows, writes the
    progress file now and then, and stops the import when the job is
    cancelled or the worker is stopping."""

    def __init__(self, job, *, bar=None, stopping=lambda: False):
        self.job, self.bar, self.stopping = job, bar, stopping
        self.rows_done = 0
        self.total = job.rows_total
        self.progress_path, self.cancel_path = _control_paths(job)
        self._next_write = 0.0

    def update(self, rows: int) -> None:
        """Called per row or per batch, also from inside django-import-export's
        row handling (which turns any exception into a row error), so it only
        counts; ``checkpoint`` stops the import."""
        self.rows_done += rows
        if self.bar is not None:
            self.bar.update(rows)
        now = time.monotonic()
        if now >= self._next_write:
            self._next_write = now + PROGRESS_EVERY_SECONDS
            self.write()

    def checkpoint(self) -> None:
        """Between batches: stop if the job was cancelled or the worker is stopping."""
        if self.cancel_path.exists():
            raise JobCancelled
        if self.stopping():
            raise WorkerStopping

    def write(self) -> None:
        temporary = self.progress_path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"rows_done": self.rows_done}))
        os.replace(temporary, self.progress_path)


def claim_next():
    """The oldest queued job, marked running by this worker (a conditional
    UPDATE, so two workers never take the same job), or None."""
    job_model = _job_model()
    for pk in (
        job_model.objects.filter(status=job_model.Status.QUEUED)
        .order_by("created_at")
        .values_list("pk", flat=True)[:10]
    ):
        if job_model.objects.filter(pk=pk, status=job_model.Status.QUEUED).update(
            status=job_model.Status.RUNNING, started_at=timezone.now()
        ):
            return job_model.objects.get(pk=pk)
    return None


def run_job(job, *, bar=None, stopping=lambda: False, batch_size=2000):
    """Import a claimed (running) job's file and record the outcome on the job."""
    progress = _Progress(job, bar=bar, stopping=stopping)
    progress.write()
    job_model = _job_model()
    user = job.created_by
    reason = f"Imported from {job.original_name} (background job {job.pk})"
    report = None
    try:
        report = import_file(
            job.kind,
            Path(job.file.path),
            encoding=job.encoding or None,
            user=user,
            change_reason=reason,
            progress=progress,
            file_name=job.original_name,
            preview_limit=0,
            batch_size=batch_size,
        )
    except JobCancelled:
        job.status, job.message = job_model.Status.CANCELLED, _("Cancelled: nothing was imported.")
    except WorkerStopping:
        # Rolled back; another worker (or this one, restarted) imports it again.
        job.status, job.started_at, job.message = job_model.Status.QUEUED, None, ""
        job.rows_done = 0
        job.save(update_fields=["status", "started_at", "message", "rows_done"])
        progress.progress_path.unlink(missing_ok=True)
        return job
    except ImportFileError as error:
        job.status, job.message = job_model.Status.FAILED, str(error)
    except Exception:
        log.exception("import job failed", extra={"job": job.pk, "kind": job.kind})
        job.status = job_model.Status.FAILED
        job.message = _("The import stopped because of an error in the application; nothing was imported.")
    if report is not None:
        job.status = job_model.Status.SUCCEEDED if report.written else job_model.Status.FAILED
        job.counts = {**report.counts, "error": report.error_count}
        job.problems = report_problems(report.errors, limit=PROBLEM_LIMIT)
        job.warnings = report.warnings[:WARNING_LIMIT]
        if not report.written:
            job.message = _("Nothing was imported: correct the problems listed and upload the file again.")
    job.rows_done = progress.rows_done
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save()
    _remove_files(job)
    return job


def _remove_files(job) -> None:
    progress_path, cancel_path = _control_paths(job)
    progress_path.unlink(missing_ok=True)
    cancel_path.unlink(missing_ok=True)
    job.file.delete(save=False)
    job_model = _job_model()
    job_model.objects.filter(pk=job.pk).update(file="")
