"""Large admin uploads become background import jobs: refused before reading
when over IMPORT_MAX_UPLOAD_BYTES; otherwise stored, answered at once, imported
by ``manage.py run_import_jobs`` in batches, all or nothing, with progress on the
job's page and in the command line, cancellable, and never in a web worker."""

import io
import json
import threading

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from registry import models as m
from registry.imports.jobs import claim_next, job_status, request_cancel, run_job
from tests.factories import editor, make_user

ON_POSTGRESQL = django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
HEADER = "Company Name,企业名称,Province\n"


def _orgs(count: int, *, bad_line: int | None = None) -> bytes:
    rows = [f"Company {i},公司{i},{'Atlantis' if i + 2 == bad_line else 'Beijing'}\n" for i in range(count)]
    return (HEADER + "".join(rows)).encode()


@pytest.fixture
def jobs_dir(settings, tmp_path):
    settings.IMPORT_JOBS_DIR = tmp_path / "imports"
    settings.IMPORT_BACKGROUND_FROM_BYTES = 1024
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.IMPORT_JOBS_DIR


@pytest.fixture
def editor_client(client, db, jobs_dir):
    client.force_login(editor())
    return client


def _upload(client, content: bytes, name="orgs.csv"):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(
        reverse("admin:registry_organisation_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )


def test_a_large_upload_answers_at_once_with_a_queued_job(editor_client, jobs_dir):
    response = _upload(editor_client, _orgs(200))
    job = m.ImportJob.objects.get()
    assert job.file.path.startswith(str(jobs_dir))  # stored where the worker looks (IMPORT_JOBS_DIR)
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:registry_importjob_change", args=[job.pk]
    )
    assert job.status == "queued" and job.kind == "organisations" and job.rows_total == 200
    assert not m.Organisation.objects.exists()  # nothing imported in the web request
    page = editor_client.get(response["Location"]).content.decode()
    assert "<progress" in page and "import_progress.js" in page and "Cancel this import" in page
    assert "<script>" not in page  # the Content-Security-Policy forbids inline scripts


def test_the_worker_imports_the_job_with_progress(editor_client):
    _upload(editor_client, _orgs(300))
    job = m.ImportJob.objects.get()
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("run_import_jobs", "--once", "--batch-size", "50", stdout=stdout, stderr=stderr)
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert job.counts["create"] == 300 and job.rows_done == 300
    assert m.Organisation.objects.count() == 300
    assert f"job {job.pk}: succeeded (300 create" in stdout.getvalue()
    assert "300/300" in stderr.getvalue()  # the command line's progress bar
    assert not job.file  # the upload is removed once imported
    status = editor_client.get(reverse("admin:registry_importjob_status", args=[job.pk])).json()
    assert status["finished"] and status["percent"] == 100 and status["status"] == "succeeded"
    history = m.Organisation.history.first()
    assert history.history_user.username.startswith("editor")
    assert "background job" in history.history_change_reason


def test_one_bad_row_means_nothing_is_written_and_the_problem_is_shown(editor_client):
    _upload(editor_client, _orgs(300, bad_line=250))
    job = m.ImportJob.objects.get()
    call_command("run_import_jobs", "--once", "--batch-size", "40", "--no-progress", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.counts["create"] == 299 and job.counts["error"] == 1
    assert m.Organisation.objects.count() == 0  # batches before the bad row were rolled back too
    assert (
        job.problems == [{"line": 250, "column": "province", "message": job.problems[0]["message"]}]
        and "Atlantis" in job.problems[0]["message"]
    )
    page = editor_client.get(reverse("admin:registry_importjob_change", args=[job.pk])).content.decode()
    assert "Atlantis" in page and "Traceback" not in page


def test_a_queued_job_is_cancelled_at_once(editor_client):
    _upload(editor_client, _orgs(100))
    job = m.ImportJob.objects.get()
    path = job.file.path
    response = editor_client.post(reverse("admin:registry_importjob_cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert not __import__("os").path.exists(path)
    assert claim_next() is None


def test_a_running_job_is_cancelled_and_rolled_back(editor_client):
    _upload(editor_client, _orgs(300))
    job = claim_next()
    assert job.status == "running"
    assert request_cancel(job)
    assert job_status(job)["cancelling"]
    job = run_job(job, batch_size=50)
    assert job.status == "cancelled"
    assert m.Organisation.objects.count() == 0


def test_a_stopping_worker_puts_the_job_back_in_the_queue(editor_client):
    _upload(editor_client, _orgs(300))
    job = run_job(claim_next(), stopping=lambda: True, batch_size=50)
    assert job.status == "queued" and m.Organisation.objects.count() == 0
    call_command("run_import_jobs", "--once", "--no-progress", stdout=io.StringIO())
    assert m.Organisation.objects.count() == 300


def test_only_the_uploader_or_an_administrator_cancels(client, jobs_dir, db):
    owner = editor()
    client.force_login(owner)
    _upload(client, _orgs(100))
    job = m.ImportJob.objects.get()
    client.force_login(editor())
    assert client.post(reverse("admin:registry_importjob_cancel", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == "queued"
    assert client.get(reverse("admin:registry_importjob_cancel", args=[job.pk])).status_code == 405


def test_viewers_cannot_see_jobs(client, jobs_dir, db):
    client.force_login(make_user())
    assert client.get(reverse("admin:registry_importjob_changelist")).status_code in (302, 403)


def test_status_endpoint_query_count(editor_client, django_assert_num_queries):
    _upload(editor_client, _orgs(100))
    job = m.ImportJob.objects.get()
    url = reverse("admin:registry_importjob_status", args=[job.pk])
    editor_client.get(url)  # warm the session
    # the user (the session is cached), the user's own and their groups'
    # permissions (has_view_permission), the job; constant however many rows it holds
    with django_assert_num_queries(4):
        status = editor_client.get(url).json()
    assert status["status"] == "queued" and status["rows_total"] == 100 and status["rows_done"] == 0


def test_an_upload_over_the_limit_is_refused_before_it_is_read(editor_client, settings, monkeypatch):
    settings.IMPORT_MAX_UPLOAD_BYTES = 4096

    def never(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr("django.http.multipartparser.MultiPartParser.parse", never)
    response = _upload(editor_client, _orgs(500))
    assert response.status_code == 413
    assert "larger than the import limit" in response.content.decode()
    assert not m.ImportJob.objects.exists()


def test_a_small_upload_keeps_the_in_page_preview(editor_client):
    response = _upload(editor_client, _orgs(5))
    assert response.status_code == 200 and "confirm_form" in response.context
    assert not m.ImportJob.objects.exists()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite serialises writers; concurrent reads during a write run on PG")
@pytest.mark.django_db(transaction=True)
def test_pages_answer_while_an_import_runs(client, jobs_dir):
    from django.db import connection

    user = editor()
    client.force_login(user)
    _upload(client, _orgs(400))
    job = claim_next()
    answered = {}

    class Probe:
        """The job's progress hook: on the first batch, another thread (another
        connection, as a web worker) requests the overview."""

        def update(self, rows):
            if "status" not in answered:
                thread = threading.Thread(target=self.request)
                thread.start()
                thread.join(timeout=60)

        def request(self):
            try:
                answered["status"] = client.get(reverse("dashboard:overview")).status_code
                answered["job"] = client.get(reverse("admin:registry_importjob_status", args=[job.pk])).json()
            finally:
                connection.close()

    run_job(job, bar=Probe(), batch_size=100)
    assert answered["status"] == 200
    assert answered["job"]["status"] == "running" and answered["job"]["rows_done"] >= 0
    assert m.Organisation.objects.count() == 400
    json.dumps(answered)
