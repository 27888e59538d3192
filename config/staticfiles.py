"""Serves plotly.js straight from the installed plotly package, so the app
needs no CDN and keeps no vendored copy that could drift from the Python side."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
PLOTLY_FILES = ("plotly.min.js",)
PREFIX = "vendor/plotly"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PLOTLY_DIR))
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        for name in PLOTLY_FILES:
            if path == f"{PREFIX}/{name}":
                match = str(PLOTLY_DIR / name)
                return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        for name in PLOTLY_FILES:
            yield name, self.storage
