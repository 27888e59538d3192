"""Extract statements and published figures from an article, review them, save the accepted ones.

One URL, three steps, all plain form posts (works without JavaScript):

1. GET: the article form (text pasted or a file uploaded in any common encoding, title,
   URL, publisher, date, language).
2. POST step=extract: the article is checked, decoded (``registry.statements.reading``)
   and run through ``registry.statements.extract`` and ``registry.statements.figures``;
   the review screen lists every statement candidate and every published-figure
   candidate as a form (accept / reject, every field editable). The article travels in
   hidden fields: nothing is written to the database until step 3.
3. POST step=save: the accepted candidates are written in one transaction by
   ``registry.statements.service.save_reviewed``; then a redirect to the source's page.

step=edit goes back from the review screen to the article form, keeping the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.forms import formset_factory
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dashboard.access import editor_required
from registry.models import (
    QUOTE_MAX_LENGTH,
    Cohort,
    DatePrecision,
    Language,
    Platform,
    Qualifier,
    Source,
    StatementKind,
    quote_key,
)
from registry.statements import Candidate, detect_language, detect_platforms, extract
from registry.statements.figures import FigureCandidate, propose_figures
from registry.statements.reading import NotText, decode_article, encoding_label
from registry.statements.service import (
    LIVESTREAMING,
    ArticleData,
    NameMatch,
    ReviewedFigure,
    ReviewedStatement,
    as_of_of,
    duplicate_of,
    find_duplicates,
    match_cohort,
    match_names,
    parse_topic_names,
    save_reviewed,
    source_for_url,
)

ARTICLE_MAX_CHARS = 200_000
UPLOAD_MAX_BYTES = 2_000_000
MAX_CANDIDATES = 200
MAX_FIGURES = 50
TEMPLATE_ARTICLE = "dashboard/review_article.html"
TEMPLATE_REVIEW = "dashboard/review.html"


class ArticleForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Article text"),
        max_length=ARTICLE_MAX_CHARS,
        strip=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=gettext_lazy(
            "Paste the article as plain text (English or Chinese), up to 200,000 characters, or upload a file below. "
            "Page clutter (share buttons, captions, related links) is ignored."
        ),
        error_messages={
            "max_length": gettext_lazy(
                "The article is too long: at most %(limit_value)s characters (it has %(show_value)s)."
            ),
        },
    )
    file = forms.FileField(
        label=gettext_lazy("Or upload a text file"),
        required=False,
        help_text=gettext_lazy(
            "A .txt file in any common encoding (UTF-8, GBK/GB18030, Big5, UTF-16): the encoding is detected."
        ),
    )
    encoding = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=500,
        error_messages={"required": gettext_lazy("Give the article's title.")},
    )
    url = forms.URLField(
        label=gettext_lazy("URL"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("If the registry already holds this URL, its source is reused."),
        error_messages={"invalid": gettext_lazy("Enter the full address, e.g. https://www.example.com/article.")},
    )
    publisher = forms.CharField(label=gettext_lazy("Publisher"), max_length=200, required=False)
    published_on = forms.DateField(
        label=gettext_lazy("Publication date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        help_text=gettext_lazy("English or Chinese articles are recognised whichever you choose."),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > UPLOAD_MAX_BYTES:
                self.add_error("file", _("The file is too large: at most 2 MB of text."))
                return data
            try:
                decoded = decode_article(upload.read())
            except NotText as exc:
                self.add_error("file", str(exc))
                return data
            if len(decoded.text) > ARTICLE_MAX_CHARS:
                self.add_error(
                    "file",
                    _("The article is too long: at most %(limit)s characters.") % {"limit": f"{ARTICLE_MAX_CHARS:,}"},
                )
                return data
            data["text"] = decoded.text.strip()
            data["encoding"] = decoded.encoding
        text = data.get("text") or ""
        if "text" in self.errors or "file" in self.errors:
            return data
        if not text:
            self.add_error("text", _("Paste the article's text or upload a file."))
        elif len(text.split()) < 5 and len(text) < 40:
            self.add_error("text", _("This is too short to be an article: paste the whole text."))
        return data

    def article(self) -> ArticleData:
        data = self.cleaned_data
        return ArticleData(
            text=data["text"],
            title=data["title"],
            url=data["url"],
            publisher=data["publisher"],
            published_on=data["published_on"],
            language=data["language"],
        )

    def hidden_data(self) -> dict:
        """What the review screen carries in hidden fields: the decoded text, not the file."""
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in ("text", "encoding", "title", "url", "publisher", "published_on", "language")
        }


DECISIONS = [("accept", gettext_lazy("Accept")), ("reject", gettext_lazy("Reject"))]


class CandidateForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=DECISIONS, widget=forms.RadioSelect, initial="accept"
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=StatementKind.choices)
    quote = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=QUOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    speaker = forms.CharField(
        label=gettext_lazy("Speaker"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Empty when the organisation speaks as itself."),
    )
    role = forms.CharField(label=gettext_lazy("Role"), required=False, max_length=255)
    organisation = forms.CharField(label=gettext_lazy("Organisation"), required=False, max_length=255)
    platforms = forms.MultipleChoiceField(
        label=gettext_lazy("Also about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Platforms the text does not name but the statement is about."),
    )
    mentions_livestreaming = forms.BooleanField(label=gettext_lazy("About livestreaming"), required=False)
    topics = forms.CharField(
        label=gettext_lazy("Topics"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Comma-separated; a topic not yet in the registry is created."),
    )

    def __init__(self, *args, platform_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platforms"].choices = platform_choices

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept":
            if not (data.get("quote") or "").strip():
                self.add_error("quote", _("An accepted statement needs its text."))
            if not (data.get("speaker") or "").strip() and not (data.get("organisation") or "").strip():
                self.add_error("speaker", _("Give the speaker or the organisation, or reject this candidate."))
        return data

    @property
    def accepted(self) -> bool:
        return self.cleaned_data.get("decision") == "accept"

    def reviewed(self) -> ReviewedStatement:
        data = self.cleaned_data
        detected = detect_platforms(data["quote"])
        return ReviewedStatement(
            quote=data["quote"].strip(),
            kind=data["kind"],
            speaker=data["speaker"].strip(),
            role=data["role"].strip(),
            organisation=data["organisation"].strip(),
            platforms=list(dict.fromkeys([*detected, *data["platforms"]])),
            mentions_livestreaming=LIVESTREAMING in detected or data["mentions_livestreaming"],
            topics=parse_topic_names(data["topics"]),
        )


UNITS = [("", gettext_lazy("organisations")), ("percent", gettext_lazy("percent of the list"))]


class FigureForm(forms.Form):
    """A published-figure candidate: a count or share of a list of organisations on a platform."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=DECISIONS, widget=forms.RadioSelect, initial="accept"
    )
    claim = forms.CharField(
        label=gettext_lazy("Claim"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    comparator = forms.ChoiceField(label=gettext_lazy("Comparator"), choices=Qualifier.choices)
    value = forms.IntegerField(label=gettext_lazy("Number"), required=False, min_value=0, max_value=10_000_000)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=UNITS, required=False)
    cohort = forms.ChoiceField(label=gettext_lazy("List (cohort)"), required=False)
    platform = forms.ChoiceField(label=gettext_lazy("Platform"), required=False)
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD.")},
    )
    as_of_precision = forms.ChoiceField(label=gettext_lazy("Date known to the"), choices=DatePrecision.choices)
    population = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, cohorts=(), platforms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cohorts = {str(c.pk): c for c in cohorts}
        self.platform_rows = {p.slug: p for p in platforms}
        self.fields["cohort"].choices = [("", _("All companies (no list)"))] + [(str(c.pk), str(c)) for c in cohorts]
        self.fields["platform"].choices = [("", _("Any platform"))] + [(p.slug, p.name_en) for p in platforms]

    def clean(self):
        data = super().clean()
        if data.get("decision") != "accept":
            return data
        if not (data.get("claim") or "").strip():
            self.add_error("claim", _("An accepted figure needs the claim as the article words it."))
        if data.get("comparator") != Qualifier.SOME and data.get("value") is None:
            self.add_error("value", _("Give the number, or choose “some (no number given)”."))
        if data.get("as_of") is None:
            self.add_error(
                "as_of", _("Give the date the figure refers to (the publication date if the article gives none).")
            )
        cohort = self.cohorts.get(data.get("cohort") or "")
        if data.get("unit") == "percent" and not (cohort and cohort.nominal_size):
            self.add_error("cohort", _("A share needs a list whose size is known, to turn it into a count."))
        return data

    @property
    def accepted(self) -> bool:
        return self.cleaned_data.get("decision") == "accept"

    def reviewed(self) -> ReviewedFigure:
        data = self.cleaned_data
        return ReviewedFigure(
            claim=data["claim"].strip(),
            comparator=data["comparator"],
            value=data["value"] if data["comparator"] != Qualifier.SOME else None,
            unit=data.get("unit") or "",
            as_of=data["as_of"],
            as_of_precision=data["as_of_precision"],
            cohort=self.cohorts.get(data.get("cohort") or ""),
            platform=self.platform_rows.get(data.get("platform") or ""),
        )


