"""Every URL pattern in the project, checked for anonymous users and each role.

The patterns are enumerated from the URL configuration, so a new URL without a
row in ``EXPECTED`` fails ``test_every_url_has_a_rule``.

Each row maps a URL name to the lowest role that may use it:
  "public"  - anyone (login page, health check)
  "signed_in" - any signed-in user, even one without a role (log out)
  "viewer"  - any signed-in user with the Viewer role or above
  "editor"  - Editor or Administrator
  "admin"   - Administrator only
Admin-site URLs (namespace "admin") are covered by the last tests.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import administrator, editor, make_user, viewer

EXPECTED = {
    "healthz": "public",
    "login": "public",
    "set_language": "public",  # the language switcher, POST-only; on the login page too
    "logout": "signed_in",  # POST-only
    "password_change": "signed_in",
    "password_change_done": "signed_in",
    # reset by email: public, and 404 unless email is configured (tests/test_accounts.py)
    "password_reset": "public",
    "password_reset_done": "public",
    "password_reset_confirm": "public",
    "password_reset_complete": "public",
    "dashboard:overview": "viewer",
    # pages (dashboard/views/pages.py)
    "dashboard:chart": "viewer",
    "dashboard:platform_list": "viewer",
    "dashboard:platform_detail": "viewer",
    "dashboard:company_list": "viewer",
    "dashboard:company_detail": "viewer",
    "dashboard:person_list": "viewer",
    "dashboard:person_detail": "viewer",
    "dashboard:statement_list": "viewer",
    "dashboard:source_list": "viewer",
    "dashboard:source_detail": "viewer",
    "dashboard:figure_list": "viewer",
    # end pages
    # exports and briefings (dashboard/views/exports.py, dashboard/views/briefings.py); changes are POST-only
    "dashboard:chart_export": "viewer",
    "dashboard:briefing_list": "viewer",
    "dashboard:briefing_new": "viewer",
    "dashboard:briefing_add": "viewer",
    "dashboard:briefing_detail": "viewer",
    "dashboard:briefing_title": "viewer",
    "dashboard:briefing_item": "viewer",
    "dashboard:briefing_statements": "viewer",
    "dashboard:briefing_delete": "viewer",
    "dashboard:briefing_download": "viewer",
    # end exports
    # statements: extraction review (dashboard/views/review.py)
    "dashboard:statement_extract": "editor",
    # end statements
    # influence indices (dashboard/views/indices.py)
    "dashboard:indices": "viewer",
    "dashboard:index_account": "viewer",
    # end indices
    # personal API tokens (dashboard/views/tokens.py); revoking is POST-only and only the owner's
    "dashboard:token_list": "viewer",
    "dashboard:token_revoke": "viewer",
    # scheduled briefings and alerts (dashboard/views/automation.py); deletes are POST-only and owner-only
    "dashboard:schedule_list": "viewer",
    "dashboard:schedule_delete": "viewer",
    "dashboard:alert_list": "viewer",
    "dashboard:alerts_read": "viewer",
    "dashboard:subscription_delete": "viewer",
    # JSON API (api/urls.py): the schema and its docs are public; anonymous requests get 401/403
    "api:schema": "public",
    "api:docs": "public",
    "api:redoc": "public",
    "api:organisation-list": "viewer",
    "api:organisation-detail": "viewer",
    "api:cohort-list": "viewer",
    "api:cohort-detail": "viewer",
    "api:cohort-members": "viewer",
    "api:platform-list": "viewer",
    "api:platform-detail": "viewer",
    "api:account-list": "viewer",
    "api:account-detail": "viewer",
    "api:metric-list": "viewer",
    "api:metric-bulk": "editor",
    "api:person-list": "viewer",
    "api:person-detail": "viewer",
    "api:statement-list": "viewer",
    "api:statement-detail": "viewer",
    "api:source-list": "viewer",
    "api:source-detail": "viewer",
    "api:figure-list": "viewer",
    "api:figure-detail": "viewer",
    "api:adoption-by-platform": "viewer",
    "api:adoption-over-time": "viewer",
    "api:adoption-by-ownership": "viewer",
    "api:adoption-by-sector": "viewer",
}

# Keyword arguments for URLs that need them: name -> kwargs (objects made by the `objects` fixture).
URL_KWARGS = {
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    # pages (dashboard/views/pages.py)
    "dashboard:chart": {"slug": "presence-matrix"},
    "dashboard:platform_detail": lambda o: {"slug": o["platforms"]["wechat"].slug},
    "dashboard:company_detail": lambda o: {"pk": o["cohort"].memberships.first().organisation_id},
    "dashboard:person_detail": lambda o: {"pk": _make("make_person").pk},
    "dashboard:source_detail": lambda o: {"pk": _make("make_source").pk},
    # end pages
    # exports and briefings: a colleague's briefing, which any viewer may open (owners alone change it)
    "dashboard:chart_export": {"slug": "adoption-by-platform", "fmt": "csv"},
    "dashboard:briefing_detail": lambda o: {"uuid": _briefing(o).uuid},
    "dashboard:briefing_title": lambda o: {"uuid": _briefing(o).uuid},
    "dashboard:briefing_item": lambda o: {"uuid": _briefing(o).uuid, "pk": _briefing(o).items.first().pk},
    "dashboard:briefing_statements": lambda o: {"uuid": _briefing(o).uuid},
    "dashboard:briefing_delete": lambda o: {"uuid": _briefing(o).uuid},
    "dashboard:briefing_download": lambda o: {"uuid": _briefing(o).uuid, "fmt": "xlsx"},
    # end exports
    # influence indices: the first member's WeChat account
    "dashboard:index_account": lambda o: {
        "account_id": o["cohort"].memberships.order_by("rank").first().organisation.accounts.first().pk
    },
    # end indices
    "dashboard:token_revoke": lambda o: {"pk": _token(o).pk},
    "dashboard:schedule_delete": {"pk": 999999},
    "dashboard:subscription_delete": {"pk": 999999},
    "api:organisation-detail": lambda o: {"pk": o["cohort"].memberships.first().organisation_id},
    "api:cohort-detail": lambda o: {"slug": o["cohort"].slug},
    "api:cohort-members": lambda o: {"slug": o["cohort"].slug},
    "api:platform-detail": lambda o: {"slug": o["platforms"]["wechat"].slug},
    "api:account-detail": lambda o: {
        "pk": o["cohort"].memberships.order_by("rank").first().organisation.accounts.first().pk
    },
    "api:person-detail": lambda o: {"pk": _make("make_person").pk},
    "api:statement-detail": lambda o: {"pk": _make("make_statement").pk},
    "api:source-detail": lambda o: {"pk": _make("make_source").pk},
    "api:figure-detail": lambda o: {"pk": _make("make_figure").pk},
}


def _token(objects):
    """A colleague's token: revoking it is refused (404) for everyone but its owner."""
    if "token" not in objects:
        from registry.automation import ApiToken

        objects["token"], _raw = ApiToken.issue(user=make_user(), name="colleague")
    return objects["token"]


