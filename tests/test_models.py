import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry import models as m
from registry.validators import credit_code_check_character, validate_credit_code
from tests.factories import add_member, make_account, make_cohort, make_org, make_platform, make_source

# Codes whose check character is computed by GB 32100-2015.
VALID_CODES = ["91110000710925462X", "91110000100017643K", "91310000132149237G"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_credit_codes_pass(code):
    validate_credit_code(code)
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code, reason",
    [
        ("911100007109254620", "check character"),  # wrong check digit
        ("91110000710925462", "18 characters"),  # too short
        ("9111000071092546I2X"[:18], "cannot contain"),  # I is not in the alphabet
        ("91AB0000710925462X", "region code"),
        ("91110000710925426X", "check character"),  # two digits swapped
    ],
)
def test_corrupted_credit_codes_fail(code, reason):
    with pytest.raises(ValidationError, match=reason):
        validate_credit_code(code)


@pytest.mark.django_db
def test_credit_code_unique_and_blank_stored_as_null():
    make_org("A", credit_code="")
    make_org("B", credit_code="")  # two blanks are fine: stored as NULL
    make_org("C", credit_code=VALID_CODES[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        make_org("D", credit_code=VALID_CODES[0])
    assert m.Organisation.objects.filter(credit_code__isnull=True).count() == 2


@pytest.mark.django_db
def test_organisation_names_are_unique_after_normalisation():
    make_org("China Telecom Corp Ltd")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_org("  china telecom corp. ltd ")


@pytest.mark.django_db
def test_account_unique_per_platform_and_dates_ordered():
    org, wechat = make_org(), make_platform("wechat")
    make_account(org, wechat, handle="sinopec")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_account(make_org(), wechat, handle="sinopec")
    make_account(org, make_platform("weibo"), handle="sinopec")  # same handle, other platform: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        make_account(org, wechat, opened_on=datetime.date(2020, 1, 1), closed_on=datetime.date(2019, 1, 1))


@pytest.mark.django_db
def test_metric_unique_per_account_and_date():
    account = make_account(make_org(), make_platform())
    m.AccountMetric.objects.create(account=account, date=datetime.date(2021, 1, 1), followers=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.AccountMetric.objects.create(account=account, date=datetime.date(2021, 1, 1), followers=11)


@pytest.mark.django_db
def test_membership_rank_unique_within_cohort():
    cohort = make_cohort()
    add_member(cohort, make_org(), rank=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        add_member(cohort, make_org(), rank=1)
    add_member(cohort, make_org(), rank=None)
    add_member(cohort, make_org(), rank=None)


@pytest.mark.django_db
def test_published_figure_value_matches_comparator():
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.PublishedFigure.objects.create(
            claim="x", comparator=m.Qualifier.MORE_THAN, value=None, as_of=datetime.date(2021, 1, 1), source=source
        )
    m.PublishedFigure.objects.create(
        claim="some on Douyin", comparator=m.Qualifier.SOME, value=None, as_of=datetime.date(2021, 1, 1), source=source
    )


@pytest.mark.django_db
def test_activity_needs_an_actor_and_statement_is_unique_in_source():
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Activity.objects.create(description="something", source=source)
    m.Statement.objects.create(quote="We will do more.", source=source)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Statement.objects.create(quote="  we will do more. ", source=source)


@pytest.mark.django_db
def test_oversized_quote_is_rejected_by_validation_and_database():
    source = make_source()
    statement = m.Statement(quote="x" * (m.QUOTE_MAX_LENGTH + 1), source=source)
    with pytest.raises(ValidationError, match="at most"):
        statement.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        statement.save()


@pytest.mark.django_db
def test_str_and_partial_dates():
    org = make_org("Sinopec", name_zh="中国石化")
    assert str(org) == "Sinopec (中国石化)"
    account = make_account(
        org,
        make_platform("weibo", "Weibo"),
        opened_on=datetime.date(2013, 5, 1),
        opened_precision=m.DatePrecision.MONTH,
    )
    assert account.opened_display == "2013-05"
    assert str(account) == f"{account.display_name} on Weibo"
