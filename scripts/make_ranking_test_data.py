"""Write the ranking test files in tests/data/, deterministically:

- ``global500_2019.tsv``: a list shaped like the published Fortune Global 500
  TSV (500 rows, 16 columns, money as ``"$514,405.00 "`` and ``($594)``, ``-``
  for missing, a junk last line), of invented companies plus two rows naming
  the seed's organisations as the list would ("Sinopec Group",
  "China Telecom"), one CEO name mis-decoded (UTF-8 read as GBK) and one
  sector value no vocabulary knows;
- ``china500_2020.csv``: a China Top 500 style list with Chinese headers
  (排名, 企业名称, 营业收入（万元）, 所属行业, 省份/地区, 官网…) and amounts in 万元.

Every company, person and figure is made up. Run ``python scripts/make_ranking_test_data.py``.
"""

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry.matching import loose_key  # noqa: E402

OUT = ROOT / "tests" / "data"

STEMS = [
    "Aurel", "Bravan", "Caldor", "Dunmere", "Estrel", "Falkor", "Granth", "Halvern", "Istra", "Jorvik",
    "Kestrel", "Lumen", "Marrow", "Norvel", "Oskar", "Pellan", "Quorra", "Rendal", "Sarn", "Tamsin",
    "Ulmar", "Vantor", "Wexley", "Xandor", "Yarrow", "Zephyr",
]  # fmt: skip
ENDINGS = ["a", "is", "on", "ex", "ia", "um", "ar", "ine", "o", "en", "ova", "ix", "ant", "ora", "ide", "et", "ane"]
SUFFIXES = ["Group", "Corp.", "Co., Ltd.", "Holdings", "AG", "plc", "Inc.", "SE", "", "Corporation", "Limited"]
# Fortune's sectors and a few of its industries for each.
SECTORS = {
    "Energy": ["Petroleum Refining", "Mining, Crude-Oil Production", "Utilities"],
    "Financials": ["Banks: Commercial and Savings", "Insurance: Life, Health (Stock)", "Diversified Financials"],
    "Retailing": ["General Merchandisers", "Specialty Retailers"],
    "Materials": ["Metals", "Mining"],
    "Motor Vehicles & Parts": ["Motor Vehicles and Parts"],
    "Engineering & Construction": ["Engineering, Construction"],
    "Technology": ["Computers, Office Equipment", "Internet Services and Retailing"],
    "Telecommunications": ["Telecommunications"],
    "Health Care": ["Pharmaceuticals"],
    "Food, Beverages & Tobacco": ["Food Consumer Products", "Beverages"],
    "Transportation": ["Airlines", "Shipping"],
    "Wholesalers": ["Trading"],
    "Industrials": ["Industrial Machinery"],
    "Aerospace & Defense": ["Aerospace and Defense"],
}
UNKNOWN_SECTOR = "Conglomerates"
COUNTRIES = {
    "China": ["Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Guangzhou", "Wuhan", "Xiamen"],
    "U.S.": ["New York, NY", "Houston, TX", "Seattle, WA"],
    "Japan": ["Tokyo", "Osaka"],
    "Germany": ["Munich", "Stuttgart"],
    "France": ["Paris"],
    "Britain": ["London"],
    "South Korea": ["Seoul"],
    "Netherlands": ["Amsterdam"],
    "Switzerland": ["Zurich"],
    "Canada": ["Toronto"],
}
GIVEN = ["Anna", "Ben", "Chen", "Dara", "Elin", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kai", "Lena", "Mika"]
FAMILY = ["Arvid", "Brandt", "Cole", "Dorsey", "Ekdahl", "Fenn", "Galt", "Hale", "Ivers", "Joss", "Krall", "Lund"]

SEED_ROWS = {
    2: ("Sinopec Group", "Energy", "Petroleum Refining", "China", "Beijing, China", "http://www.sinopec.com"),
    130: ("China Telecom", "Telecommunications", "Telecommunications", "China", "Beijing, China",
          "www.chinatelecom.com.cn"),
}  # fmt: skip


def money(value: float) -> str:
    """Fortune's way: quoted, dollar sign, thousands separators, a trailing space;
    negatives in brackets."""
    if value < 0:
        return f'"(${-value:,.0f})"'
    return f'"${value:,.2f} "'


def invented_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        stem = rng.choice(STEMS) + rng.choice(ENDINGS)
        second = rng.choice(["", " " + rng.choice(STEMS) + rng.choice(ENDINGS)])
        name = f"{stem}{second} {rng.choice(SUFFIXES)}".strip()
        key = loose_key(name)
        if key in taken:
            continue
        taken.add(key)
        names.append(name)
    return names


def global500() -> str:
    rng = random.Random(2019)
    taken = {loose_key(row[0]) for row in SEED_ROWS.values()} | {"china telecom", "china petrochemical", "sinopec"}
    names = iter(invented_names(rng, 500 - len(SEED_ROWS), taken))
    header = [
        "Rank", "Company", "Revenues ($M)", "Revenue Percent Change", "Profits ($M)", "Profits Percent Change",
        "Assets ($M)", "Employees", "Change in Rank", "Years on Global 500 List", "Country", "Sector",
        "Industry", "CEO", "Headquarters", "Website",
    ]  # fmt: skip
    lines = ["\t".join(header)]
    revenue = 514_405.0
    for rank in range(1, 501):
        revenue = max(25_000.0, revenue * rng.uniform(0.985, 0.999))
        if rank in SEED_ROWS:
            name, sector, industry, country, hq, website = SEED_ROWS[rank]
        else:
            name = next(names)
            sector = UNKNOWN_SECTOR if rank % 97 == 0 else rng.choice(list(SECTORS))
            industry = "Diversified Holdings" if sector == UNKNOWN_SECTOR else rng.choice(SECTORS[sector])
            country = rng.choice(list(COUNTRIES))
            city = rng.choice(COUNTRIES[country])
            hq = f"{city}, {country}" if country not in ("U.S.",) else city
            slug = loose_key(name).replace(" ", "-")
            website = rng.choice([f"https://www.{slug}.com", f"www.{slug}.com", "-"])
        profit = revenue * rng.uniform(-0.03, 0.12)
        assets = revenue * rng.uniform(0.5, 6)
        employees = rng.randint(2_000, 900_000)
        ceo = f"{rng.choice(GIVEN)} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(FAMILY)}"
        if rank == 17:
            ceo = "Jonas Källberg".encode().decode("gbk")  # UTF-8 read as GBK: "Jonas K盲llberg"
        cells = [
            str(rank),
            name,
            money(revenue),
            f"{rng.uniform(-20, 40):.1f}%",
            "-" if rank % 50 == 7 else money(profit),
            f"{rng.uniform(-80, 200):.1f}%",
            money(assets),
            "-" if rank % 83 == 5 else f"{employees:,}",
            rng.choice(["-", str(rng.randint(-40, 40))]),
            str(rng.randint(1, 25)),
            country,
            sector,
            industry,
            ceo,
            hq,
            website,
        ]
        lines.append("\t".join(cells))
    lines.append("\x1a")  # the junk last line: an end-of-file control character
    return "\n".join(lines) + "\n"


ZH_PLACES = [
    ("北京", "北京"), ("上海", "上海市"), ("广东", "广东省"), ("浙江", "浙江"), ("江苏", "江苏省"),
    ("山东", "山东"), ("四川", "四川省"), ("湖北", "湖北"), ("福建", "福建省"), ("重庆", "重庆市"),
]  # fmt: skip
ZH_STEMS = [
    "华瑞",
    "鼎盛",
    "恒远",
    "嘉泰",
    "润丰",
    "泓源",
    "博信",
    "中辰",
    "广晟",
    "宏达",
    "联拓",
    "天衡",
    "安和",
    "卓越",
]
ZH_TRADES = {
    "能源": "能源", "金融业": "金融", "建筑业": "建工", "C 制造业": "重工", "J 金融业": "银行",
    "批发和零售业": "商贸", "房地产": "置业", "汽车": "汽车", "互联网": "网络科技", "交通运输": "物流",
    "电力": "电力", "钢铁": "钢铁", "保险": "保险", "医药": "医药",
}  # fmt: skip
ZH_UNKNOWN = "综合服务"
ZH_SUFFIXES = ["集团有限公司", "股份有限公司", "有限公司", "集团"]
ZH_SEED_ROWS = {
    3: ("中国石油化工集团有限公司", "能源", "北京", "www.sinopec.com"),
    25: ("中国电信集团有限公司", "电信", "北京", "www.chinatelecom.com.cn"),
}


def china500() -> str:
    rng = random.Random(2020)
    taken = {"中国石油化工", "中国电信", "中国石化"}
    lines = [
        "2020中国企业500强（测试数据，企业均为虚构）",
        "排名,企业名称,营业收入（万元）,利润（万元）,所属行业,省份/地区,官网,董事长",
    ]
    revenue = 290_000_000.0  # 万元
    for rank in range(1, 501):
        revenue = max(3_000_000.0, revenue * rng.uniform(0.985, 0.999))
        if rank in ZH_SEED_ROWS:
            name, sector, province, website = ZH_SEED_ROWS[rank]
        else:
            sector = ZH_UNKNOWN if rank % 101 == 0 else rng.choice(list(ZH_TRADES))
            trade = ZH_TRADES.get(sector, "实业")
            while True:
                place, province = rng.choice(ZH_PLACES)
                first, second = rng.sample(ZH_STEMS, 2)
                name = f"{place}{first}{second}{trade}{rng.choice(ZH_SUFFIXES)}"
                if loose_key(name) not in taken:
                    taken.add(loose_key(name))
                    break
            website = rng.choice([f"www.zh{rank:03d}.com.cn", "—"])
        profit = revenue * rng.uniform(-0.02, 0.1)
        chair = rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["建国", "海峰", "志强", "立新", "明远", "晓东"])
        lines.append(
            ",".join(
                [
                    str(rank),
                    name,
                    f'"{revenue:,.0f}"',
                    "—" if rank % 60 == 9 else f"{profit:.0f}",
                    sector,
                    province,
                    website,
                    chair,
                ]
            )
        )
    lines.append("数据来源：测试数据，非真实榜单")
    return "\n".join(lines) + "\n"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "global500_2019.tsv").write_text(global500(), encoding="utf-8")
    (OUT / "china500_2020.csv").write_text(china500(), encoding="utf-8")
    print(f"wrote {OUT / 'global500_2019.tsv'} and {OUT / 'china500_2020.csv'}")


if __name__ == "__main__":
    main()
