"""A user's scheduled briefings (with their sends, failures shown to the
owner, and whether a worker is running) and their alerts (unread first, with
subscriptions to create and remove)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dashboard.access import viewer_required
from registry.automation import (
    PACK_FORMATS,
    Alert,
    AlertSubscription,
    AllowedEmailDomain,
    BriefingSchedule,
    BriefingSend,
    WorkerHeartbeat,
)
from registry.models import Briefing


class ScheduleForm(forms.ModelForm):
    format_choices = forms.MultipleChoiceField(
        label=gettext_lazy("Formats"),
        choices=[(f, f.upper()) for f in PACK_FORMATS],
        widget=forms.CheckboxSelectMultiple,
        initial=["pptx"],
    )

    class Meta:
        model = BriefingSchedule
        fields = [
            "briefing",
            "frequency",
            "weekday",
            "day_of_month",
            "time",
            "language",
            "recipients",
            "external_recipients",
        ]
        widgets = {
            "time": forms.TimeInput(attrs={"type": "time"}),
            "recipients": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["briefing"].queryset = Briefing.objects.filter(owner=user)
        self.fields["recipients"].queryset = get_user_model().objects.filter(is_active=True).exclude(email="")

    def clean_external_recipients(self):
        value = self.cleaned_data["external_recipients"]
        allowed = set(AllowedEmailDomain.objects.values_list("domain", flat=True))
        for address in [line.strip().lower() for line in value.splitlines() if line.strip()]:
            try:
                forms.EmailField().clean(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(address)s” is not an e-mail address.") % {"address": address}
                ) from None
            if address.rpartition("@")[2] not in allowed:
                raise forms.ValidationError(
                    _("“%(address)s” is outside the domains an administrator allows.") % {"address": address}
                )
        return value

    def save(self, commit=True):
        self.instance.formats = ",".join(self.cleaned_data["format_choices"])
        return super().save(commit)


def worker_seen_recently() -> bool:
    latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return bool(latest and timezone.now() - latest < settings.WORKER_STALE_AFTER)


@viewer_required
@never_cache
@require_http_methods(["GET", "POST"])
def schedule_list(request):
    """Queries: user, permissions (2), heartbeat, the user's schedules, their
    recent sends; the form's choices when rendered."""
    form = ScheduleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Scheduled."))
        return redirect("dashboard:schedule_list")
    schedules = list(
        BriefingSchedule.objects.filter(briefing__owner=request.user).select_related("briefing").order_by("id")
    )
    now = timezone.now()
    sends = BriefingSend.objects.filter(schedule__in=schedules).select_related("schedule__briefing")[:50]
    return render(
        request,
        "dashboard/schedule_list.html",
        {
            "form": form,
            "schedules": [(s, s.next_slot(now)) for s in schedules],
            "sends": sends,
            "worker_ok": worker_seen_recently(),
        },
        status=400 if request.method == "POST" else 200,
    )


@viewer_required
@require_POST
def schedule_delete(request, pk: int):
    schedule = get_object_or_404(BriefingSchedule, pk=pk, briefing__owner=request.user)
    schedule.delete()
    messages.success(request, _("Schedule removed."))
    return redirect("dashboard:schedule_list")


class SubscriptionForm(forms.ModelForm):
    class Meta:
        model = AlertSubscription
        fields = [
            "target",
            "cohort",
            "organisation",
            "platform",
            "query",
            "on_accounts",
            "on_followers",
            "followers_share",
            "followers_days",
            "on_verdicts",
            "on_statements",
            "delivery",
        ]
        widgets = {"organisation": forms.NumberInput()}

    def clean(self):
        data = super().clean()
        target = data.get("target")
        needed = {"cohort": "cohort", "organisation": "organisation", "platform": "platform", "search": "query"}.get(
            target
        )
        for name in ("cohort", "organisation", "platform", "query"):
            if name != needed:
                data[name] = "" if name == "query" else None
        if needed and not data.get(needed):
            self.add_error(needed, _("Choose what to follow."))
        return data


@viewer_required
@never_cache
@require_http_methods(["GET", "POST"])
def alert_list(request):
    """Queries: user, permissions (2), unread count, the latest alerts, the
    user's subscriptions; the form's choices when rendered."""
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.user = request.user
        form.save()
        messages.success(request, _("Subscribed."))
        return redirect("dashboard:alert_list")
    from automation.alerts import message_for

    alerts = list(Alert.objects.filter(user=request.user)[:100])
    return render(
        request,
        "dashboard/alert_list.html",
        {
            "form": form,
            "unread": Alert.objects.filter(user=request.user, read_at__isnull=True).count(),
            "alerts": [(a, message_for(a)) for a in alerts],
            "subscriptions": AlertSubscription.objects.filter(user=request.user).select_related(
                "cohort", "organisation", "platform"
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@viewer_required
@require_POST
def alerts_read(request):
    Alert.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("dashboard:alert_list")


@viewer_required
@require_POST
def subscription_delete(request, pk: int):
    get_object_or_404(AlertSubscription, pk=pk, user=request.user).delete()
    return redirect("dashboard:alert_list")
