"""Reading messy files: encodings, headers, numbers, footers, duplicates, wrong types."""

import datetime
import decimal
import io

import pytest

from registry.imports.cleaning import (
    CellError,
    ImportFileError,
    clean_count,
    clean_decimal,
    clean_partial_date,
    clean_province,
    repair_mojibake,
)
from registry.imports.specs import spec_for
from registry.imports.tables import Deduplicator, read_table


def table(data: bytes | str, kind="memberships", **kwargs):
    if isinstance(data, str):
        data = data.encode()
    t = read_table(data, spec_for(kind), fixed=kwargs.pop("fixed", {"cohort": "top-500"}), **kwargs)
    records = list(t.records)
    return t, records


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("$514,405.00 ", decimal.Decimal("514405.00")),
        ("￥1,234", decimal.Decimal("1234")),
        ("1 234", decimal.Decimal("1234")),
        ("１２３４", decimal.Decimal("1234")),  # full-width digits
        ("RMB 2,000.5", decimal.Decimal("2000.5")),
        ("3.2万", decimal.Decimal("32000")),
        ("", None),
        ("-", None),
    ],
)
def test_numbers_lose_currency_signs_and_separators(raw, expected):
    assert clean_decimal(raw) == expected


def test_wechat_100k_plus_keeps_the_floor_and_counts_must_be_whole():
    assert clean_count("10万+") == 100_000
    with pytest.raises(CellError, match="not a whole number"):
        clean_count("1.5")
    with pytest.raises(CellError, match="negative"):
        clean_count("-3")
    with pytest.raises(CellError, match="not a number"):
        clean_count("12abc")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2020-03-05", (datetime.date(2020, 3, 5), "day")),
        ("2020/3/5", (datetime.date(2020, 3, 5), "day")),
        ("2020年3月5日", (datetime.date(2020, 3, 5), "day")),
        ("２０２０－０３", (datetime.date(2020, 3, 1), "month")),
        ("2019", (datetime.date(2019, 1, 1), "year")),
    ],
)
def test_partial_dates(raw, expected):
    assert clean_partial_date(raw) == expected


def test_bad_date_is_an_error():
    with pytest.raises(CellError, match="not a date"):
        clean_partial_date("2020-02-30")


def test_provinces_in_chinese_or_english():
    assert clean_province("广东省") == "Guangdong"
    assert clean_province("beijing") == "Beijing"
    with pytest.raises(CellError):
        clean_province("Atlantis")


def test_mojibake_is_repaired_only_when_unambiguous():
    assert repair_mojibake("ä¸­å›½") == "中国"
    assert repair_mojibake("Café") is None
    assert repair_mojibake("plain") is None


def test_utf8_bom_header_aliases_and_unknown_column_warning():
    t, records = table('\ufeffRANK ,Company Name,Revenue (RMB million),Profit\n1,Sinopec,"2,000",5\n')
    assert [c.name if c else None for c in t.columns] == ["rank", "organisation", "revenue_rmb_m", None]
    assert records[0].values["rank"] == 1 and records[0].values["organisation"] == "Sinopec"
    assert records[0].values["revenue_rmb_m"] == decimal.Decimal("2000.00")
    assert any("Unknown column 'Profit'" in w for w in t.warnings)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16"])
def test_chinese_encodings_are_detected(encoding):
    text = '排名,企业名称,营业收入\n1,中国石油化工集团有限公司,"￥2,000"\n'
    t, records = table(text.encode(encoding))
    assert records[0].values["organisation"] == "中国石油化工集团有限公司"
    assert records[0].values["revenue_rmb_m"] == decimal.Decimal("2000.00")


def test_encoding_override_and_a_wrong_override_is_reported_with_its_line():
    data = "排名,企业名称\n1,中国移动\n".encode("gb18030")
    t, records = table(data, encoding="gb18030")
    assert records[0].values["organisation"] == "中国移动"
    with pytest.raises(ImportFileError, match="Line 1: the text is not valid utf-8"):
        table(data, encoding="utf-8")


def test_title_lines_blank_lines_footer_and_full_width_text():
    text = (
        "2020年中国500强排行榜\n\nRank,Company\n1,ＣＨＩＮＡ　ＭＯＢＩＬＥ \n\n\n2, PetroChina\n"
        "Source: Fortune China\n\n"
    )
    t, records = table(text)
    assert t.header_line == 3
    assert [(r.line, r.values["organisation"]) for r in records] == [(4, "CHINA MOBILE"), (7, "PetroChina")]
    assert any("Line 1 above the header" in w for w in t.warnings)
    assert any("Line 8: 'Source: Fortune China' is not a data row" in w for w in t.warnings)


def test_mojibake_cell_is_repaired_with_a_warning():
    t, records = table("Rank,Company\n1,ä¸­å›½çŸ³æ²¹\n")
    assert records[0].values["organisation"] == "中国石油"
    assert any("mis-encoded" in w for w in t.warnings)


def test_replacement_characters_are_an_error():
    t, records = table("Rank,Company\n1,中\ufffd石油\n")
    assert records[0].errors and "replacement characters" in records[0].errors[0]


def test_tab_separated_and_cell_errors_carry_their_line():
    t, records = table("Rank\tCompany\n1\tA\nfirst\tB\n")
    assert records[1].line == 3
    assert records[1].errors == ["rank: 'first' is not a number"]


def test_duplicates_identical_collapse_conflicting_are_errors():
    t, records = table("Rank,Company\n1,A\n1,A\n2,a\n")
    dedupe = Deduplicator(t.spec, t.warnings)
    kept = [r for r in records if dedupe.check(r)]
    assert [r.line for r in kept] == [2, 4]
    assert any("Line 3 repeats line 2 exactly" in w for w in t.warnings)
    assert kept[1].errors == ["duplicates line 2 (same cohort and organisation) with different values"]


def test_xlsx_is_read_with_real_line_numbers():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["China Top 500"])
    sheet.append([])
    sheet.append(["排名", "公司名称", "营业收入"])
    sheet.append([1, "中国石化", 2000.5])
    buffer = io.BytesIO()
    book.save(buffer)
    t, records = table(buffer.getvalue())
    assert t.file_type == "xlsx" and t.header_line == 3
    assert records[0].line == 4 and records[0].values["revenue_rmb_m"] == decimal.Decimal("2000.50")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"PK\x03\x04garbage-not-a-workbook", "not a readable XLSX"),
        (b"just,some,words\nfoo,bar,baz\n", "No header row found"),
        (b"Company,Revenue\nA,1\n", "required column missing"),
    ],
)
def test_unreadable_files_give_clear_errors(data, message):
    with pytest.raises(ImportFileError, match=message.split("|")[0]):
        table(data, fixed={})


def test_missing_required_column_is_named():
    with pytest.raises(ImportFileError, match="required column missing: cohort"):
        table(b"Rank,Company\n1,A\n", fixed={})


def test_import_problems_are_written_in_the_readers_language():
    """Row and file problems are translated like the rest of the interface."""
    from django.utils import translation

    from registry.imports.cleaning import CellError, clean_count, clean_province

    with translation.override("zh-hans"):
        with pytest.raises(CellError, match="为负数"):
            clean_count("-5")
        with pytest.raises(CellError, match="不是省级行政区"):
            clean_province("Atlantis")
    with translation.override("en"), pytest.raises(CellError, match="is negative"):
        clean_count("-5")
