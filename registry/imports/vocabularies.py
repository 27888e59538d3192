"""Sector and industry words of the common published vocabularies, mapped to
the registry's ``Sector`` values.

- Fortune's sectors (Global 500 and Fortune China 500) and a selection of its
  industries;
- GICS sectors (MSCI / S&P), 2018 and later;
- GB/T 4754-2017, China's national industry classification, its 门类 A–T (by
  name, by letter, and "C 制造业" as lists print them);
- the Chinese sector words that lists and registers use (能源, 金融, 建筑…).

A value that none of these knows is *unknown*: the admin preview lists it for
the user to map (the choice is kept per source in ``VocabularyMapping``), and
the command line maps it to "other" with a warning, or refuses it with
``--strict``. A known value mapped to "other" (Fortune's "Business Services")
is a decision of this table, not an unknown value.
"""

import re
import unicodedata

from registry.models import Sector

S = Sector

FORTUNE_SECTORS = {
    "Aerospace & Defense": S.DEFENCE,
    "Apparel": S.RETAIL,
    "Business Services": S.OTHER,
    "Chemicals": S.PETROCHEMICALS,
    "Energy": S.ENERGY,
    "Engineering & Construction": S.CONSTRUCTION,
    "Financials": S.FINANCE,
    "Food & Drug Stores": S.RETAIL,
    "Food, Beverages & Tobacco": S.FOOD,
    "Health Care": S.PHARMA,
    "Hotels, Restaurants & Leisure": S.TOURISM,
    "Household Products": S.RETAIL,
    "Industrials": S.MANUFACTURING,
    "Materials": S.METALS,
    "Media": S.MEDIA,
    "Motor Vehicles & Parts": S.AUTOMOTIVE,
    "Retailing": S.RETAIL,
    "Technology": S.INTERNET,
    "Telecommunications": S.TELECOMS,
    "Transportation": S.TRANSPORT,
    "Wholesalers": S.RETAIL,
}

FORTUNE_INDUSTRIES = {
    "Petroleum Refining": S.PETROCHEMICALS,
    "Mining, Crude-Oil Production": S.ENERGY,
    "Utilities": S.POWER,
    "Energy": S.ENERGY,
    "Banks: Commercial and Savings": S.FINANCE,
    "Diversified Financials": S.FINANCE,
    "Insurance: Life, Health (Stock)": S.INSURANCE,
    "Insurance: Life, Health (Mutual)": S.INSURANCE,
    "Insurance: Property and Casualty (Stock)": S.INSURANCE,
    "Insurance: Property and Casualty (Mutual)": S.INSURANCE,
    "Telecommunications": S.TELECOMS,
    "Internet Services and Retailing": S.INTERNET,
    "Computers, Office Equipment": S.INTERNET,
    "Computer Software": S.INTERNET,
    "Network and Other Communications Equipment": S.TELECOMS,
    "Semiconductors and Other Electronic Components": S.MANUFACTURING,
    "Electronics, Electrical Equip.": S.MANUFACTURING,
    "Industrial Machinery": S.MANUFACTURING,
    "Construction and Farm Machinery": S.MANUFACTURING,
    "Motor Vehicles and Parts": S.AUTOMOTIVE,
    "Engineering, Construction": S.CONSTRUCTION,
    "Homebuilders": S.REAL_ESTATE,
    "Real Estate": S.REAL_ESTATE,
    "Metals": S.METALS,
    "Mining": S.METALS,
    "Chemicals": S.PETROCHEMICALS,
    "Trading": S.RETAIL,
    "General Merchandisers": S.RETAIL,
    "Food and Drug Stores": S.RETAIL,
    "Specialty Retailers": S.RETAIL,
    "Food Consumer Products": S.FOOD,
    "Food Production": S.FOOD,
    "Beverages": S.FOOD,
    "Pharmaceuticals": S.PHARMA,
    "Health Care: Insurance and Managed Care": S.INSURANCE,
    "Airlines": S.TRANSPORT,
    "Railroads": S.TRANSPORT,
    "Shipping": S.TRANSPORT,
    "Mail, Package, and Freight Delivery": S.TRANSPORT,
    "Aerospace and Defense": S.DEFENCE,
    "Entertainment": S.MEDIA,
    "Publishing, Printing": S.MEDIA,
}

GICS_SECTORS = {
    "Energy": S.ENERGY,
    "Materials": S.METALS,
    "Industrials": S.MANUFACTURING,
    "Consumer Discretionary": S.RETAIL,
    "Consumer Staples": S.FOOD,
    "Health Care": S.PHARMA,
    "Financials": S.FINANCE,
    "Information Technology": S.INTERNET,
    "Communication Services": S.TELECOMS,
    "Telecommunication Services": S.TELECOMS,  # the name before 2018
    "Utilities": S.POWER,
    "Real Estate": S.REAL_ESTATE,
}

