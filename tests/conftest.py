import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test starts with an empty cache so cached chart data never leaks."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
