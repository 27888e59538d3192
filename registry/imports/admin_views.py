"""Admin pages for published rankings and duplicates, hooked into the
organisation admin (``OrganisationAdmin.get_urls``):

- *Import a ranking*: upload → preview (unknown sector values to map, rows
  matching several organisations to choose, the matches to existing records,
  what would be created) → confirm. Nothing is written before the
  confirmation; the confirmation writes everything in one transaction.
- *Duplicates*: groups of organisations whose names meet after normalisation,
  each with a link to merge them.
- *Merge*: choose the organisation to keep; everything moves onto it.

The uploaded file travels between the steps inside the form (base64), so
nothing is stored before the confirmation.
"""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from registry import models as m
from registry.imports.cleaning import ImportFileError
from registry.imports.ranking import NEW, apply_plan, plan_ranking, read_ranking, summary
from registry.matching import NameIndex, merge_organisations

MAX_UPLOAD = 5 * 1024 * 1024


class RankingUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List"),
        required=False,
        help_text=gettext_lazy("CSV, TSV or XLSX, as published: headers in English or Chinese, any common encoding."),
    )
    cohort_name = forms.CharField(
        label=gettext_lazy("Ranking"),
        max_length=200,
        help_text=gettext_lazy("E.g. “Fortune Global 500 2019”; created if it does not exist."),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        min_value=1949,
        max_value=2100,
        help_text=gettext_lazy("Leave empty to take the year from the ranking's name."),
    )
    source_url = forms.URLField(
        label=gettext_lazy("Published at"), required=False, max_length=1000, assume_scheme="https"
    )
    payload = forms.CharField(required=False, widget=forms.HiddenInput)
    file_name = forms.CharField(required=False, widget=forms.HiddenInput, max_length=255)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(_("The file is larger than 5 MB."))
            content = upload.read()
            data["content"], data["file_name"] = content, upload.name
            data["payload"] = base64.b64encode(content).decode()
        elif data.get("payload"):
            try:
                data["content"] = base64.b64decode(data["payload"], validate=True)
            except (binascii.Error, ValueError):
                raise forms.ValidationError(_("The uploaded file was lost; upload it again.")) from None
        else:
            self.add_error("file", _("Choose the list's file."))
        return data


def _choices_from(post) -> dict[str, str]:
    """The sector chosen for each unknown value: the preview's hidden
    ``sector-value-N`` holds the value, the select ``sector-N`` the sector."""
    from registry.imports.vocabularies import vocabulary_key

    valid = set(m.Sector.values)
    chosen = {}
    for key, value in post.items():
        if key.startswith("sector-value-") and post.get("sector-" + key[13:]) in valid:
            chosen[vocabulary_key(value)] = post["sector-" + key[13:]]
    return chosen


def _match_choices(post) -> dict[int, str]:
    chosen = {}
    for key, value in post.items():
        if key.startswith("match-") and key[6:].isdigit() and (value == NEW or value.isdigit()):
            chosen[int(key[6:])] = value
    return chosen


def import_ranking_view(model_admin, request):
    if not (request.user.has_perm("registry.add_organisation") and request.user.has_perm("registry.add_cohort")):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import a ranking"),
        "sectors": m.Sector.choices,
    }
    if request.method != "POST":
        context["form"] = RankingUploadForm()
        return render(request, "admin/registry/organisation/import_ranking.html", context)
    form = RankingUploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "admin/registry/organisation/import_ranking.html", context)
    data = form.cleaned_data
    try:
        parsed = read_ranking(data["content"])
        plan = plan_ranking(
            parsed,
            cohort_name=data["cohort_name"],
            year=data.get("year"),
            source_url=data.get("source_url") or "",
            sector_choices=_choices_from(request.POST),
            match_choices=_match_choices(request.POST),
        )
    except ImportFileError as error:
        form.add_error(None, str(error))
        return render(request, "admin/registry/organisation/import_ranking.html", context)
    if "confirm" in request.POST and not plan.errors:
        reason = _("Imported ranking %(name)s from %(file)s") % {"name": plan.cohort_name, "file": data["file_name"]}
        try:
            apply_plan(plan, user=request.user, change_reason=reason)
        except IntegrityError:
            # The registry changed between this preview and the write (another
            # import, an edit): nothing was written; preview again.
            form.add_error(None, _("The registry changed while you were reviewing; nothing was written. Try again."))
            context.update(_preview_context(plan, data, request.POST))
            return render(request, "admin/registry/organisation/import_ranking.html", context)
        cohort = m.Cohort.objects.get(name=plan.cohort_name, year=plan.year)
        messages.success(
            request,
            _("Imported %(cohort)s: %(summary)s.") % {"cohort": plan.cohort_name, "summary": summary(plan)},
        )
        # The members' list (50 a page), not the cohort's page with 500 inline rows.
        return redirect(f"{reverse('admin:registry_cohortmembership_changelist')}?cohort__id__exact={cohort.pk}")
    context.update(_preview_context(plan, data, request.POST))
    return render(request, "admin/registry/organisation/import_ranking.html", context)


