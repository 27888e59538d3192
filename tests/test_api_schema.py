"""Schemathesis against the live OpenAPI document, in process (WSGI): every
operation with a bounded number of generated requests, as an Editor's token.
No response may be a server error or break the schema it documents."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from registry.automation import ApiToken
from tests.factories import editor, make_cohort_with_adoption, make_figure, make_statement

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# Generated requests per operation; CI can raise it with SCHEMATHESIS_EXAMPLES.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))


@pytest.fixture
def _keep_test_connection():
    """The WSGI handler closes the database connection at each request's start
    and end, which would end the test's transaction on PostgreSQL; Django's
    test client disconnects that handler the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_headers(db, _keep_test_connection):
    cohort, platforms = make_cohort_with_adoption(members=3, wechat=2, weibo=1)
    make_statement(platforms=[platforms["wechat"]])
    make_figure(cohort=cohort, platform=platforms["wechat"])
    raw = ApiToken.issue(user=editor(), name="schemathesis")[1]
    # identity: the in-process client does not undo the gzip the app applies.
    return {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_schema(case, api_headers):
    # Invalid generated input may get a 4xx the schema does not list (the error
    # format is documented in docs/API.md); what must never happen is a 5xx, a
    # response that breaks the documented schema, or the wrong content type.
    case.call_and_validate(
        headers=api_headers, checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
    )
