"""Roles apply to the API exactly as to the pages: reading needs the Viewer's
permission, writing the Editor's, and a read-only token never writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from registry.automation import ApiToken
from registry.roles import BROWSE_PERMISSION, EDIT_PERMISSION


class RolePermission(BasePermission):
    """2 queries on a user's first permission check of the request (user and
    group permissions, then cached on the user object)."""

    message = _("Your role does not allow this.")

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return user.has_perm(BROWSE_PERMISSION)
        if isinstance(request.auth, ApiToken) and request.auth.read_only:
            self.message = _("This token is read-only.")
            return False
        return user.has_perm(EDIT_PERMISSION)
