import functools
import inspect

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def memoise_table_signatures() -> None:
    """django-tables2 (3.0.1) reads ``inspect.signature`` of a column's
    ``render_*`` method or attrs callable for every cell it draws (to pass only
    the arguments the callable takes): about 1,100 reads for a 50-row company
    page, a third of its CPU time (docs/PERFORMANCE.md). A function's signature
    never changes, so it is read once per function (bound methods by their
    function, plus whether they are bound) and the answer reused."""
    from django_tables2 import utils

    if getattr(utils.signature, "memoised", False):
        return
    read = utils.signature

    @functools.lru_cache(maxsize=2048)
    def cached(function, bound: bool):
        return read(function.__get__(object()) if bound else function)

    def signature(fn):
        function = getattr(fn, "__func__", None)
        if function is not None and inspect.isfunction(function):
            return cached(function, True)
        if inspect.isfunction(fn):
            return cached(fn, False)
        return read(fn)  # partials, callable objects: not worth caching

    signature.memoised = True
    utils.signature = signature


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        memoise_table_signatures()
