"""Responses shared by the dashboard's view modules."""

from django.shortcuts import render


def bad_filters(request, errors):
    """400 with each invalid parameter and its message, and a link that resets them."""
    return render(request, "dashboard/bad_filters.html", {"errors": errors, "reset_url": request.path}, status=400)
