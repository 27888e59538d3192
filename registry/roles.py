"""The three roles, as Django groups, and the permissions each one holds.

Viewer browses and exports; Editor also edits the registry, imports and reviews
statements; Administrator also manages users. The groups are created by a data
migration and can be re-synchronised with ``manage.py sync_roles``.
"""

VIEWER = "Viewer"
EDITOR = "Editor"
ADMINISTRATOR = "Administrator"
ROLES = (VIEWER, EDITOR, ADMINISTRATOR)

# The permission that opens the dashboard, its exports and data endpoints.
BROWSE_PERMISSION = "registry.view_organisation"
EDIT_PERMISSION = "registry.change_organisation"


def permissions_for(role: str, all_permissions):
    """Pick the permissions of ``role`` from (app_label, codename) pairs."""
    registry = [(app, code) for app, code in all_permissions if app == "registry"]
    views = [(app, code) for app, code in registry if code.startswith("view_")]
    if role == VIEWER:
        return views
    editing = registry
    if role == EDITOR:
        return editing
    if role == ADMINISTRATOR:
        auth = [(app, code) for app, code in all_permissions if app == "auth"]
        axes = [(app, code) for app, code in all_permissions if app == "axes"]
        return editing + auth + axes
    raise ValueError(f"unknown role {role!r}")


def sync_roles(group_model, permission_model):
    """Create or update the three groups. Works with historical models too."""
    pairs = list(permission_model.objects.values_list("content_type__app_label", "codename"))
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = permissions_for(role, pairs)
        perms = [
            permission_model.objects.get(content_type__app_label=app, codename=code) for app, code in wanted
        ]
        group.permissions.set(perms)