def _briefing(objects):
    if "briefing" not in objects:
        from tests.factories import make_briefing

        objects["briefing"] = make_briefing(charts=[("adoption-by-platform", f"cohort={objects['cohort'].slug}")])
    return objects["briefing"]


def _make(builder: str):
    from tests import factories

    return getattr(factories, builder)()


ROLE_ORDER = ["anonymous", "norole", "viewer", "editor", "admin"]


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            yield from _walk(p.url_patterns, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def project_url_names():
    names = set(_walk(get_resolver().url_patterns))
    return {n for n in names if not n.startswith("admin:") and not n.startswith("djdt:")}


def test_every_url_has_a_rule():
    missing = sorted(project_url_names() - set(EXPECTED))
    assert not missing, f"URLs without an access rule in tests/test_access.py: {missing}"
    stale = sorted(set(EXPECTED) - project_url_names())
    assert not stale, f"Rules for URLs that no longer exist: {stale}"


def _allowed(rule, role):
    if rule == "public":
        return True
    if rule == "signed_in":
        return role != "anonymous"
    if role in ("anonymous", "norole"):
        return False
    needed = {"viewer": 2, "editor": 3, "admin": 4}[rule]
    return ROLE_ORDER.index(role) >= needed


def _client_for(client, role, django_user_model):
    if role == "anonymous":
        return client
    user = {
        "norole": lambda: make_user(role=None),
        "viewer": viewer,
        "editor": editor,
        "admin": administrator,
    }[role]()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_ORDER)
def test_access_matrix(client, django_user_model, role, access_objects):
    client = _client_for(client, role, django_user_model)
    failures = []
    # Log out last: it ends the session the other URLs are checked with.
    for name, rule in sorted(EXPECTED.items(), key=lambda item: (item[0] == "logout", item[0])):
        kwargs = URL_KWARGS.get(name)
        url = reverse(name, kwargs=kwargs(access_objects) if callable(kwargs) else kwargs)
        response = client.get(url)
        allowed = _allowed(rule, role)
        if response.status_code == 405:
            # POST-only views are checked with POST (no data). A 403 there may be an
            # ownership rule rather than the role, so only denials are strict.
            response = client.post(url)
            if allowed and response.status_code == 403:
                response.status_code = 200
        status = response.status_code
        # A denial sends the user to log in with ?next=; logging out also lands there, without it.
        if (
            allowed
            and status in (401, 403)
            or allowed
            and status == 302
            and "/accounts/login/?next=" in response.get("Location", "")
        ):
            failures.append(f"{name}: {role} should be allowed, got {status}")
        if not allowed:
            denied = status == 403 or (status == 302 and "/accounts/login/" in response.get("Location", ""))
            if role == "anonymous":
                denied = status == 302 and "/accounts/login/" in response.get("Location", "")
                # The API answers anonymous requests itself instead of redirecting to the login page.
                denied = denied or (name.startswith("api:") and status in (401, 403))
            if not denied:
                failures.append(f"{name}: {role} should be denied, got {status}")
        if status >= 500:
            failures.append(f"{name}: {role} got a server error {status}")
    assert not failures, "\n".join(failures)


@pytest.fixture
def access_objects(db):
    """Objects that URLs with arguments point at."""
    from tests.factories import make_cohort_with_adoption

    cohort, platforms = make_cohort_with_adoption(members=2, wechat=1, weibo=1)
    return {"cohort": cohort, "platforms": platforms}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, expected",
    [("anonymous", 302), ("norole", 302), ("viewer", 302), ("editor", 200), ("admin", 200)],
)
def test_admin_site_access(client, django_user_model, role, expected):
    client = _client_for(client, role, django_user_model)
    assert client.get(reverse("admin:registry_organisation_changelist")).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role, expected", [("editor", 403), ("admin", 200)])
def test_only_administrators_manage_users(client, django_user_model, role, expected):
    client = _client_for(client, role, django_user_model)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == expected