class BaseCandidateFormSet(forms.BaseFormSet):
    pass


CandidateFormSet = formset_factory(
    CandidateForm,
    formset=BaseCandidateFormSet,
    extra=0,
    max_num=MAX_CANDIDATES,
    validate_max=True,
    absolute_max=MAX_CANDIDATES,
)
FigureFormSet = formset_factory(FigureForm, extra=0, max_num=MAX_FIGURES, validate_max=True, absolute_max=MAX_FIGURES)


@dataclass
class ReviewRow:
    """A candidate's form with what saving it would do."""

    number: int
    form: CandidateForm
    person: NameMatch | None
    organisation: NameMatch | None
    duplicate: object | None
    detected: list[Platform]
    detected_livestreaming: bool


def _initial(candidate: Candidate) -> dict:
    speaker = "" if candidate.speaker_is_org else (candidate.speaker or "")
    return {
        "decision": "accept",
        "kind": candidate.kind,
        "quote": candidate.quote,
        "speaker": speaker,
        "role": candidate.role or "",
        "organisation": candidate.org or "",
    }


def _figure_initial(candidate: FigureCandidate, cohorts: list[Cohort], platforms: list[Platform], published_on) -> dict:
    as_of, precision = as_of_of(candidate.as_of, published_on)
    platform = candidate.platform if any(p.slug == candidate.platform for p in platforms) else ""
    cohort = match_cohort(candidate.population, cohorts)
    return {
        "decision": "accept",
        "claim": candidate.claim,
        "comparator": candidate.comparator,
        "value": candidate.value,
        "unit": candidate.unit,
        "cohort": str(cohort.pk) if cohort else "",
        "platform": platform,
        "as_of": as_of,
        "as_of_precision": precision,
        "population": candidate.population or "",
        "text": candidate.text,
    }


