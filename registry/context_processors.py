from registry.models import Organisation


def demo_banner(request):
    """Whether synthetic demo rows exist, so every page can say so.
    Costs one cheap EXISTS query, evaluated only when a template reads it."""
    # Error pages can be rendered before AuthenticationMiddleware ran (a Host
    # header not in ALLOWED_HOSTS is refused by CommonMiddleware): then no user.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    return {"demo_data_present": lambda: Organisation.objects.filter(is_demo=True).exists()}
