"""scripts/api_push_snapshots.py on small data, against a live server: the
pushed snapshots land once and the adoption aggregate equals the overview."""

import datetime

import pytest

from tests.factories import make_cohort_with_adoption


@pytest.mark.django_db(transaction=True)
def test_push_script_round_trip(live_server):
    import scripts.api_push_snapshots as script
    from registry.models import AccountMetric

    make_cohort_with_adoption(members=12, wechat=9, weibo=4)
    user, token = script.make_token()
    ids = script.ensure_accounts(15)  # 9 WeChat accounts exist; 6 demo ones are made
    assert len(ids) == 15
    end = datetime.date(2024, 6, 30)
    first = script.push(live_server.url, token, ids, days=3, batch=20, end=end)
    assert (first["rows"], first["requests"], first["created"]) == (45, 3, 45)
    again = script.push(live_server.url, token, ids, days=3, batch=20, end=end)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 45)
    assert AccountMetric.objects.count() == 45
    api = script.api_adoption(live_server.url, token)
    assert api == script.overview_cards(user)
    assert api["wechat"] == (9, 12)