def _platforms() -> list[Platform]:
    return list(Platform.objects.only("id", "slug", "name_en").order_by("display_order", "name_en"))


def _cohorts() -> list[Cohort]:
    return list(Cohort.objects.only("id", "name", "name_zh", "slug", "year", "nominal_size").order_by("-year", "name"))


def _formset(platforms, **kwargs) -> CandidateFormSet:
    choices = [(p.slug, p.name_en) for p in platforms]
    return CandidateFormSet(prefix="candidates", form_kwargs={"platform_choices": choices}, **kwargs)


def _figure_formset(platforms, cohorts, **kwargs) -> FigureFormSet:
    return FigureFormSet(prefix="figures", form_kwargs={"platforms": platforms, "cohorts": cohorts}, **kwargs)


def _value(form, name: str) -> str:
    return str(form[name].value() or "")


def _rows(formset, platforms, existing_source: Source | None) -> list[ReviewRow]:
    """Queries: people, organisations, duplicates (3, whatever the article's size)."""
    forms_ = list(formset)
    matches = match_names([_value(f, "speaker") for f in forms_], [_value(f, "organisation") for f in forms_])
    duplicates = find_duplicates(_value(f, "quote") for f in forms_)
    by_slug = {p.slug: p for p in platforms}
    rows = []
    for number, form in enumerate(forms_, start=1):
        person, org = matches.person(_value(form, "speaker")), matches.organisation(_value(form, "organisation"))
        existing = duplicates.get(quote_key(_value(form, "quote")), [])
        duplicate = duplicate_of(
            existing,
            person=person.existing if person else None,
            organisation=org.existing if org else None,
            source=existing_source,
            kind=_value(form, "kind"),
        )
        slugs = detect_platforms(_value(form, "quote"))
        rows.append(
            ReviewRow(
                number=number,
                form=form,
                person=person,
                organisation=org,
                duplicate=duplicate,
                detected=[by_slug[s] for s in slugs if s in by_slug],
                detected_livestreaming=LIVESTREAMING in slugs,
            )
        )
    return rows