def _preview_context(plan, data, post) -> dict:
    chosen = _match_choices(post)
    unknown = [
        {"position": i, "value": value, "rows": rows, "sector": plan.unknown_mapped.get(value) or m.Sector.OTHER}
        for i, (value, rows) in enumerate(sorted(plan.unknown_values.items(), key=lambda item: -item[1]))
    ]
    ambiguous = [
        {
            "line": rp.line,
            "name": rp.name,
            "chosen": chosen.get(rp.line, ""),
            "candidates": [(pk, plan.labels.get(pk, "")) for pk in rp.match.candidates],
        }
        for rp in plan.rows
        if rp.match.ambiguous
    ]
    matches = [
        {
            "line": rp.line,
            "name": rp.name,
            "id": rp.organisation_id,
            "label": plan.labels.get(rp.organisation_id, ""),
            "how": _("exact name") if rp.match.how == "exact" else _("name without legal suffixes"),
            "action": rp.action,
            "changes": ", ".join(f"{k}: {v}" for k, v in rp.changes.items()),
        }
        for rp in plan.matched
    ]
    new = [rp for rp in plan.rows if rp.action == "create"]
    return {
        "plan": plan,
        "preview": True,
        "unknown": unknown,
        "ambiguous": ambiguous,
        "matches": matches,
        "new_count": len(new),
        "new_sample": [rp.name for rp in new[:30]],
        "summary": summary(plan),
        "row_errors": plan.errors[:200],
        "title": _("Import a ranking: preview"),
    }


# --------------------------------------------------------------------------- duplicates and merge


def duplicates_view(model_admin, request):
    """Groups of organisations whose names meet after normalisation.
    Queries: the name index (1) and the grouped organisations (1)."""
    if not request.user.has_perm("registry.change_organisation"):
        raise PermissionDenied
    groups = NameIndex.from_database().duplicate_groups()
    organisations = m.Organisation.objects.in_bulk([pk for group in groups for pk in group])
    rows = [
        {
            "organisations": [organisations[pk] for pk in group if pk in organisations],
            "ids": ",".join(map(str, group)),
        }
        for group in groups
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Possible duplicate organisations"),
        "groups": rows,
    }
    return render(request, "admin/registry/organisation/duplicates.html", context)


def merge_view(model_admin, request):
    if not (
        request.user.has_perm("registry.change_organisation") and request.user.has_perm("registry.delete_organisation")
    ):
        raise PermissionDenied
    raw = request.POST.get("ids") or request.GET.get("ids", "")
    ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
    organisations = list(m.Organisation.objects.filter(pk__in=ids).order_by("pk"))
    if len(organisations) < 2:
        messages.error(request, _("Choose at least two organisations to merge."))
        return redirect(reverse("admin:registry_organisation_changelist"))
    if request.method == "POST" and "keep" in request.POST:
        kept = next((o for o in organisations if str(o.pk) == request.POST["keep"]), None)
        if kept is None:
            messages.error(request, _("Choose the organisation to keep."))
        else:
            report = merge_organisations(kept, organisations, user=request.user)
            moved = ", ".join(f"{count} {name}" for name, count in report.moved.items()) or _("nothing")
            messages.success(
                request,
                ngettext(
                    "Merged %(count)s organisation into %(kept)s; moved %(moved)s.",
                    "Merged %(count)s organisations into %(kept)s; moved %(moved)s.",
                    len(report.removed),
                )
                % {"count": len(report.removed), "kept": kept, "moved": moved},
            )
            return redirect(reverse("admin:registry_organisation_change", args=[kept.pk]))
    from django.db.models import Count

    counted = m.Organisation.objects.filter(pk__in=ids).annotate(
        n_accounts=Count("accounts", distinct=True),
        n_memberships=Count("memberships", distinct=True),
        n_statements=Count("statements", distinct=True),
        n_positions=Count("positions", distinct=True),
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Merge organisations"),
        "organisations": counted.order_by("pk"),
        "ids": ",".join(str(o.pk) for o in organisations),
    }
    return render(request, "admin/registry/organisation/merge.html", context)