# GB/T 4754-2017 门类 (sections): letter, name, registry sector.
GBT_4754_SECTIONS = [
    ("A", "农、林、牧、渔业", S.FOOD),
    ("B", "采矿业", S.METALS),
    ("C", "制造业", S.MANUFACTURING),
    ("D", "电力、热力、燃气及水生产和供应业", S.POWER),
    ("E", "建筑业", S.CONSTRUCTION),
    ("F", "批发和零售业", S.RETAIL),
    ("G", "交通运输、仓储和邮政业", S.TRANSPORT),
    ("H", "住宿和餐饮业", S.TOURISM),
    ("I", "信息传输、软件和信息技术服务业", S.INTERNET),
    ("J", "金融业", S.FINANCE),
    ("K", "房地产业", S.REAL_ESTATE),
    ("L", "租赁和商务服务业", S.OTHER),
    ("M", "科学研究和技术服务业", S.EDUCATION),
    ("N", "水利、环境和公共设施管理业", S.OTHER),
    ("O", "居民服务、修理和其他服务业", S.OTHER),
    ("P", "教育", S.EDUCATION),
    ("Q", "卫生和社会工作", S.PHARMA),
    ("R", "文化、体育和娱乐业", S.TOURISM),
    ("S", "公共管理、社会保障和社会组织", S.GOVERNMENT),
    ("T", "国际组织", S.OTHER),
]

CHINESE_SECTOR_WORDS = {
    "能源": S.ENERGY,
    "煤炭": S.ENERGY,
    "石油": S.PETROCHEMICALS,
    "石油化工": S.PETROCHEMICALS,
    "石化": S.PETROCHEMICALS,
    "化工": S.PETROCHEMICALS,
    "天然气": S.ENERGY,
    "电力": S.POWER,
    "电网": S.POWER,
    "公用事业": S.POWER,
    "钢铁": S.METALS,
    "冶金": S.METALS,
    "有色金属": S.METALS,
    "有色": S.METALS,
    "矿业": S.METALS,
    "通信": S.TELECOMS,
    "电信": S.TELECOMS,
    "互联网": S.INTERNET,
    "信息技术": S.INTERNET,
    "软件": S.INTERNET,
    "电子": S.MANUFACTURING,
    "金融": S.FINANCE,
    "银行": S.FINANCE,
    "证券": S.FINANCE,
    "投资": S.FINANCE,
    "保险": S.INSURANCE,
    "建筑": S.CONSTRUCTION,
    "工程": S.CONSTRUCTION,
    "基建": S.CONSTRUCTION,
    "房地产": S.REAL_ESTATE,
    "地产": S.REAL_ESTATE,
    "制造": S.MANUFACTURING,
    "制造业": S.MANUFACTURING,
    "机械": S.MANUFACTURING,
    "装备制造": S.MANUFACTURING,
    "汽车": S.AUTOMOTIVE,
    "交通运输": S.TRANSPORT,
    "运输": S.TRANSPORT,
    "物流": S.TRANSPORT,
    "航运": S.TRANSPORT,
    "航空": S.TRANSPORT,
    "铁路": S.TRANSPORT,
    "零售": S.RETAIL,
    "商贸": S.RETAIL,
    "批发": S.RETAIL,
    "贸易": S.RETAIL,
    "食品": S.FOOD,
    "农业": S.FOOD,
    "医药": S.PHARMA,
    "医疗": S.PHARMA,
    "旅游": S.TOURISM,
    "文化": S.TOURISM,
    "传媒": S.MEDIA,
    "媒体": S.MEDIA,
    "军工": S.DEFENCE,
    "航天": S.DEFENCE,
    "国防": S.DEFENCE,
    "教育": S.EDUCATION,
    "科研": S.EDUCATION,
    "综合": S.OTHER,
}


def vocabulary_key(value) -> str:
    """How values are compared: NFKC, case-folded, '&' as 'and', punctuation and
    spacing collapsed ('Motor Vehicles & Parts' = 'motor vehicles and parts')."""
    text = unicodedata.normalize("NFKC", str(value or "")).casefold().replace("&", " and ")
    text = re.sub(r"[\s,.;:/()\-、，。（）]+", " ", text)
    return text.strip()[:200]


def _build() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(word, sector):
        table.setdefault(vocabulary_key(word), str(sector))

    for value, label in Sector.choices:  # the registry's own values and labels
        add(value, value)
        add(label, value)
    for vocabulary in (FORTUNE_SECTORS, GICS_SECTORS, FORTUNE_INDUSTRIES, CHINESE_SECTOR_WORDS):
        for word, sector in vocabulary.items():
            add(word, sector)
    for letter, name, sector in GBT_4754_SECTIONS:
        add(name, sector)
        add(f"{letter} {name}", sector)
        add(f"{letter}{name}", sector)
        add(f"{letter}类", sector)
    return table


BUILT_IN = _build()


def map_sector(value, remembered: dict[str, str] | None = None) -> str | None:
    """The registry sector for ``value``: the user's remembered choice for this
    source first, then the built-in vocabularies; None when unknown. Chinese
    values also match by their leading sector word ('石油化工行业', '金融业')."""
    key = vocabulary_key(value)
    if not key:
        return None
    if remembered and key in remembered:
        return remembered[key]
    if key in BUILT_IN:
        return BUILT_IN[key]
    stripped = re.sub(r"(行业|产业|业|类)$", "", key)
    if stripped in BUILT_IN:
        return BUILT_IN[stripped]
    return None
