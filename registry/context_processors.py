from registry.models import Organisation


def demo_banner(request):
    """Whether synthetic demo rows exist, so every page can say so.
    Costs one cheap EXISTS query, evaluated only when a template reads it."""
    if not request.user.is_authenticated:
        return {}

    return {"demo_data_present": lambda: Organisation.objects.filter(is_demo=True).exists()}
