"""Imports into the registry, in one package.

- ``cleaning``: single values (numbers, dates, provinces, text) -> Python values.
- ``tables``: files (CSV/TSV/XLSX, any encoding) -> rows of cleaned values.
- ``specs``: what each kind of import understands (columns, aliases, keys).
- ``resources``: django-import-export resources (admin and ``import_data``).
- ``metrics``: the streaming metric snapshots path (``record_metrics``).
- ``errors``: import problems as row, column and message for people.
- ``reports``: what the management commands print.
- ``jobs``: background imports of uploaded files (``ImportJob``).

Kept free of imports so that adding a module here never creates a cycle.
"""
