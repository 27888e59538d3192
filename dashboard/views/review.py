"""Extract statements from a pasted article, review them, save the accepted ones.

One URL, three steps, all plain form posts (works without JavaScript):

1. GET: the article form (text, title, URL, publisher, date, language).
2. POST step=extract: the article is checked and run through
   ``registry.statements.extract``; the review screen lists every candidate as a
   form (accept / reject, every field editable). The article travels in hidden
   fields: nothing is written to the database until step 3.
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
from django.views.decorators.http import require_http_methods

from dashboard.access import editor_required
from registry.statements import Candidate, detect_platforms, extract
from registry.models import QUOTE_MAX_LENGTH, Language, Platform, Source, StatementKind, quote_key
from registry.statements.service import (
    LIVESTREAMING,
    ArticleData,
    NameMatch,
    ReviewedStatement,
    duplicate_of,
    find_duplicates,
    match_names,
    parse_topic_names,
    save_reviewed,
    source_for_url,
)

ARTICLE_MAX_CHARS = 200_000
MAX_CANDIDATES = 200
TEMPLATE_ARTICLE = "dashboard/review_article.html"
TEMPLATE_REVIEW = "dashboard/review.html"


class ArticleForm(forms.Form):
    text = forms.CharField(
        label="Article text",
        max_length=ARTICLE_MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=f"Paste the article as plain text, up to {ARTICLE_MAX_CHARS:,} characters. "
        "Page clutter (share buttons, captions, related links) is ignored.",
        error_messages={
            "required": "Paste the article's text.",
            "max_length": "The article is too long: at most %(limit_value)s characters (it has %(show_value)s).",
        },
    )
    title = forms.CharField(label="Title", max_length=500, error_messages={"required": "Give the article's title."})
    url = forms.URLField(
        label="URL",
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text="If the registry already holds this URL, its source is reused.",
        error_messages={"invalid": "Enter the full address, e.g. https://www.example.com/article."},
    )
    publisher = forms.CharField(label="Publisher", max_length=200, required=False)
    published_on = forms.DateField(
        label="Publication date",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )
    language = forms.ChoiceField(label="Language", choices=Language.choices, initial=Language.ENGLISH)

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text.split()) < 5:
            raise forms.ValidationError("This is too short to be an article: paste the whole text.")
        return text

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


DECISIONS = [("accept", "Accept"), ("reject", "Reject")]


class CandidateForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=DECISIONS, widget=forms.RadioSelect, initial="accept")
    kind = forms.ChoiceField(label="Kind", choices=StatementKind.choices)
    quote = forms.CharField(
        label="Text", required=False, max_length=QUOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    speaker = forms.CharField(
        label="Speaker", required=False, max_length=255, help_text="Empty when the organisation speaks as itself."
    )
    role = forms.CharField(label="Role", required=False, max_length=255)
    organisation = forms.CharField(label="Organisation", required=False, max_length=255)
    platforms = forms.MultipleChoiceField(
        label="Also about",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Platforms the text does not name but the statement is about.",
    )
    mentions_livestreaming = forms.BooleanField(label="About livestreaming", required=False)
    topics = forms.CharField(
        label="Topics",
        required=False,
        max_length=500,
        help_text="Comma-separated; a topic not yet in the registry is created.",
    )

    def __init__(self, *args, platform_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platforms"].choices = platform_choices

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept":
            if not (data.get("quote") or "").strip():
                self.add_error("quote", "An accepted statement needs its text.")
            if not (data.get("speaker") or "").strip() and not (data.get("organisation") or "").strip():
                self.add_error("speaker", "Give the speaker or the organisation, or reject this candidate.")
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


class BaseCandidateFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("decision") == "accept" for form in self.forms):
            raise forms.ValidationError("Accept at least one statement to save, or go back to the article.")


CandidateFormSet = formset_factory(
    CandidateForm,
    formset=BaseCandidateFormSet,
    extra=0,
    max_num=MAX_CANDIDATES,
    validate_max=True,
    absolute_max=MAX_CANDIDATES,
)


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
    organisation = candidate.org or (candidate.speaker if candidate.speaker_is_org else "") or ""
    return {
        "decision": "accept",
        "kind": candidate.kind,
        "quote": candidate.quote,
        "speaker": speaker,
        "role": candidate.role or "",
        "organisation": organisation,
    }


def _platforms() -> list[Platform]:
    return list(Platform.objects.only("id", "slug", "name_en").order_by("display_order", "name_en"))


def _formset(platforms, **kwargs) -> CandidateFormSet:
    choices = [(p.slug, p.name_en) for p in platforms]
    return CandidateFormSet(prefix="candidates", form_kwargs={"platform_choices": choices}, **kwargs)


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


def _render_review(request, article_form, formset, platforms, status=200):
    existing_source = source_for_url(article_form.cleaned_data.get("url", ""))
    rows = _rows(formset, platforms, existing_source)
    for row in rows:
        if row.duplicate and not formset.is_bound:
            row.form.initial["decision"] = "reject"  # flagged: staff must choose to accept it
    kind_of = {row.number: _value(row.form, "kind") for row in rows}
    return render(
        request,
        TEMPLATE_REVIEW,
        {
            "article_form": article_form,
            "formset": formset,
            "quotes": [r for r in rows if kind_of[r.number] == StatementKind.QUOTE],
            "paraphrases": [r for r in rows if kind_of[r.number] != StatementKind.QUOTE],
            "existing_source": existing_source,
            "duplicates": sum(1 for r in rows if r.duplicate),
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


@editor_required
@require_http_methods(["GET", "POST"])
def extract_statements(request):
    """Paste an article, review the statements found in it, save the accepted ones.

    Review screen queries: user, user permissions, group permissions, platforms,
    source by URL, people, organisations, duplicates, demo banner (9): constant
    whatever the size of the registry or of the article."""
    if request.method == "GET":
        form = ArticleForm(initial=_initial_from_source(request.GET.get("source")))
        return render(request, TEMPLATE_ARTICLE, {"form": form})

    step = request.POST.get("step", "extract")
    article_form = ArticleForm(request.POST)
    if step == "edit" or not article_form.is_valid():
        return render(request, TEMPLATE_ARTICLE, {"form": article_form}, status=200 if step == "edit" else 400)
    platforms = _platforms()

    if step == "save":
        formset = _formset(platforms, data=request.POST)
        if not formset.is_valid():
            return _render_review(request, article_form, formset, platforms, status=400)
        accepted = [form.reviewed() for form in formset if form.accepted]
        result = save_reviewed(article_form.article(), accepted)
        if not result.statements:
            messages.warning(request, "Everything you accepted is already in the registry: nothing was saved.")
            return _render_review(request, article_form, _formset(platforms, data=request.POST), platforms)
        messages.success(request, result.summary())
        return redirect(result.source.get_absolute_url())

    candidates = extract(article_form.cleaned_data["text"])[:MAX_CANDIDATES]
    formset = _formset(platforms, initial=[_initial(c) for c in candidates])
    return _render_review(request, article_form, formset, platforms)
