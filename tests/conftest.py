import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test starts with an empty cache so cached chart data never leaks."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _role_groups_in_transactional_tests(request):
    """A transactional test (live server, threads, pg_dump) starts after earlier
    ones flushed every table, including the role groups that the data migration
    made (flush recreates only content types and permissions); put them back so
    role users can be made in any order. Costs nothing for other tests."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group, Permission

    from registry.roles import ROLES, sync_roles

    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        sync_roles(Group, Permission)
