"""Small builders for test data. Each takes only what a test cares about."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from registry import models as m
from registry.roles import ADMINISTRATOR, EDITOR, VIEWER

_counter = itertools.count(1)


def make_platform(slug="wechat", name=None, **extra) -> m.Platform:
    defaults = {"name_en": name or slug.title(), "display_order": extra.pop("display_order", 10), **extra}
    platform, _ = m.Platform.objects.get_or_create(slug=slug, defaults=defaults)
    return platform


def make_org(name=None, **extra) -> m.Organisation:
    return m.Organisation.objects.create(name_en=name or f"Company {next(_counter)}", **extra)


def make_cohort(name="China Top 500 Enterprises 2020", year=2020, slug=None, **extra) -> m.Cohort:
    return m.Cohort.objects.create(name=name, year=year, slug=slug or f"cohort-{next(_counter)}", **extra)


def add_member(cohort, org, rank=None, **extra) -> m.CohortMembership:
    return m.CohortMembership.objects.create(cohort=cohort, organisation=org, rank=rank, **extra)


def make_account(org, platform, opened_on=datetime.date(2015, 1, 1), closed_on=None, **extra) -> m.Account:
    n = next(_counter)
    return m.Account.objects.create(
        organisation=org,
        platform=platform,
        display_name=extra.pop("display_name", f"{org.name_en} on {platform.slug}"),
        handle=extra.pop("handle", f"h{n}"),
        opened_on=opened_on,
        closed_on=closed_on,
        status=m.AccountStatus.CLOSED if closed_on else m.AccountStatus.ACTIVE,
        **extra,
    )


def make_source(title="An article", **extra) -> m.Source:
    return m.Source.objects.create(title=title, **extra)


def make_user(role=VIEWER, username=None, **extra):
    user = get_user_model().objects.create_user(
        username=username or f"{(role or 'norole').lower()}{next(_counter)}", password="a-long-test-password", **extra
    )
    if role:
        user.groups.add(role_group(role))
    return user


def role_group(role: str) -> Group:
    """The role's group. A transactional test (live server) flushes the tables,
    which removes the groups the data migration made; re-create them then."""
    group = Group.objects.filter(name=role).first()
    if group is None:
        from django.contrib.auth.models import Permission

        from registry.roles import sync_roles

        sync_roles(Group, Permission)
        group = Group.objects.get(name=role)
    return group


def viewer():
    return make_user(VIEWER)


def editor():
    return make_user(EDITOR)


def administrator():
    return make_user(ADMINISTRATOR)


def make_cohort_with_adoption(members=10, wechat=8, weibo=4, as_of_open=datetime.date(2015, 1, 1)):
    """A cohort of ``members`` companies, ``wechat`` of them on WeChat and
    ``weibo`` on Weibo. Returns (cohort, platforms dict)."""
    cohort = make_cohort()
    platforms = {
        "wechat": make_platform("wechat", "WeChat", display_order=10),
        "weibo": make_platform("weibo", "Weibo", display_order=20),
    }
    for i in range(members):
        org = make_org()
        add_member(cohort, org, rank=i + 1)
        if i < wechat:
            make_account(org, platforms["wechat"], opened_on=as_of_open)
        if i < weibo:
            make_account(org, platforms["weibo"], opened_on=as_of_open)
    return cohort, platforms


# --- dashboard pages: metrics, people, statements, figures


def make_metric(account, date, followers=None, **extra) -> m.AccountMetric:
    return m.AccountMetric.objects.create(account=account, date=date, followers=followers, **extra)


def make_person(name=None, **extra) -> m.Person:
    return m.Person.objects.create(name_en=name or f"Person {next(_counter)}", **extra)


def make_statement(quote=None, source=None, **extra) -> m.Statement:
    platforms = extra.pop("platforms", ())
    topics = extra.pop("topics", ())
    statement = m.Statement.objects.create(
        quote=quote or f"Statement number {next(_counter)}",
        source=source or make_source(f"Source {next(_counter)}"),
        **extra,
    )
    if platforms:
        statement.platforms.set(platforms)
    if topics:
        statement.topics.set(topics)
    return statement


def make_figure(
    claim="A claim", comparator=m.Qualifier.MORE_THAN, value=1, as_of=datetime.date(2020, 1, 1), source=None, **extra
) -> m.PublishedFigure:
    return m.PublishedFigure.objects.create(
        claim=claim,
        comparator=comparator,
        value=None if comparator == m.Qualifier.SOME else value,
        as_of=as_of,
        source=source or make_source(f"Figure source {next(_counter)}"),
        **extra,
    )


def make_briefing(owner=None, charts=(), **extra) -> m.Briefing:
    """A briefing owned by ``owner`` (a new viewer if not given) holding
    ``charts``, a sequence of (chart slug, query string) pairs, in that order."""
    briefing = m.Briefing.objects.create(owner=owner or viewer(), **extra)
    for position, (slug, query) in enumerate(charts):
        m.BriefingItem.objects.create(briefing=briefing, chart=slug, query=query, position=position)
    return briefing


def make_briefing_statement(
    quote=None, *, speaker="Li Wei", role="Spokesperson", organisation=None, source=None, **extra
) -> m.Statement:
    """A statement with its attribution, for briefing tests."""
    person = m.Person.objects.create(name_en=speaker) if speaker else None
    return m.Statement.objects.create(
        quote=quote or f"We opened our official account to talk with the public directly ({next(_counter)}).",
        speaker=person,
        role=role,
        organisation=organisation,
        source=source or make_source(title=f"Interview {next(_counter)}", published_on=datetime.date(2021, 3, 5)),
        stated_on=extra.pop("stated_on", datetime.date(2021, 3, 1)),
        **extra,
    )