def _render_review(request, article_form, formset, figure_formset, platforms, status=200):
    existing_source = source_for_url(article_form.cleaned_data.get("url", ""))
    rows = _rows(formset, platforms, existing_source)
    for row in rows:
        if row.duplicate and not formset.is_bound:
            row.form.initial["decision"] = "reject"  # flagged: staff must choose to accept it
    kind_of = {row.number: _value(row.form, "kind") for row in rows}
    encoding = article_form.cleaned_data.get("encoding") or ""
    return render(
        request,
        TEMPLATE_REVIEW,
        {
            "article_form": article_form,
            "hidden": article_form.hidden_data(),
            "formset": formset,
            "figure_formset": figure_formset,
            "quotes": [r for r in rows if kind_of[r.number] == StatementKind.QUOTE],
            "paraphrases": [r for r in rows if kind_of[r.number] != StatementKind.QUOTE],
            "existing_source": existing_source,
            "duplicates": sum(1 for r in rows if r.duplicate),
            "encoding_label": encoding_label(encoding) if encoding else "",
        },
        status=status,
    )


def _initial_from_source(pk: str | None) -> dict:
    """Prefill the article form from a source already in the registry (the admin's link)."""
    if not pk or not pk.isdigit():
        return {}
    source = Source.objects.filter(pk=int(pk)).first()
    if source is None:
        return {}
    return {
        "text": source.full_text,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published_on": source.published_on,
        "language": source.language,
    }


def _with_detected_language(article_form: ArticleForm) -> str:
    """The article's language as its text shows it: a Chinese article pasted with the
    form's default (English) is reviewed and saved as Chinese."""
    data = article_form.cleaned_data
    detected = detect_language(data["text"])
    if data["language"] in (Language.ENGLISH, Language.CHINESE) and data["language"] != detected:
        data["language"] = detected
    return detected


@editor_required
@require_http_methods(["GET", "POST"])
def extract_statements(request):
    """Paste or upload an article, review the statements and published figures found in
    it, save the accepted ones.

    Review screen queries: user, user permissions, group permissions, platforms, cohorts,
    source by URL, people, organisations, duplicates, demo banner (10): constant whatever
    the size of the registry or of the article."""
    if request.method == "GET":
        form = ArticleForm(initial=_initial_from_source(request.GET.get("source")))
        return render(request, TEMPLATE_ARTICLE, {"form": form})

    step = request.POST.get("step", "extract")
    article_form = ArticleForm(request.POST, request.FILES)
    if step == "edit" or not article_form.is_valid():
        return render(request, TEMPLATE_ARTICLE, {"form": article_form}, status=200 if step == "edit" else 400)
    platforms = _platforms()
    cohorts = _cohorts()
    language = _with_detected_language(article_form)

    if step == "save":
        formset = _formset(platforms, data=request.POST)
        figure_formset = _figure_formset(platforms, cohorts, data=request.POST)
        if not (formset.is_valid() and figure_formset.is_valid()):
            return _render_review(request, article_form, formset, figure_formset, platforms, status=400)
        accepted = [form.reviewed() for form in formset if form.accepted]
        figures = [form.reviewed() for form in figure_formset if form.accepted]
        if not accepted and not figures:
            messages.error(request, _("Accept at least one statement or figure to save, or go back to the article."))
            return _render_review(request, article_form, formset, figure_formset, platforms, status=400)
        result = save_reviewed(article_form.article(), accepted, figures)
        if not result.saved_anything:
            messages.warning(request, _("Everything you accepted is already in the registry: nothing was saved."))
            return _render_review(
                request,
                article_form,
                _formset(platforms, data=request.POST),
                _figure_formset(platforms, cohorts, data=request.POST),
                platforms,
            )
        messages.success(request, result.summary())
        return redirect(result.source.get_absolute_url())

    text = article_form.cleaned_data["text"]
    candidates = extract(text, language=language)[:MAX_CANDIDATES]
    proposals = propose_figures(text, language=language)[:MAX_FIGURES]
    formset = _formset(platforms, initial=[_initial(c) for c in candidates])
    published_on = article_form.cleaned_data.get("published_on")
    figure_formset = _figure_formset(
        platforms, cohorts, initial=[_figure_initial(p, cohorts, platforms, published_on) for p in proposals]
    )
    return _render_review(request, article_form, formset, figure_formset, platforms)
