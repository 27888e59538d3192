"""End to end in headless Chromium: an editor uploads a published ranking in
the admin, sees the sector values to map and the matches to existing
organisations before anything is written, maps a value, and confirms."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from registry import models as m
from registry import seed
from registry.roles import sync_roles
from tests.browser_support import log_in
from tests.factories import editor

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GLOBAL500 = Path(__file__).parent / "data" / "global500_2019.tsv"


def test_preview_maps_values_and_shows_matches_before_anything_is_written(page, live_server):
    sync_roles(Group, Permission)
    seed.load_seed()
    organisations = m.Organisation.objects.count()
    user = editor()
    log_in(page, live_server.url, user.username, next_path="/admin/registry/organisation/")
    with page.expect_navigation():
        page.get_by_role("link", name="Import a ranking").click()

    page.get_by_label("List").set_input_files(str(GLOBAL500))
    page.get_by_label("Ranking").fill("Fortune Global 500 2019")
    page.get_by_label("Published at").fill("https://example.org/global500-2019")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()

    # The mapping step: the unknown value once, with its row count.
    assert page.get_by_role("heading", name="Sector values to map").is_visible()
    row = page.locator("#sector-values + p + table tbody tr")
    assert row.count() == 1
    assert row.locator("td").nth(0).inner_text().strip() == "Conglomerates"
    assert row.locator("td").nth(1).inner_text().strip() == "5"
    # The matches to existing records.
    matches = page.locator("#matches + .table-container tbody tr")
    assert matches.count() == 2
    assert "Sinopec Group" in matches.nth(0).inner_text()
    assert "China Petrochemical Corporation" in matches.nth(0).inner_text()
    assert "China Telecom" in matches.nth(1).inner_text()
    assert "498 new organisations" in page.locator("#new-organisations").inner_text()
    # Nothing written yet.
    assert m.Organisation.objects.count() == organisations
    assert not m.Cohort.objects.filter(name="Fortune Global 500 2019").exists()

    page.get_by_label("Sector for Conglomerates").select_option(label="Banking and finance")
    page.set_default_timeout(120_000)  # the write of some 3,600 rows with their history, on a busy machine
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm import").click()

    cohort = m.Cohort.objects.get(name="Fortune Global 500 2019")
    assert page.url.endswith(f"/admin/registry/cohortmembership/?cohort__id__exact={cohort.pk}")
    assert "Imported Fortune Global 500 2019" in page.locator(".messagelist").inner_text()
    assert cohort.memberships.count() == 500
    assert m.Organisation.objects.count() == organisations + 498
    assert cohort.memberships.get(rank=97).organisation.sector == m.Sector.FINANCE
    assert m.VocabularyMapping.objects.get().sector == m.Sector.FINANCE
    assert page.console_problems == []
