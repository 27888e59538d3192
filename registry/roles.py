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


# Registry models only administrators manage: which outside domains may receive mail.
ADMINISTRATOR_ONLY_MODELS = ("allowedemaildomain",)


def _administrator_only(code: str) -> bool:
    return code.rpartition("_")[2] in ADMINISTRATOR_ONLY_MODELS


def permissions_for(role: str, all_permissions):
    """Pick the permissions of ``role`` from (app_label, codename) pairs."""
    registry = [(app, code) for app, code in all_permissions if app == "registry"]
    views = [(app, code) for app, code in registry if code.startswith("view_") and not _administrator_only(code)]
    if role == VIEWER:
        return views
    editing = [(app, code) for app, code in registry if not _administrator_only(code)]
    if role == EDITOR:
        return editing
    if role == ADMINISTRATOR:
        auth = [(app, code) for app, code in all_permissions if app == "auth"]
        axes = [(app, code) for app, code in all_permissions if app == "axes"]
        return registry + auth + axes
    raise ValueError(f"unknown role {role!r}")


def sync_roles(group_model, permission_model) -> dict[str, tuple[int, int]]:
    """Create or update the three groups so each holds exactly its role's
    permissions. Works with historical models too (the data migration uses it).

    Returns ``{role: (added, removed)}``. Costs a handful of queries per role."""
    by_pair = {
        (perm.content_type.app_label, perm.codename): perm
        for perm in permission_model.objects.select_related("content_type")
    }
    changes = {}
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = {by_pair[pair].pk: by_pair[pair] for pair in permissions_for(role, list(by_pair))}
        current = set(group.permissions.values_list("pk", flat=True))
        group.permissions.set(list(wanted.values()))
        changes[role] = (len(wanted.keys() - current), len(current - wanted.keys()))
    return changes


def is_administrator(user) -> bool:
    """Superusers and members of the Administrator group."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()
