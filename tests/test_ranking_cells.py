"""The pieces of the ranking import on their own: messy cells, the sector
vocabularies, name matching and headquarters parsing."""

import decimal

import pytest

from registry import models as m
from registry.imports import cells
from registry.imports.ranking import money_unit, parse_headquarters
from registry.imports.vocabularies import map_sector
from registry.matching import NameIndex, exact_key, loose_key

D = decimal.Decimal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$514,405.00 ", D("514405.00")),
        ("($594)", D("-594")),
        ("$(12.5)", D("-12.5")),
        ("-594", D("-594")),
        ("1 234 567", D("1234567")),
        ("3.2万", D("32000.0")),
        ("1.5亿", D("150000000.0")),
        ("￥1,234", D("1234")),
        ("-", None),
        ("—", None),
        ("n/a", None),
        ("", None),
    ],
)
def test_messy_numbers(raw, expected):
    assert cells.clean_number(raw) == expected


@pytest.mark.parametrize("raw", ["lots", "1,2,3,4", "$$", "12-13"])
def test_non_numbers_say_so(raw):
    with pytest.raises(cells.CellError, match="is not a number"):
        cells.clean_number(raw)


def test_units_convert_to_millions():
    assert cells.to_millions(D("288165857"), unit="万") == D("2881658.57")
    assert cells.to_millions(D("12.5"), unit="亿") == D("1250")
    assert cells.to_millions(D("514405"), unit="million") == D("514405")
    assert money_unit("营业收入（万元）") == cells_unit("万", "CNY", "万元")
    assert money_unit("Revenues ($M)") == cells_unit("million", "USD", "$M")
    assert money_unit("营业收入(亿元)").multiplier == "亿"
    assert money_unit("Revenue").assumed


def cells_unit(multiplier, currency, published):
    from registry.imports.ranking import MoneyUnit

    return MoneyUnit(multiplier, currency, published)


def test_blank_and_control_lines():
    assert cells.is_blank_line(["\x1a"]) and cells.is_blank_line(["", " \t", None, "\u200b"])
    assert not cells.is_blank_line(["", "x"])


def test_mojibake_is_found_with_its_repair():
    assert cells.find_mojibake("Jonas K盲llberg").repaired == "Jonas Källberg"  # UTF-8 read as GBK
    assert cells.find_mojibake("Ã©cole").repaired == "école"  # UTF-8 read as Windows-1252
    for clean in ("中国石油化工集团有限公司", "Källberg", "Sinopec Group", "吕大鹏"):
        assert cells.find_mojibake(clean) is None


@pytest.mark.parametrize(
    ("value", "sector"),
    [
        ("Financials", "finance"),
        ("Retailing", "retail"),
        ("Materials", "metals"),
        ("Motor Vehicles & Parts", "automotive"),
        ("motor vehicles and parts", "automotive"),
        ("Engineering & Construction", "construction"),
        ("Information Technology", "internet"),  # GICS
        ("Communication Services", "telecoms"),
        ("建筑业", "construction"),  # GB/T 4754 门类 E
        ("C 制造业", "manufacturing"),
        ("J", None),  # a bare letter is too little
        ("J类", "finance"),
        ("能源", "energy"),
        ("金融", "finance"),
        ("金融业", "finance"),
        ("石油化工行业", "petrochemicals"),
        ("Business Services", "other"),  # known, and mapped to other on purpose
        ("Conglomerates", None),
    ],
)
def test_vocabularies(value, sector):
    assert map_sector(value) == sector


def test_remembered_mapping_comes_first():
    assert map_sector("Conglomerates", {"conglomerates": "finance"}) == "finance"


def test_name_keys():
    assert exact_key("SINOPEC  Group") == exact_key("Sinopec Group") == "sinopec group"
    assert exact_key("Ｓｉｎｏｐｅｃ") == "sinopec"  # full width
    assert loose_key("China Telecom Corp Ltd") == loose_key("China Telecom") == "china telecom"
    assert loose_key("Norvelix Co., Ltd.") == "norvelix"
    assert loose_key("中国电信集团有限公司") == loose_key("中国电信股份有限公司") == "中国电信"
    assert loose_key("Group Ltd") == "group ltd"  # nothing left: the exact key


@pytest.mark.django_db
def test_index_finds_by_names_short_names_and_aliases():
    sinopec = m.Organisation.objects.create(
        name_en="China Petrochemical Corporation", short_name="Sinopec", aliases="Sinopec Group\n中国石化"
    )
    m.Organisation.objects.create(name_en="Delta Energy Co., Ltd.")
    m.Organisation.objects.create(name_en="Delta Energy Group")
    index = NameIndex.from_database()
    assert index.find("Sinopec Group").organisation_id == sinopec.pk
    assert index.find("SINOPEC").how == "exact"
    assert index.find("China Petrochemical Corp.").how == "loose"
    assert index.find(None, "中国石化").organisation_id == sinopec.pk
    assert index.find("Delta Energy").ambiguous
    assert index.find("Nobody Ltd").candidates == []
    assert len(index.duplicate_groups()) == 1


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Beijing, China", "China", ("Beijing", "Beijing")),
        ("Shenzhen, China", "China", ("Shenzhen", "Guangdong")),
        ("Hangzhou, Zhejiang", "", ("Hangzhou", "Zhejiang")),
        ("广东省深圳市", "", ("深圳", "Guangdong")),
        ("北京市", "", ("北京", "Beijing")),
        ("Paris, France", "France", ("Paris", "")),
        ("Houston, TX", "U.S.", ("Houston", "")),
        ("", "China", ("", "")),
    ],
)
def test_headquarters(text, country, expected):
    assert parse_headquarters(text, country=country) == expected
