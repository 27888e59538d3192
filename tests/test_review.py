"""Extracting statements from a pasted article: the article form, the review
screen (nothing saved), saving accepted candidates, duplicates, access, queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry import models as m
from registry.seed import article_text, load_seed
from tests.factories import editor, make_cohort, make_person, make_platform, make_source, viewer

URL = reverse("dashboard:statement_extract")

SEED_SPEAKERS = [
    ("Lyu Dapeng", "spokesperson", "Sinopec"),
    ("Li Zhengmao", "general manager", "China Telecom"),
    ("Li Zhengmao", "general manager", "China Telecom"),
    ("Liu Yutong", "counselor of the Information Department", "Ministry of Foreign Affairs"),
    ("Du Dong", "general manager", "Litang Culture Tourism and Sport Investment Development Co"),
    ("Xu Jingyun", "vice-president", "Kuaishou"),
]

ARTICLE = {
    "title": "Major SOEs make new attempts in external communications",
    "url": "https://news.example.com/soe-new-media",
    "publisher": "Example Daily",
    "published_on": "2021-01-15",
    "language": "en",
}


@pytest.fixture
def client_editor(client, db):
    client.force_login(editor())
    return client


def _rows(response, section):
    return response.context[section]


def _fields(row):
    form = row.form
    return {name: form[name].value() for name in ("decision", "kind", "quote", "speaker", "role", "organisation")}


def _extract(client, text=None, **article):
    return client.post(URL, {"step": "extract", "text": text or article_text(), **ARTICLE, **article})


def _post_data(response, changes=None, figure_changes=None):
    """What the browser would post back from the review screen, with ``changes``
    ({candidate number: {field: value}}) and ``figure_changes`` applied. Figures are
    rejected unless ``figure_changes`` says otherwise."""
    figure_changes = {
        number: {"decision": "reject", **(figure_changes or {}).get(number, {})}
        for number in range(1, len(response.context["figure_formset"].forms) + 1)
    }
    data = {"step": "save"}
    for name, value in response.context["hidden"].items():
        data[name] = value.isoformat() if isinstance(value, datetime.date) else (value or "")
    figures = response.context["figure_formset"]
    for key, value in figures.management_form.initial.items():
        data[f"{figures.prefix}-{key}"] = value
    for number, form in enumerate(figures.forms, start=1):
        values = {name: form[name].value() for name in form.fields}
        values.update((figure_changes or {}).get(number, {}))
        for name, value in values.items():
            data[f"{form.prefix}-{name}"] = value.isoformat() if isinstance(value, datetime.date) else (value or "")
    formset = response.context["formset"]
    for key, value in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = value
    for number, form in enumerate(formset.forms, start=1):
        values = {name: form[name].value() for name in form.fields}
        values.update((changes or {}).get(number, {}))
        for name, value in values.items():
            if name in ("platforms",):
                if value:
                    data[f"{form.prefix}-{name}"] = list(value)
            elif name == "mentions_livestreaming":
                if value:
                    data[f"{form.prefix}-{name}"] = "on"
            else:
                data[f"{form.prefix}-{name}"] = "" if value is None else value
    return data


# --------------------------------------------------------------------------- the article form


def test_editor_gets_the_article_form(client_editor):
    response = client_editor.get(URL)
    assert response.status_code == 200
    assert b'name="text"' in response.content and b'name="title"' in response.content


def test_viewers_get_403(client, db):
    client.force_login(viewer())
    assert client.get(URL).status_code == 403
    assert _extract(client).status_code == 403


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"text": ""}, "text", "Paste the article's text or upload a file"),
        ({"text": "Too short."}, "text", "too short"),
        ({"text": "word " * 50_000}, "text", "too long"),
        ({"title": ""}, "title", "title"),
        ({"url": "not a url"}, "url", "full address"),
        ({"published_on": "15/01/2021"}, "published_on", "YYYY-MM-DD"),
        ({"language": "klingon"}, "language", "valid choice"),
    ],
)
def test_article_form_errors_are_clear(client_editor, changes, field, message):
    data = {"step": "extract", "text": article_text(), **ARTICLE, **changes}
    response = client_editor.post(URL, data)
    assert response.status_code == 400
    assert message.lower() in " ".join(response.context["form"].errors[field]).lower()
    assert m.Source.objects.count() == 0


# --------------------------------------------------------------------------- the review screen


def test_seed_article_proposes_the_six_quotes_with_speakers_and_nothing_is_saved(client_editor):
    make_platform("weibo", "Weibo")
    before = {model: model.objects.count() for model in (m.Source, m.Statement, m.Person, m.Organisation)}
    response = _extract(client_editor)
    assert response.status_code == 200
    quotes = [_fields(row) for row in _rows(response, "quotes")]
    assert [(q["speaker"], q["role"], q["organisation"]) for q in quotes] == SEED_SPEAKERS
    assert all(q["kind"] == "quote" and q["decision"] == "accept" for q in quotes)
    assert quotes[0]["quote"].startswith("The integrated development of traditional media")
    # Paraphrases are listed apart, never mixed in with the quotes.
    paraphrases = [_fields(row) for row in _rows(response, "paraphrases")]
    assert paraphrases and all(p["kind"] == "paraphrase" for p in paraphrases)
    # An empty registry: every speaker and organisation is a proposal to create.
    assert all(row.person.creates for row in _rows(response, "quotes"))
    assert b"New person" in response.content and b"Direct quotes" in response.content
    # Nothing written by the preview.
    assert {model: model.objects.count() for model in before} == before


def test_with_the_seed_loaded_speakers_match_and_quotes_are_flagged_duplicates(client_editor):
    load_seed()
    response = _extract(client_editor)
    rows = _rows(response, "quotes")
    assert len(rows) == 6
    for row in rows:
        assert row.person.existing is not None, row.person.name
        assert not row.person.creates
        assert row.organisation.existing is not None, row.organisation.name
        assert row.duplicate is not None
        assert row.form["decision"].value() == "reject"
    assert {row.person.existing.name_en for row in rows} == {s for s, _, _ in SEED_SPEAKERS}
    assert rows[0].organisation.existing.name_en == "China Petrochemical Corporation"
    assert b"Duplicate" in response.content
    assert reverse("dashboard:source_detail", args=[rows[0].duplicate.source_id]).encode() in response.content


def test_review_page_queries_are_constant_with_more_people(client_editor):
    load_seed()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert _extract(client_editor).status_code == 200
        return len(ctx)

    small = count()
    for i in range(30):
        make_person(f"Li Person{i}", aliases=f"Lyu Alias{i}")
        m.Organisation.objects.create(name_en=f"China Telecom Branch {i}")
    assert count() == small
    # user, user permissions, group permissions, platforms, cohorts, source by URL,
    # people, organisations, duplicates, demo banner
    assert small == 10


# --------------------------------------------------------------------------- saving


def test_review_and_save_end_to_end(client_editor):
    make_platform("wechat", "WeChat")
    make_platform("kuaishou", "Kuaishou")
    sinopec = m.Organisation.objects.create(name_en="China Petrochemical Corporation", short_name="Sinopec")
    preview = _extract(client_editor)
    numbers = {row.number: _fields(row) for row in preview.context["quotes"]}
    first, second, third, fourth, fifth, sixth = sorted(numbers)
    changes = {
        first: {"decision": "accept", "topics": "Media convergence, new media"},
        # edited: the quote text, the role and an extra platform
        second: {
            "decision": "accept",
            "quote": "Early last year, we built hospitals in Wuhan on WeChat",
            "role": "General Manager",
            "platforms": ["kuaishou"],
        },
        third: {"decision": "reject"},
        sixth: {"decision": "accept"},
    }
    for number in (fourth, fifth):
        changes[number] = {"decision": "reject"}
    for row in preview.context["paraphrases"]:
        changes[row.number] = {"decision": "reject"}
    assert m.Statement.objects.count() == 0

    response = client_editor.post(URL, _post_data(preview, changes))

    source = m.Source.objects.get()
    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    assert source.url == ARTICLE["url"] and source.full_text.startswith("Major State-owned enterprises")
    assert source.published_on == datetime.date(2021, 1, 15) and source.publisher == "Example Daily"
    statements = {s.speaker.name_en: s for s in m.Statement.objects.select_related("speaker", "organisation")}
    assert set(statements) == {"Lyu Dapeng", "Li Zhengmao", "Xu Jingyun"}
    lyu, li, xu = statements["Lyu Dapeng"], statements["Li Zhengmao"], statements["Xu Jingyun"]
    assert lyu.organisation == sinopec  # matched on the short name, not created
    assert lyu.role == "spokesperson" and lyu.kind == m.StatementKind.QUOTE
    assert sorted(lyu.topics.values_list("name", flat=True)) == ["Media convergence", "new media"]
    assert li.quote == "Early last year, we built hospitals in Wuhan on WeChat" and li.role == "General Manager"
    assert sorted(li.platforms.values_list("slug", flat=True)) == ["kuaishou", "wechat"]
    assert li.organisation.name_en == "China Telecom"  # proposed, created
    assert sorted(xu.platforms.values_list("slug", flat=True)) == ["kuaishou"]
    assert xu.mentions_livestreaming and not lyu.mentions_livestreaming
    assert m.Position.objects.filter(
        person=li.speaker, organisation=li.organisation, title="General Manager", source=source
    ).exists()
    assert m.Person.objects.count() == 3
    page = client_editor.get(response["Location"])
    assert "Saved 3 statements" in page.content.decode()
    assert "Early last year, we built hospitals" in page.content.decode()


def test_duplicates_are_flagged_and_not_saved_twice(client_editor):
    load_seed()
    statements = m.Statement.objects.count()
    preview = _extract(client_editor, url="https://news.example.com/other-copy")
    rows = preview.context["quotes"]
    # Accept everything, duplicates included: they are still not saved twice.
    changes = {row.number: {"decision": "accept"} for row in rows}
    for row in preview.context["paraphrases"]:
        changes[row.number] = {"decision": "reject"}
    response = client_editor.post(URL, _post_data(preview, changes))
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert m.Statement.objects.count() == statements
    assert not m.Source.objects.filter(url="https://news.example.com/other-copy").exists()


def test_a_url_already_in_the_registry_is_flagged_and_its_source_reused(client_editor):
    existing = make_source("Already here", url=ARTICLE["url"])
    preview = _extract(client_editor)
    assert preview.context["existing_source"] == existing
    assert b"already in the registry" in preview.content
    changes = {row.number: {"decision": "reject"} for row in preview.context["paraphrases"]}
    response = client_editor.post(URL, _post_data(preview, changes))
    assert response["Location"] == existing.get_absolute_url()
    assert m.Source.objects.count() == 1
    assert m.Statement.objects.filter(source=existing).count() == 6


def test_saving_with_nothing_accepted_is_refused(client_editor):
    preview = _extract(client_editor)
    changes = {
        row.number: {"decision": "reject"} for row in [*preview.context["quotes"], *preview.context["paraphrases"]]
    }
    response = client_editor.post(URL, _post_data(preview, changes))
    assert response.status_code == 400
    assert "Accept at least one statement or figure" in response.content.decode()
    assert m.Source.objects.count() == 0


def test_edit_returns_to_the_article_with_its_text(client_editor):
    response = client_editor.post(URL, {"step": "edit", "text": article_text(), **ARTICLE})
    assert response.status_code == 200
    assert response.context["form"]["text"].value().startswith("Major State-owned")


def test_admin_source_link_prefills_the_form(client_editor):
    source = make_source("From the admin", full_text=article_text(), url="https://a.example.com/x")
    response = client_editor.get(URL, {"source": source.pk})
    assert response.context["form"]["title"].value() == "From the admin"
    assert response.context["form"]["url"].value() == "https://a.example.com/x"


def test_source_admin_links_to_the_extraction_page(client_editor):
    source = make_source("In the admin", full_text=article_text())
    changelist = client_editor.get(reverse("admin:registry_source_changelist"))
    assert f"{URL}?source={source.pk}".encode() in changelist.content
    change = client_editor.get(reverse("admin:registry_source_change", args=[source.pk]))
    assert f"{URL}?source={source.pk}".encode() in change.content
    assert URL.encode() in client_editor.get(reverse("admin:registry_source_add")).content


def test_article_html_is_shown_as_text_on_the_review_screen(client_editor):
    text = (
        "Acme Media Group said on Monday it would grow.\n\n"
        "“Our <script>alert(1)</script> accounts & channels grew fast,” said Wang Li, "
        "director of Acme Media Group."
    )
    response = _extract(client_editor, text=text)
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    (row,) = response.context["quotes"]
    assert row.form["speaker"].value() == "Wang Li"
    assert b"The organisation speaks as itself" in response.content  # the paraphrase by Acme Media Group


# --------------------------------------------------------------------------- published figures


def test_the_seed_article_proposes_its_wechat_and_weibo_figures(client_editor):
    make_platform("wechat", "WeChat")
    make_platform("weibo", "Weibo")
    top500 = make_cohort("China Top 500 Enterprises 2020", year=2020, nominal_size=500)
    make_cohort("Central SOEs 2023", year=2023, nominal_size=98)

    response = _extract(client_editor)

    figures = [{name: form[name].value() for name in form.fields} for form in response.context["figure_formset"]]
    assert [(f["platform"], f["comparator"], f["value"], f["cohort"]) for f in figures] == [
        ("wechat", "more_than", 400, str(top500.pk)),
        ("weibo", "more_than", 200, str(top500.pk)),
    ]
    assert all(f["population"] == "China’s top 500 companies" for f in figures)
    assert figures[0]["as_of"] == datetime.date(2021, 1, 15)  # no date in the claim: the publication date
    assert b"Published figures" in response.content and b"China\xe2\x80\x99s top 500 companies" in response.content


def test_an_accepted_figure_is_saved_with_its_source_and_checked_on_the_figures_page(client_editor):
    make_platform("wechat", "WeChat")
    make_platform("weibo", "Weibo")
    make_cohort("China Top 500 Enterprises 2020", year=2020, nominal_size=500)
    preview = _extract(client_editor)
    rejected = {
        row.number: {"decision": "reject"} for row in [*preview.context["quotes"], *preview.context["paraphrases"]]
    }

    response = client_editor.post(URL, _post_data(preview, rejected, figure_changes={1: {"decision": "accept"}}))

    assert response.status_code == 302
    figure = m.PublishedFigure.objects.select_related("source", "platform", "cohort").get()
    assert (figure.platform.slug, figure.comparator, figure.value) == ("wechat", "more_than", 400)
    assert figure.source.url == ARTICLE["url"] and figure.cohort.name == "China Top 500 Enterprises 2020"
    assert figure.claim.startswith("So far, among China’s top 500 companies, more than 400")
    assert m.Statement.objects.count() == 0
    page = client_editor.get(reverse("dashboard:figure_list")).content.decode()
    assert f'id="figure-{figure.pk}"' in page and "more than 400" in page


def test_a_share_needs_a_list_of_known_size_and_is_saved_as_a_count(client_editor):
    make_platform("bilibili", "Bilibili")
    soes = make_cohort("Central SOEs 2022", year=2022, nominal_size=98)
    text = (
        "A report released on Tuesday found that nearly half of central SOEs had opened accounts on Bilibili "
        "by the end of 2022, the commission said in a statement."
    )
    preview = _extract(client_editor, text=text)
    (form,) = preview.context["figure_formset"].forms
    assert (form["value"].value(), form["unit"].value(), form["comparator"].value()) == (50, "percent", "about")
    reject_all = {
        row.number: {"decision": "reject"} for row in [*preview.context["quotes"], *preview.context["paraphrases"]]
    }

    refused = client_editor.post(URL, _post_data(preview, reject_all, {1: {"decision": "accept", "cohort": ""}}))
    assert refused.status_code == 400 and "list whose size is known" in refused.content.decode()

    saved = client_editor.post(
        URL, _post_data(preview, reject_all, {1: {"decision": "accept", "cohort": str(soes.pk)}})
    )
    assert saved.status_code == 302
    figure = m.PublishedFigure.objects.get()
    assert (figure.value, figure.comparator, figure.as_of, figure.as_of_precision) == (
        49,
        "about",
        datetime.date(2022, 1, 1),
        m.DatePrecision.YEAR,
    )


# --------------------------------------------------------------------------- Chinese articles and any encoding

CHINESE = (
    "中国石化新媒体矩阵初具规模\n\n"
    "在11日举行的发布会上，中国石化新闻发言人吕大鹏表示：“我们将继续推进新媒体建设，讲好央企故事。”\n\n"
    "“今年我们在抖音和快手上开展了多场直播。”他说。\n\n"
    "截至2023年底，超过400家中国企业500强已开通微信公众号，逾两百家开通了微博账号。"
)


def test_a_chinese_article_is_reviewed_and_saved_as_chinese(client_editor):
    make_platform("wechat", "WeChat")
    make_platform("weibo", "Weibo")
    make_cohort("China Top 500 Enterprises 2020", year=2020, nominal_size=500)
    preview = _extract(client_editor, text=CHINESE, title="中国石化新媒体矩阵初具规模")
    assert preview.status_code == 200
    quotes = [_fields(row) for row in preview.context["quotes"]]
    assert [(q["speaker"], q["role"], q["organisation"]) for q in quotes] == [("吕大鹏", "新闻发言人", "中国石化")] * 2
    figures = [
        (f["platform"].value(), f["comparator"].value(), f["value"].value()) for f in preview.context["figure_formset"]
    ]
    assert figures == [("wechat", "more_than", 400), ("weibo", "more_than", 200)]

    response = client_editor.post(URL, _post_data(preview))

    assert response.status_code == 302
    source = m.Source.objects.get()
    assert source.language == "zh"  # detected, although the form said English
    assert list(source.statements.values_list("speaker__name_en", flat=True)) == ["吕大鹏", "吕大鹏"]


TRADITIONAL = (
    "中國石化新媒體建設\n\n"
    "在11日舉行的發布會上，中國石化新聞發言人呂大鵬表示：「我們將繼續推進新媒體建設，講好央企故事。」\n\n"
    "「今年我們在抖音和快手上開展了多場直播。」他說。"
)


def _upload(client, content: bytes, name="article.txt", **article):
    upload = SimpleUploadedFile(name, content, content_type="text/plain")
    return client.post(URL, {"step": "extract", "text": "", "file": upload, **ARTICLE, **article})


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("gbk", "GB18030 (GBK)"), ("big5", "Big5"), ("utf-16", "UTF-16"), ("utf-8-sig", "UTF-8 with byte-order mark")],
)
def test_an_uploaded_file_in_any_encoding_is_read_and_the_encoding_named(client_editor, encoding, label):
    text = CHINESE if encoding != "big5" else TRADITIONAL
    response = _upload(client_editor, text.encode(encoding))

    assert response.status_code == 200
    assert f"The uploaded file was read as {label}".encode() in response.content
    quotes = [_fields(row) for row in response.context["quotes"]]
    assert [q["speaker"] for q in quotes] == (["呂大鵬"] * 2 if encoding == "big5" else ["吕大鹏"] * 2)
    assert response.context["hidden"]["text"].startswith(text.splitlines()[0])


def test_a_gbk_file_is_saved_with_its_text(client_editor):
    preview = _upload(client_editor, CHINESE.encode("gbk"))

    response = client_editor.post(URL, _post_data(preview))

    assert response.status_code == 302
    source = m.Source.objects.get()
    assert source.full_text.startswith("中国石化新媒体矩阵初具规模")
    assert source.statements.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n%binary", "This is a PDF file, not text"),
        (bytes(range(256)) * 20, "not text"),
        (b"", "empty"),
        (b"  \n\n  ", "empty"),
    ],
)
def test_an_upload_that_is_not_text_gets_a_clear_error(client_editor, content, message):
    response = _upload(client_editor, content)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert m.Source.objects.count() == 0
