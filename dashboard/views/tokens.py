"""Personal API tokens: a user's own page to create and revoke them.

A new token is shown once, on the page that answers the creating POST (never
stored in a session or a message); only its hash is kept."""

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dashboard.access import viewer_required
from registry.automation import ApiToken
from registry.roles import EDIT_PERMISSION


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    read_only = forms.BooleanField(label=gettext_lazy("Read only"), required=False)
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for a token that does not expire."),
    )

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value and value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."))
        return value


def _tokens(user):
    return list(ApiToken.objects.filter(user=user).order_by("-created_at"))


@viewer_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request):
    """Queries: user, permissions (2), the user's tokens; creating adds the insert."""
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires = form.cleaned_data["expires_on"]
        expires_at = timezone.make_aware(datetime.datetime.combine(expires, datetime.time.min)) if expires else None
        # A Viewer's token could never write, so it is marked read-only to say so.
        read_only = form.cleaned_data["read_only"] or not request.user.has_perm(EDIT_PERMISSION)
        token, raw = ApiToken.issue(
            user=request.user, name=form.cleaned_data["name"], read_only=read_only, expires_at=expires_at
        )
        created = {"token": token, "raw": raw}
        form = TokenForm()
    status = 400 if request.method == "POST" and created is None else 200
    return render(
        request,
        "dashboard/token_list.html",
        {"form": form, "tokens": _tokens(request.user), "created": created, "now": timezone.now()},
        status=status,
    )


@viewer_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, _("Revoked “%(name)s”.") % {"name": token.name})
    return redirect("dashboard:token_list")
