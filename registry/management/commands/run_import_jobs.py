"""Import the files uploaded through the admin, one job at a time.

    python manage.py run_import_jobs            # keep watching for queued jobs
    python manage.py run_import_jobs --once     # import what is queued, then stop

Each job is all or nothing; progress shows on the job's admin page and here.
SIGTERM (or Ctrl-C) stops at the next batch: the job's transaction is rolled
back and the job goes back to the queue, so a restart imports it again.
"""

import signal
import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from registry.imports.jobs import claim_next, run_job


class Command(BaseCommand):
    help = "Run queued background imports (files uploaded through the admin)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Import the queued jobs, then exit.")
        parser.add_argument("--poll", type=float, default=2.0, help="Seconds between looks at the queue.")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per batch.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, once, poll, batch_size, no_progress, **options):
        self.stopping = False
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not self.stopping:
                job = claim_next()
                if job is None:
                    if once:
                        break
                    time.sleep(poll)
                    continue
                self._run(job, batch_size=batch_size, progress=not no_progress)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self, signum, frame):
        self.stopping = True

    def _run(self, job, *, batch_size, progress):
        self.stdout.write(f"job {job.pk}: {job.kind} from {job.original_name} ({job.size:,} bytes)")
        bar = tqdm(
            total=job.rows_total,
            file=getattr(self.stderr, "_out", sys.stderr),
            unit="row",
            disable=not progress,
            desc=f"job {job.pk}",
        )
        try:
            job = run_job(job, bar=bar, stopping=lambda: self.stopping, batch_size=batch_size)
        finally:
            bar.close()
        counts = ", ".join(f"{job.counts.get(k, 0):,} {k}" for k in ("create", "update", "unchanged", "error"))
        line = f"job {job.pk}: {job.status}" + (f" ({counts})" if job.counts else "")
        if job.message:
            line += f". {job.message}"
        style = self.style.SUCCESS if job.status == job.Status.SUCCEEDED else self.style.WARNING
        self.stdout.write(style(line))
