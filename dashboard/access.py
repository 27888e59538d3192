"""Who may see what. Every dashboard view is wrapped in one of these; the
project-wide LoginRequiredMiddleware already sends anonymous users to log in."""

from django.contrib.auth.decorators import permission_required

from registry.roles import BROWSE_PERMISSION, EDIT_PERMISSION

viewer_required = permission_required(BROWSE_PERMISSION, raise_exception=True)
editor_required = permission_required(EDIT_PERMISSION, raise_exception=True)
