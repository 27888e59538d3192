"""Synthetic demo data: a full China Top 500 list of made-up companies, their
platform accounts and metrics, shaped so the dashboard reproduces the article's
figures (more than 400 of the top 500 on WeChat, more than 200 on Weibo, fewer
on Douyin and Kuaishou).

Everything written here is flagged ``is_demo`` and every company name ends in
" (demo)" / "（演示）". The output depends only on the number of companies and
the seed: all randomness comes from one ``random.Random(seed)``, consumed in a
fixed order, and nothing depends on database ids or set ordering.
"""

import base64
import datetime
import math
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from registry import names
from registry.models import (
    Account,
    AccountMetric,
    AccountStatus,
    Activity,
    Cohort,
    CohortMembership,
    DatePrecision,
    Organisation,
    OrganisationKind,
    OrganisationSearchKey,
    Ownership,
    Platform,
    Position,
    PublishedFigure,
    Sector,
    Statement,
    normalise_name,
)
from registry.seed import PLATFORMS, TOP_500_SLUG, load_seed
from registry.signals import bump_data_version
from registry.validators import credit_code_check_character

DEMO_SUFFIX_EN = " (demo)"
DEMO_SUFFIX_ZH = "（演示）"
DEMO_COHORT_SLUG = "china-top-500-2021-demo"
DEMO_COHORT_NAME = "China Top 500 Enterprises 2021 (synthetic demo)"
DEMO_COHORT_NAME_ZH = "2021中国企业500强（模拟演示）"

ARTICLE_AS_OF = datetime.date(2021, 6, 30)  # every WeChat/Weibo/Douyin/Kuaishou adopter is open by then
LAST_DATE = datetime.date(2021, 12, 31)  # nothing opens after this; follower histories end in 2021-12
DAILY_START = datetime.date(2021, 10, 3)  # 90 days of daily activity, to LAST_DATE
BATCH_SIZE = 2000
MAX_COMPANIES = 5000

CENTRAL, LOCAL, PRIVATE, FOREIGN = Ownership.CENTRAL_SOE, Ownership.LOCAL_SOE, Ownership.PRIVATE, Ownership.FOREIGN
# The real list has roughly 95 central SOEs, 230 local SOEs, 160 private and a
# few foreign-invested companies in 500.
OWNERSHIP_SHARES = {CENTRAL: 0.19, PRIVATE: 0.32, FOREIGN: 0.03}  # local SOEs take the rest
# How strongly each kind of owner crowds the top of the ranking.
RANK_WEIGHT = {CENTRAL: 5.0, LOCAL: 1.3, PRIVATE: 1.0, FOREIGN: 0.7}
# Revenue (RMB million) by rank: about 2.8 million at rank 1, 39,000 at rank 500.
TOP_REVENUE = 2_800_000
REVENUE_EXPONENT = math.log(TOP_REVENUE / 39_000) / math.log(500)
KEEP_SHARE_2021 = 0.92

SECTOR_WEIGHTS = {
    CENTRAL: {
        Sector.ENERGY: 12,
        Sector.POWER: 10,
        Sector.PETROCHEMICALS: 6,
        Sector.METALS: 10,
        Sector.CONSTRUCTION: 14,
        Sector.FINANCE: 8,
        Sector.INSURANCE: 4,
        Sector.TELECOMS: 4,
        Sector.MANUFACTURING: 10,
        Sector.AUTOMOTIVE: 5,
        Sector.TRANSPORT: 8,
        Sector.DEFENCE: 8,
        Sector.RETAIL: 3,
        Sector.FOOD: 2,
        Sector.PHARMA: 2,
        Sector.REAL_ESTATE: 2,
    },
    LOCAL: {
        Sector.METALS: 16,
        Sector.ENERGY: 12,
        Sector.CONSTRUCTION: 16,
        Sector.FINANCE: 10,
        Sector.REAL_ESTATE: 6,
        Sector.TRANSPORT: 10,
        Sector.MANUFACTURING: 8,
        Sector.AUTOMOTIVE: 6,
        Sector.RETAIL: 6,
        Sector.FOOD: 4,
        Sector.PETROCHEMICALS: 4,
        Sector.POWER: 4,
        Sector.PHARMA: 2,
        Sector.INSURANCE: 2,
        Sector.TOURISM: 1,
        Sector.MEDIA: 1,
    },
    PRIVATE: {
        Sector.MANUFACTURING: 16,
        Sector.METALS: 12,
        Sector.INTERNET: 12,
        Sector.REAL_ESTATE: 10,
        Sector.RETAIL: 8,
        Sector.AUTOMOTIVE: 6,
        Sector.PETROCHEMICALS: 8,
        Sector.FOOD: 6,
        Sector.PHARMA: 5,
        Sector.CONSTRUCTION: 5,
        Sector.FINANCE: 4,
        Sector.INSURANCE: 3,
        Sector.ENERGY: 3,
        Sector.TRANSPORT: 3,
        Sector.TELECOMS: 1,
    },
    FOREIGN: {
        Sector.AUTOMOTIVE: 5,
        Sector.MANUFACTURING: 4,
        Sector.RETAIL: 3,
        Sector.FOOD: 2,
        Sector.PETROCHEMICALS: 1,
        Sector.INSURANCE: 1,
    },
}

# (English, Chinese) words that name a company's line of business.
SECTOR_WORDS = {
    Sector.ENERGY: [("Energy", "能源"), ("Coal", "煤业"), ("New Energy", "新能源")],
    Sector.PETROCHEMICALS: [("Petrochemical", "石化"), ("Chemical", "化工")],
    Sector.POWER: [("Power", "电力"), ("Electric Power", "电力投资")],
    Sector.METALS: [("Steel", "钢铁"), ("Nonferrous Metals", "有色金属"), ("Mining", "矿业")],
    Sector.TELECOMS: [("Telecom", "电信"), ("Communications", "通信")],
    Sector.INTERNET: [("Technology", "科技"), ("Digital", "数字科技"), ("Network", "网络")],
    Sector.FINANCE: [("Financial", "金融"), ("Securities", "证券"), ("Investment", "投资")],
    Sector.INSURANCE: [("Insurance", "保险"), ("Life Insurance", "人寿保险")],
    Sector.CONSTRUCTION: [("Construction", "建设"), ("Engineering", "建工"), ("Infrastructure", "基建")],
    Sector.REAL_ESTATE: [("Property", "置业"), ("Real Estate", "地产")],
    Sector.MANUFACTURING: [
        ("Machinery", "机械"),
        ("Heavy Industry", "重工"),
        ("Electric", "电气"),
        ("Electronics", "电子"),
    ],
    Sector.AUTOMOTIVE: [("Motor", "汽车"), ("Auto Parts", "汽车零部件")],
    Sector.TRANSPORT: [("Logistics", "物流"), ("Shipping", "航运"), ("Airlines", "航空"), ("Transport", "交通")],
    Sector.RETAIL: [("Commerce", "商贸"), ("Retail", "商业")],
    Sector.FOOD: [("Foods", "食品"), ("Agriculture", "农业"), ("Dairy", "乳业")],
    Sector.PHARMA: [("Pharmaceutical", "医药"), ("Health", "健康")],
    Sector.TOURISM: [("Culture and Tourism", "文旅")],
    Sector.MEDIA: [("Media", "传媒")],
    Sector.DEFENCE: [("Aerospace", "航天"), ("Shipbuilding", "船舶")],
}

# Brand syllables (pinyin, hanzi): two make a brand such as "Huaxin" (华鑫).
SYLLABLES = [
    ("Hua", "华"),
    ("Xin", "鑫"),
    ("Heng", "恒"),
    ("Tai", "泰"),
    ("Rui", "瑞"),
    ("Feng", "丰"),
    ("Long", "隆"),
    ("Sheng", "盛"),
    ("An", "安"),
    ("Kang", "康"),
    ("Jin", "锦"),
    ("Da", "达"),
    ("Tong", "通"),
    ("Hong", "宏"),
    ("Yuan", "远"),
    ("Ming", "明"),
    ("Hai", "海"),
    ("Tian", "天"),
    ("Yu", "宇"),
    ("Jia", "嘉"),
    ("Cheng", "诚"),
    ("De", "德"),
    ("Fu", "富"),
    ("Xing", "兴"),
    ("Chang", "昌"),
    ("Yi", "亿"),
    ("Wei", "威"),
    ("Bo", "博"),
    ("Kai", "凯"),
    ("Ding", "鼎"),
    ("Sen", "森"),
    ("Lian", "联"),
    ("Ze", "泽"),
    ("Hui", "汇"),
    ("Rong", "荣"),
    ("Run", "润"),
    ("Yao", "耀"),
    ("Qi", "启"),
    ("Zhi", "智"),
    ("Hao", "浩"),
    ("Tuo", "拓"),
    ("Lan", "蓝"),
    ("Chen", "辰"),
    ("Shun", "顺"),
    ("Ying", "盈"),
    ("Bao", "宝"),
    ("Wan", "万"),
    ("Yong", "永"),
    ("Ke", "科"),
]
# Foreign-invested companies get a Western-sounding brand and its transliteration.
FOREIGN_HEADS = [
    ("Al", "阿尔"),
    ("Bel", "贝尔"),
    ("Cor", "科尔"),
    ("Dan", "丹"),
    ("Fal", "法尔"),
    ("Gren", "格林"),
    ("Hal", "哈尔"),
    ("Lor", "洛尔"),
    ("Mar", "马尔"),
    ("Nor", "诺尔"),
    ("Ost", "奥斯特"),
    ("Sel", "塞尔"),
    ("Tor", "托尔"),
    ("Val", "瓦尔"),
    ("Wes", "韦斯"),
]
FOREIGN_TAILS = [
    ("ara", "阿拉"),
    ("ven", "文"),
    ("dor", "多"),
    ("mark", "马克"),
    ("ton", "顿"),
    ("via", "维亚"),
    ("lex", "莱克斯"),
    ("tis", "蒂斯"),
]

COMPANY_SUFFIXES = {
    CENTRAL: [("Group", "集团有限公司"), ("Corporation", "集团公司")],
    LOCAL: [("Group", "集团有限公司"), ("Holdings", "控股集团有限公司")],
    PRIVATE: [("Group", "集团股份有限公司"), ("Holdings", "控股有限公司"), ("Co Ltd", "股份有限公司")],
    FOREIGN: [("(China) Co Ltd", "（中国）有限公司")],
}

# Provinces (English as stored, Chinese) and cities (English, Chinese, region
# codes used in credit codes); the first city is the capital.
GEOGRAPHY = {
    "Beijing": ("北京", [("Beijing", "北京", ("110000", "110102", "110105", "110108"))]),
    "Tianjin": ("天津", [("Tianjin", "天津", ("120000", "120116"))]),
    "Shanghai": ("上海", [("Shanghai", "上海", ("310000", "310101", "310115"))]),
    "Chongqing": ("重庆", [("Chongqing", "重庆", ("500000", "500103"))]),
    "Hebei": (
        "河北",
        [("Shijiazhuang", "石家庄", ("130100",)), ("Tangshan", "唐山", ("130200",)), ("Handan", "邯郸", ("130400",))],
    ),
    "Shanxi": (
        "山西",
        [("Taiyuan", "太原", ("140100",)), ("Datong", "大同", ("140200",)), ("Changzhi", "长治", ("140400",))],
    ),
    "Inner Mongolia": (
        "内蒙古",
        [("Hohhot", "呼和浩特", ("150100",)), ("Baotou", "包头", ("150200",)), ("Ordos", "鄂尔多斯", ("150600",))],
    ),
    "Liaoning": (
        "辽宁",
        [("Shenyang", "沈阳", ("210100",)), ("Dalian", "大连", ("210200",)), ("Anshan", "鞍山", ("210300",))],
    ),
    "Jilin": ("吉林", [("Changchun", "长春", ("220100",))]),
    "Heilongjiang": ("黑龙江", [("Harbin", "哈尔滨", ("230100",)), ("Daqing", "大庆", ("230600",))]),
    "Jiangsu": (
        "江苏",
        [
            ("Nanjing", "南京", ("320100",)),
            ("Wuxi", "无锡", ("320200",)),
            ("Xuzhou", "徐州", ("320300",)),
            ("Changzhou", "常州", ("320400",)),
            ("Suzhou", "苏州", ("320500",)),
        ],
    ),
    "Zhejiang": (
        "浙江",
        [
            ("Hangzhou", "杭州", ("330100",)),
            ("Ningbo", "宁波", ("330200",)),
            ("Jiaxing", "嘉兴", ("330400",)),
            ("Shaoxing", "绍兴", ("330600",)),
            ("Taizhou", "台州", ("331000",)),
        ],
    ),
    "Anhui": (
        "安徽",
        [("Hefei", "合肥", ("340100",)), ("Wuhu", "芜湖", ("340200",)), ("Ma'anshan", "马鞍山", ("340500",))],
    ),
    "Fujian": (
        "福建",
        [("Fuzhou", "福州", ("350100",)), ("Xiamen", "厦门", ("350200",)), ("Quanzhou", "泉州", ("350500",))],
    ),
    "Jiangxi": ("江西", [("Nanchang", "南昌", ("360100",)), ("Ganzhou", "赣州", ("360700",))]),
    "Shandong": (
        "山东",
        [
            ("Jinan", "济南", ("370100",)),
            ("Qingdao", "青岛", ("370200",)),
            ("Zibo", "淄博", ("370300",)),
            ("Yantai", "烟台", ("370600",)),
            ("Weifang", "潍坊", ("370700",)),
            ("Rizhao", "日照", ("371100",)),
        ],
    ),
    "Henan": (
        "河南",
        [("Zhengzhou", "郑州", ("410100",)), ("Luoyang", "洛阳", ("410300",)), ("Pingdingshan", "平顶山", ("410400",))],
    ),
    "Hubei": (
        "湖北",
        [("Wuhan", "武汉", ("420100",)), ("Yichang", "宜昌", ("420500",)), ("Xiangyang", "襄阳", ("420600",))],
    ),
    "Hunan": ("湖南", [("Changsha", "长沙", ("430100",)), ("Zhuzhou", "株洲", ("430200",))]),
    "Guangdong": (
        "广东",
        [
            ("Guangzhou", "广州", ("440100",)),
            ("Shenzhen", "深圳", ("440300",)),
            ("Zhuhai", "珠海", ("440400",)),
            ("Foshan", "佛山", ("440600",)),
            ("Dongguan", "东莞", ("441900",)),
        ],
    ),
    "Guangxi": ("广西", [("Nanning", "南宁", ("450100",)), ("Liuzhou", "柳州", ("450200",))]),
    "Hainan": ("海南", [("Haikou", "海口", ("460100",))]),
    "Sichuan": (
        "四川",
        [("Chengdu", "成都", ("510100",)), ("Mianyang", "绵阳", ("510700",)), ("Yibin", "宜宾", ("511500",))],
    ),
    "Guizhou": ("贵州", [("Guiyang", "贵阳", ("520100",)), ("Zunyi", "遵义", ("520300",))]),
    "Yunnan": ("云南", [("Kunming", "昆明", ("530100",))]),
    "Shaanxi": ("陕西", [("Xi'an", "西安", ("610100",)), ("Yulin", "榆林", ("610800",))]),
    "Gansu": ("甘肃", [("Lanzhou", "兰州", ("620100",)), ("Jinchang", "金昌", ("620300",))]),
    "Qinghai": ("青海", [("Xining", "西宁", ("630100",))]),
    "Ningxia": ("宁夏", [("Yinchuan", "银川", ("640100",))]),
    "Xinjiang": ("新疆", [("Urumqi", "乌鲁木齐", ("650100",))]),
}

PROVINCE_WEIGHTS = {
    CENTRAL: {"Beijing": 85, "Shanghai": 4, "Guangdong": 4, "Hubei": 3, "Liaoning": 2, "Jilin": 1, "Sichuan": 1},
    LOCAL: {
        "Shandong": 25,
        "Beijing": 15,
        "Shanghai": 18,
        "Guangdong": 18,
        "Jiangsu": 14,
        "Zhejiang": 16,
        "Fujian": 12,
        "Hebei": 10,
        "Tianjin": 10,
        "Chongqing": 8,
        "Sichuan": 10,
        "Anhui": 10,
        "Henan": 8,
        "Hubei": 8,
        "Hunan": 6,
        "Shaanxi": 10,
        "Shanxi": 12,
        "Liaoning": 6,
        "Jiangxi": 6,
        "Guangxi": 6,
        "Yunnan": 6,
        "Inner Mongolia": 4,
        "Xinjiang": 3,
        "Jilin": 3,
        "Heilongjiang": 2,
        "Gansu": 4,
        "Guizhou": 4,
        "Hainan": 1,
        "Qinghai": 1,
        "Ningxia": 1,
    },
    PRIVATE: {
        "Zhejiang": 30,
        "Jiangsu": 25,
        "Guangdong": 28,
        "Shandong": 20,
        "Fujian": 10,
        "Beijing": 12,
        "Shanghai": 10,
        "Hebei": 8,
        "Sichuan": 4,
        "Henan": 4,
        "Hubei": 3,
        "Hunan": 3,
        "Liaoning": 3,
        "Chongqing": 3,
        "Anhui": 3,
        "Tianjin": 2,
        "Inner Mongolia": 2,
        "Jiangxi": 2,
        "Xinjiang": 2,
        "Shaanxi": 2,
    },
    FOREIGN: {"Shanghai": 5, "Guangdong": 3, "Jiangsu": 3, "Beijing": 2, "Tianjin": 1, "Liaoning": 1},
}


@dataclass(frozen=True)
class PlatformPlan:
    """How many companies of a list adopt a platform and when they open."""

    share: float  # of the 2020 list; the exact number is round(share * N)
    weights: dict  # relative likelihood by ownership
    years: dict  # opening year -> weight
    first_day: datetime.date
    last_day: datetime.date
    follower_median: int
    follower_sigma: float


_H1 = ARTICLE_AS_OF
PLATFORM_PLANS = {
    # WeChat and Weibo give the article's "more than 400" and "more than 200" of 500.
    "wechat": PlatformPlan(
        0.84,
        {CENTRAL: 20, LOCAL: 3, PRIVATE: 2.5, FOREIGN: 1.5},
        {2012: 5, 2013: 18, 2014: 22, 2015: 18, 2016: 12, 2017: 9, 2018: 7, 2019: 5, 2020: 3, 2021: 1},
        datetime.date(2012, 8, 23),
        _H1,
        30_000,
        1.3,
    ),
    "weibo": PlatformPlan(
        0.45,
        {CENTRAL: 6, LOCAL: 1.5, PRIVATE: 1.2, FOREIGN: 1.5},
        {
            2010: 12,
            2011: 20,
            2012: 18,
            2013: 14,
            2014: 10,
            2015: 8,
            2016: 6,
            2017: 5,
            2018: 4,
            2019: 3,
            2020: 2,
            2021: 1,
        },
        datetime.date(2010, 1, 1),
        _H1,
        60_000,
        1.6,
    ),
    "douyin": PlatformPlan(
        0.30,
        {CENTRAL: 5, LOCAL: 1, PRIVATE: 1.4, FOREIGN: 1},
        {2018: 30, 2019: 35, 2020: 28, 2021: 7},
        datetime.date(2018, 1, 1),
        _H1,
        40_000,
        1.6,
    ),
    "kuaishou": PlatformPlan(
        0.17,
        {CENTRAL: 5, LOCAL: 1, PRIVATE: 1.2, FOREIGN: 0.5},
        {2019: 35, 2020: 45, 2021: 20},
        datetime.date(2019, 1, 1),
        _H1,
        20_000,
        1.5,
    ),
    "bilibili": PlatformPlan(
        0.07,
        {CENTRAL: 4, LOCAL: 0.5, PRIVATE: 1.5, FOREIGN: 1},
        {2017: 5, 2018: 10, 2019: 20, 2020: 35, 2021: 30},
        datetime.date(2017, 1, 1),
        LAST_DATE,
        8_000,
        1.4,
    ),
    "toutiao": PlatformPlan(
        0.14,
        {CENTRAL: 5, LOCAL: 1.2, PRIVATE: 1, FOREIGN: 0.5},
        {2015: 15, 2016: 20, 2017: 20, 2018: 15, 2019: 12, 2020: 10, 2021: 8},
        datetime.date(2015, 1, 1),
        LAST_DATE,
        12_000,
        1.3,
    ),
    "xiaohongshu": PlatformPlan(
        0.05,
        {CENTRAL: 1, LOCAL: 0.5, PRIVATE: 2, FOREIGN: 3},
        {2019: 20, 2020: 40, 2021: 40},
        datetime.date(2019, 1, 1),
        LAST_DATE,
        3_000,
        1.3,
    ),
    "wechat-channels": PlatformPlan(
        0.12,
        {CENTRAL: 6, LOCAL: 1, PRIVATE: 1, FOREIGN: 0.5},
        {2020: 55, 2021: 45},
        datetime.date(2020, 1, 22),
        LAST_DATE,
        4_000,
        1.3,
    ),
    # Overseas accounts belong mostly to central SOEs.
    "facebook": PlatformPlan(
        0.04,
        {CENTRAL: 30, LOCAL: 1, PRIVATE: 3, FOREIGN: 10},
        {y: 1 for y in range(2014, 2022)},
        datetime.date(2014, 1, 1),
        LAST_DATE,
        40_000,
        1.5,
    ),
    "x": PlatformPlan(
        0.04,
        {CENTRAL: 30, LOCAL: 1, PRIVATE: 3, FOREIGN: 10},
        {y: 1 for y in range(2014, 2022)},
        datetime.date(2014, 1, 1),
        LAST_DATE,
        8_000,
        1.4,
    ),
    "youtube": PlatformPlan(
        0.04,
        {CENTRAL: 30, LOCAL: 1, PRIVATE: 3, FOREIGN: 10},
        {y: 1 for y in range(2015, 2022)},
        datetime.date(2015, 1, 1),
        LAST_DATE,
        3_000,
        1.4,
    ),
    "linkedin": PlatformPlan(
        0.06,
        {CENTRAL: 30, LOCAL: 1, PRIVATE: 3, FOREIGN: 10},
        {y: 1 for y in range(2012, 2022)},
        datetime.date(2012, 1, 1),
        LAST_DATE,
        15_000,
        1.2,
    ),
    "tiktok": PlatformPlan(
        0.01,
        {CENTRAL: 30, LOCAL: 1, PRIVATE: 3, FOREIGN: 10},
        {2020: 1, 2021: 1},
        datetime.date(2020, 1, 1),
        LAST_DATE,
        10_000,
        1.5,
    ),
}
OVERSEAS = {"facebook", "x", "youtube", "linkedin", "tiktok"}
SECOND_ACCOUNT_PLATFORMS = ("wechat", "weibo", "douyin")
SECOND_ACCOUNT_SHARE = 0.03  # of companies: a second, open account on one platform
CLOSED_ACCOUNT_SHARE = 0.02  # of accounts: an extra, earlier account that was closed
SECOND_ACCOUNT_KINDS = [("news", "资讯"), ("jobs", "招聘"), ("service", "服务"), ("youth", "青年")]
CLOSED_ACCOUNT_KINDS = [("release", "发布"), ("info", "信息"), ("media", "融媒")]


# --------------------------------------------------------------------------- plans (pure Python)


@dataclass
class CompanyPlan:
    name_en: str
    name_zh: str
    short_en: str
    short_zh: str
    handle_base: str
    ownership: str
    sector: str
    province: str
    city: str
    credit_code: str
    standing: float = 0.5  # 0 at the top of its list, 1 at the bottom
    revenue_2020: float | None = None
    rank_2020: int | None = None
    revenue_2021: float | None = None
    rank_2021: int | None = None


@dataclass
class AccountPlan:
    company: CompanyPlan
    platform: str
    display_name: str
    handle: str
    account_id: str
    url: str
    verified: bool
    opened_on: datetime.date
    opened_precision: str
    closed_on: datetime.date | None
    followers: int  # at the end of 2021, or when closed
    metrics: list = field(default_factory=list)  # AccountMetric keyword dicts


@dataclass
class DemoSummary:
    companies: int
    new_in_2021: int
    memberships: int
    accounts: dict
    metrics: int
    seconds: float = 0.0

    def lines(self) -> list[str]:
        total = sum(self.accounts.values())
        per_platform = ", ".join(f"{slug} {n}" for slug, n in self.accounts.items())
        return [
            f"Companies: {self.companies} ({self.new_in_2021} of them only in the 2021 demo list)",
            f"Memberships: {self.memberships}",
            f"Accounts: {total} ({per_platform})",
            f"Metric rows: {self.metrics}",
            f"Took {self.seconds:.1f} s",
        ]


def _weighted_choice(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """``k`` items without replacement, each picked with probability growing with
    its weight (Efraimidis-Spirakis keys); returned in the input order."""
    keys = [rng.random() ** (1.0 / w) for w in weights]
    chosen = set(sorted(range(len(items)), key=lambda i: keys[i], reverse=True)[:k])
    return [item for i, item in enumerate(items) if i in chosen]


class _Namer:
    """Unique synthetic names, credit codes, handles and account ids."""

    def __init__(self, rng: random.Random, *, names: set, codes: set, handles: dict, account_ids: dict):
        self.rng = rng
        self.names = names
        self.zh_names: set[str] = set()
        self.codes = codes
        self.handles = handles
        self.account_ids = account_ids

    def company(self, ownership: str, sector: str, province: str, city: tuple) -> CompanyPlan:
        rng = self.rng
        province_zh = GEOGRAPHY[province][0]
        city_en, city_zh, region_codes = city
        while True:
            if ownership == FOREIGN:
                (h_en, h_zh), (t_en, t_zh) = rng.choice(FOREIGN_HEADS), rng.choice(FOREIGN_TAILS)
                brand_en, brand_zh = h_en + t_en, h_zh + t_zh
            else:
                (a_en, a_zh), (b_en, b_zh) = rng.sample(SYLLABLES, 2)
                brand_en, brand_zh = a_en + b_en.lower(), a_zh + b_zh
            word_en, word_zh = rng.choice(SECTOR_WORDS[sector])
            suffix_en, suffix_zh = rng.choice(COMPANY_SUFFIXES[ownership])
            if ownership == CENTRAL:
                prefix_en, prefix_zh = "China ", "中国"
            elif ownership == LOCAL:
                use_city = rng.random() < 0.4 and city_en != province
                prefix_en, prefix_zh = (f"{city_en} ", city_zh) if use_city else (f"{province} ", province_zh)
            else:
                prefix_en, prefix_zh = "", ""
            short_en = f"{prefix_en}{brand_en} {word_en}"
            short_zh = f"{prefix_zh}{brand_zh}{word_zh}"
            name_en = f"{short_en} {suffix_en}{DEMO_SUFFIX_EN}"
            name_zh = f"{short_zh}{suffix_zh}{DEMO_SUFFIX_ZH}"
            key = normalise_name(name_en)
            if key not in self.names and name_zh not in self.zh_names:
                break
        self.names.add(key)
        self.zh_names.add(name_zh)
        return CompanyPlan(
            name_en=name_en,
            name_zh=name_zh,
            short_en=short_en,
            short_zh=short_zh,
            handle_base="".join(ch for ch in f"{brand_en}{word_en}".lower() if ch.isalnum()),
            ownership=ownership,
            sector=sector,
            province=province,
            city=city_en,
            credit_code=self.credit_code(rng.choice(region_codes), central=ownership == CENTRAL),
        )

    def credit_code(self, region: str, *, central: bool) -> str:
        """A well-formed GB 32100-2015 code: registration authority 9 (market
        regulation), type 1 (enterprise), region, organisation code (GB 11714,
        with its own check character) and the overall check character."""
        while True:
            prefix = "10" if central else ""  # central SOEs' codes cluster in one old range
            body = prefix + "".join(self.rng.choice("0123456789") for _ in range(8 - len(prefix)))
            total = sum(int(ch) * w for ch, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
            check = 11 - total % 11
            org_code = body + {10: "X", 11: "0"}.get(check, str(check))
            first17 = f"91{region}{org_code}"
            code = first17 + credit_code_check_character(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def handle(self, platform: str, base: str) -> str:
        """Handles end in "_demo" so no link can lead to a real account."""
        taken = self.handles.setdefault(platform, set())
        candidate, n = f"{base}_demo", 1
        while candidate in taken:
            n += 1
            candidate = f"{base}{n}_demo"
        taken.add(candidate)
        return candidate

    def account_id(self, platform: str) -> str:
        rng, taken = self.rng, self.account_ids.setdefault(platform, set())
        while True:
            value = _ACCOUNT_ID_FORMATS[platform](rng)
            if value not in taken:
                taken.add(value)
                return value


def _digits(rng, n: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def _chars(rng, n: int, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


_HEX = "0123456789abcdef"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_ACCOUNT_ID_FORMATS = {
    "wechat": lambda rng: "gh_" + _chars(rng, 12, _HEX),
    "weibo": lambda rng: _digits(rng, 10, "5667"),
    "douyin": lambda rng: "MS4wLjABAAAA" + _chars(rng, 43, _B64),
    "kuaishou": lambda rng: "3x" + _chars(rng, 13, "abcdefghijkmnpqrstuvwxyz23456789"),
    "bilibili": lambda rng: _digits(rng, 9),
    "toutiao": lambda rng: _digits(rng, 11),
    "xiaohongshu": lambda rng: _chars(rng, 24, _HEX),
    "wechat-channels": lambda rng: "sph" + _chars(rng, 7, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"),
    "facebook": lambda rng: _digits(rng, 15, "1"),
    "x": lambda rng: _digits(rng, 18),
    "youtube": lambda rng: "UC" + _chars(rng, 22, _B64),
    "linkedin": lambda rng: _digits(rng, 8),
    "tiktok": lambda rng: _digits(rng, 19, "67"),
}


def _account_url(platform: str, handle: str, account_id: str) -> str:
    if platform == "wechat":
        # Official-account home pages are addressed by a base64 "__biz" number.
        biz = base64.b64encode(str(int(account_id[3:], 16) % 10**10).encode()).decode()
        return f"https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz={biz}"
    return {
        "weibo": f"https://weibo.com/u/{account_id}",
        "douyin": f"https://www.douyin.com/user/{account_id}",
        "kuaishou": f"https://www.kuaishou.com/profile/{account_id}",
        "bilibili": f"https://space.bilibili.com/{account_id}",
        "toutiao": f"https://www.toutiao.com/c/user/{account_id}/",
        "xiaohongshu": f"https://www.xiaohongshu.com/user/profile/{account_id}",
        "wechat-channels": "",  # Channels has no public web profile
        "facebook": f"https://www.facebook.com/{handle}",
        "x": f"https://x.com/{handle}",
        "youtube": f"https://www.youtube.com/@{handle}",
        "linkedin": f"https://www.linkedin.com/company/{handle}",
        "tiktok": f"https://www.tiktok.com/@{handle}",
    }[platform]


def _revenue_at(rank: float) -> float:
    return TOP_REVENUE * rank**-REVENUE_EXPONENT


def _plan_companies(rng: random.Random, namer: _Namer, n: int) -> tuple[list[CompanyPlan], list[CompanyPlan]]:
    """The 2020 list (ranked 1..n) and the companies new in the 2021 list."""
    counts = {o: round(share * n) for o, share in OWNERSHIP_SHARES.items()}
    counts[LOCAL] = n - sum(counts.values())
    ownerships = [o for o in (CENTRAL, LOCAL, PRIVATE, FOREIGN) for _ in range(counts.get(o, 0))]
    # Central SOEs crowd the top: order by weighted random keys.
    keys = [rng.random() ** (1.0 / RANK_WEIGHT[o]) for o in ownerships]
    ownerships = [o for _, o in sorted(zip(keys, ownerships, strict=True), key=lambda pair: -pair[0])]
    revenues = sorted((_revenue_at(rank) * rng.lognormvariate(0, 0.05) for rank in range(1, n + 1)), reverse=True)

    listed = []
    for rank, (ownership, revenue) in enumerate(zip(ownerships, revenues, strict=True), start=1):
        company = _new_company(rng, namer, ownership)
        company.rank_2020, company.revenue_2020, company.standing = rank, revenue, rank / n
        listed.append(company)

    # The 2021 list keeps ~92% (the lower ranks drop out more often), adds new
    # companies, and re-ranks everyone with a year of growth.
    keep_weights = [1.0 / (c.standing + 0.2) ** 2 for c in listed]
    kept = _weighted_sample(rng, listed, keep_weights, round(KEEP_SHARE_2021 * n))
    for company in kept:
        company.revenue_2021 = company.revenue_2020 * rng.lognormvariate(math.log(1.08), 0.12)
    newcomers = []
    for _ in range(n - len(kept)):
        ownership = _weighted_choice(rng, {**OWNERSHIP_SHARES, LOCAL: 1 - sum(OWNERSHIP_SHARES.values())})
        company = _new_company(rng, namer, ownership)
        company.revenue_2021 = _revenue_at(rng.uniform(0.3 * n, n)) * rng.lognormvariate(math.log(1.1), 0.1)
        newcomers.append(company)
    ranked_2021 = sorted(kept + newcomers, key=lambda c: -c.revenue_2021)
    for rank, company in enumerate(ranked_2021, start=1):
        company.rank_2021 = rank
        if company.rank_2020 is None:
            company.standing = rank / n
    return listed, newcomers


def _new_company(rng: random.Random, namer: _Namer, ownership: str) -> CompanyPlan:
    sector = _weighted_choice(rng, SECTOR_WEIGHTS[ownership])
    province = _weighted_choice(rng, PROVINCE_WEIGHTS[ownership])
    cities = GEOGRAPHY[province][1]
    city = rng.choices(cities, weights=[3] + [1] * (len(cities) - 1))[0]
    return namer.company(ownership, sector, province, city)


def _open_date(rng: random.Random, plan: PlatformPlan) -> tuple[datetime.date, str]:
    """A date the account opened and how precisely it is known; a month or year
    is stored as its first day."""
    year = _weighted_choice(rng, plan.years)
    start = max(plan.first_day, datetime.date(year, 1, 1))
    end = min(plan.last_day, datetime.date(year, 12, 31))
    day = start + datetime.timedelta(days=rng.randrange((end - start).days + 1))
    roll = rng.random()
    if roll < 0.8:
        return day, DatePrecision.DAY
    if roll < 0.95 or year == plan.first_day.year:  # a bare year would predate the platform
        return day.replace(day=1), DatePrecision.MONTH
    return day.replace(month=1, day=1), DatePrecision.YEAR


def _plan_accounts(
    rng: random.Random, namer: _Namer, listed: list[CompanyPlan], newcomers: list[CompanyPlan]
) -> list[AccountPlan]:
    n = len(listed)
    adopted: dict[str, list[CompanyPlan]] = {}
    for slug, plan in PLATFORM_PLANS.items():
        # An exact number of adopters in the 2020 list, so its live counts are
        # fixed by N; bigger companies adopt more often.
        weights = [plan.weights[c.ownership] * (1 + 1.5 * (n - c.rank_2020) / n) for c in listed]
        chosen = _weighted_sample(rng, listed, weights, round(plan.share * n))
        mean_weight = sum(plan.weights[c.ownership] for c in listed) / n
        chosen += [
            c for c in newcomers if rng.random() < min(0.97, plan.share * plan.weights[c.ownership] / mean_weight)
        ]
        adopted[slug] = chosen

    accounts = []
    for slug, companies in adopted.items():
        for company in companies:
            accounts.append(_account(rng, namer, company, slug, kind=None))

    # A few companies run a second account on the same platform: still one adopter.
    pool = [a for a in accounts if a.platform in SECOND_ACCOUNT_PLATFORMS]
    rng.shuffle(pool)
    wanted, seen = round(SECOND_ACCOUNT_SHARE * (n + len(newcomers))), set()
    for account in pool:
        if len(seen) == wanted:
            break
        if account.company.name_en not in seen:
            seen.add(account.company.name_en)
            accounts.append(
                _account(rng, namer, account.company, account.platform, kind=rng.choice(SECOND_ACCOUNT_KINDS))
            )

    # A few earlier accounts were closed, all before the article's date, by
    # companies that kept another account open there: adopter counts hold.
    primaries = [a for a in accounts if a.opened_on <= ARTICLE_AS_OF]
    for account in rng.sample(primaries, round(CLOSED_ACCOUNT_SHARE * len(primaries))):
        accounts.append(
            _account(rng, namer, account.company, account.platform, kind=rng.choice(CLOSED_ACCOUNT_KINDS), closed=True)
        )
    return accounts


def _account(rng: random.Random, namer: _Namer, company: CompanyPlan, slug: str, *, kind, closed=False) -> AccountPlan:
    plan = PLATFORM_PLANS[slug]
    opened_on, precision = _open_date(rng, plan)
    closed_on = None
    if closed:
        latest = min(plan.last_day, ARTICLE_AS_OF)
        clamped = min(max(opened_on, plan.first_day), latest - datetime.timedelta(days=60))
        if clamped != opened_on:
            opened_on, precision = clamped, DatePrecision.DAY
        closed_on = opened_on + datetime.timedelta(days=rng.randrange(30, max(31, (latest - opened_on).days)))
        closed_on = min(closed_on, latest)
    label_en, label_zh = kind or ("", "")
    if slug in OVERSEAS:
        display = f"{company.short_en} {label_en.title()}".strip()
    else:
        display = f"{company.short_zh}{label_zh}"
    handle = namer.handle(slug, company.handle_base + label_en)
    account_id = namer.account_id(slug)
    # Followers at the end: bigger and central companies, and older accounts, have more.
    size = math.exp(1.2 * (0.5 - company.standing)) * (1.5 if company.ownership == CENTRAL else 1.0)
    age = min(1.0, ((closed_on or LAST_DATE) - opened_on).days / 1460 + 0.1) ** 0.7
    followers = plan.follower_median * size * age * rng.lognormvariate(0, plan.follower_sigma)
    if kind:
        followers *= 0.1 if closed else 0.2
    verified = rng.random() < (0.98 if company.ownership == CENTRAL else 0.9)
    return AccountPlan(
        company=company,
        platform=slug,
        display_name=display,
        handle=handle,
        account_id=account_id,
        url=_account_url(slug, handle, account_id),
        verified=verified,
        opened_on=opened_on,
        opened_precision=precision,
        closed_on=closed_on,
        followers=max(20, round(followers)),
    )


# --------------------------------------------------------------------------- metrics


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_starts(first: datetime.date, last: datetime.date):
    """The first days of months from ``first`` (inclusive) to ``last``."""
    day = first if first.day == 1 else _next_month(first)
    while day <= last:
        yield day
        day = _next_month(day)


def _plan_metrics(rng: random.Random, account: AccountPlan) -> None:
    """Monthly follower snapshots (1st of the month) from the opening month to
    2021-12, or to the closure; and 90 days of daily activity for open WeChat
    and Weibo accounts. A 1st of the month in that window carries both."""
    end = min(account.closed_on or LAST_DATE, LAST_DATE)
    months = list(_month_starts(account.opened_on, end))
    rows: dict[datetime.date, dict] = {}
    if months:
        # Log-linear growth from a small start, fastest in the first months
        # (shape < 1), with a little noise; an audience rarely shrinks.
        final = account.followers
        start = min(final, max(10, final * rng.uniform(0.02, 0.15)))
        shape = rng.uniform(0.35, 1.0)
        previous = 0
        for i, day in enumerate(months):
            progress = (i / (len(months) - 1)) ** shape if len(months) > 1 else 1.0
            previous = max(previous, round(start * (final / start) ** progress * rng.uniform(0.99, 1.01)))
            rows[day] = {"followers": previous}
    if account.closed_on is None and account.opened_on <= DAILY_START:
        daily = {"wechat": _wechat_day, "weibo": _weibo_day}.get(account.platform)
        if daily is not None:
            habits = _habits(rng, account)
            day = DAILY_START
            while day <= LAST_DATE:
                rows.setdefault(day, {}).update(daily(rng, account.followers, habits, day))
                day += datetime.timedelta(days=1)
    account.metrics = [{"date": day, **values} for day, values in sorted(rows.items())]


def _habits(rng: random.Random, account: AccountPlan) -> dict:
    """How often an account posts and how strongly its audience responds."""
    central = account.company.ownership == CENTRAL
    return {
        "post_chance": rng.uniform(0.55, 0.95) if central else rng.uniform(0.3, 0.85),
        "read_rate": min(0.3, max(0.002, rng.lognormvariate(math.log(0.02), 0.5))),
        "posts_per_day": rng.uniform(0.5, 6.0),
        "repost_rate": rng.lognormvariate(math.log(0.0004), 0.8),
    }


def _wechat_day(rng: random.Random, followers: int, habits: dict, day: datetime.date) -> dict:
    """One day of an official account: at most one push of 1-8 articles; reads
    of each article, the headline (first) article's reads, and the most-read."""
    chance = habits["post_chance"] * (0.5 if day.weekday() >= 5 else 1.0)
    if rng.random() >= chance:
        return {
            "posts": 0,
            "reads": 0,
            "headline_reads": 0,
            "max_reads": 0,
            "likes": 0,
            "wows": 0,
            "shares": 0,
            "comments": 0,
        }
    articles = rng.choices((1, 2, 3, 4, 5, 6, 8), weights=(30, 20, 18, 12, 9, 6, 5))[0]
    headline = max(1, round(followers * habits["read_rate"] * rng.lognormvariate(0, 0.45)))
    reads = [headline] + [round(headline * rng.lognormvariate(math.log(0.3), 0.7)) for _ in range(articles - 1)]
    total = sum(reads)
    return {
        "posts": articles,
        "reads": total,
        "headline_reads": headline,
        "max_reads": max(reads),
        "likes": round(total * rng.uniform(0.004, 0.02)),
        "wows": round(total * rng.uniform(0.002, 0.01)),
        "shares": round(total * rng.uniform(0.01, 0.05)),
        "comments": round(total * rng.uniform(0.0003, 0.003)),
    }


def _weibo_day(rng: random.Random, followers: int, habits: dict, day: datetime.date) -> dict:
    """One day of a Weibo account: posts, reposts (shares), comments, likes."""
    posts = _poisson(rng, habits["posts_per_day"] * (0.6 if day.weekday() >= 5 else 1.0))
    if posts == 0:
        return {"posts": 0, "shares": 0, "comments": 0, "likes": 0}
    shares = round(posts * followers * habits["repost_rate"] * rng.lognormvariate(0, 0.6))
    return {
        "posts": posts,
        "shares": shares,
        "comments": round(shares * rng.uniform(0.3, 1.0)),
        "likes": round(shares * rng.uniform(1.5, 5.0)),
    }


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


# --------------------------------------------------------------------------- writing


class DemoDataInUse(Exception):
    """Real records point at demo rows, so they cannot be removed silently."""


def demo_exists() -> bool:
    return Organisation.objects.filter(is_demo=True).exists()


@transaction.atomic
def clear_demo() -> int:
    """Delete every demo row; returns how many companies went.

    Rows are removed with one DELETE per table (``_raw_delete``): no per-row
    signals, so no history records for rows that were never real and seconds
    instead of minutes for ~100,000 metric rows. That skips Django's
    on_delete handling, so the few references real rows may hold are handled
    here first."""
    demo_orgs = Organisation.objects.filter(is_demo=True)
    demo_cohorts = Cohort.objects.filter(is_demo=True)
    if Statement.objects.filter(organisation__is_demo=True).exists():
        raise DemoDataInUse("Statements are filed under demo organisations; reassign them first.")
    if PublishedFigure.objects.filter(cohort__is_demo=True).exists():
        raise DemoDataInUse("Published figures refer to a demo cohort; reassign them first.")
    using = demo_orgs.db
    accounts = Account.objects.filter(Q(is_demo=True) | Q(organisation__is_demo=True))
    AccountMetric.objects.filter(account__in=accounts)._raw_delete(using)
    accounts._raw_delete(using)
    CohortMembership.objects.filter(
        Q(is_demo=True) | Q(organisation__is_demo=True) | Q(cohort__is_demo=True)
    )._raw_delete(using)
    for activity in Activity.objects.filter(organisation__is_demo=True):
        activity.delete()  # has many-to-many rows; there are none in generated data
    Position.objects.filter(organisation__is_demo=True).update(organisation=None)
    PublishedFigure.objects.filter(attributed_to__is_demo=True).update(attributed_to=None)
    Platform.objects.filter(operator__is_demo=True).update(operator=None)
    Organisation.objects.filter(is_demo=False, parent__is_demo=True).update(parent=None)
    removed = demo_orgs.count()
    OrganisationSearchKey.objects.filter(organisation__is_demo=True)._raw_delete(using)
    demo_orgs._raw_delete(using)
    demo_cohorts._raw_delete(using)
    bump_data_version()
    return removed


def _ensure_seed() -> None:
    slugs = {p["slug"] for p in PLATFORMS}
    have = set(Platform.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if have != slugs or not Cohort.objects.filter(slug=TOP_500_SLUG).exists():
        load_seed()


@transaction.atomic
def generate_demo(*, companies: int = 500, seed: int = 2021) -> DemoSummary:
    """Replace all demo rows with a fresh, reproducible set for ``companies``
    companies. 500 companies (about 140,000 metric rows) take about 10 s on
    SQLite and 6 s on PostgreSQL, nearly all of it in bulk inserts."""
    if not 1 <= companies <= MAX_COMPANIES:
        raise ValueError(f"companies must be between 1 and {MAX_COMPANIES}")
    started = time.perf_counter()
    _ensure_seed()
    clear_demo()
    rng = random.Random(seed)
    # Real rows keep their names, codes and handles; demo values steer clear.
    namer = _Namer(
        rng,
        names=set(Organisation.objects.values_list("name_key", flat=True)),
        codes=set(Organisation.objects.exclude(credit_code=None).values_list("credit_code", flat=True)),
        handles=_taken_by_platform("handle"),
        account_ids=_taken_by_platform("account_id"),
    )
    listed, newcomers = _plan_companies(rng, namer, companies)
    accounts = _plan_accounts(rng, namer, listed, newcomers)
    for account in accounts:
        _plan_metrics(rng, account)
    summary = _write(listed, newcomers, accounts)
    summary.seconds = time.perf_counter() - started
    return summary


def _taken_by_platform(column: str) -> dict[str, set]:
    taken: dict[str, set] = {}
    for slug, value in Account.objects.exclude(**{column: ""}).values_list("platform__slug", column):
        taken.setdefault(slug, set()).add(value)
    return taken


def _write(listed: list[CompanyPlan], newcomers: list[CompanyPlan], accounts: list[AccountPlan]) -> DemoSummary:
    companies = listed + newcomers
    Organisation.objects.bulk_create(
        [
            Organisation(
                name_en=c.name_en,
                name_key=normalise_name(c.name_en),
                name_zh=c.name_zh,
                short_name=f"{c.short_en}{DEMO_SUFFIX_EN}",
                kind=OrganisationKind.COMPANY,
                ownership=c.ownership,
                sector=c.sector,
                province=c.province,
                city=c.city,
                credit_code=c.credit_code,
                is_demo=True,
                description="Synthetic company generated for the demo; not a real record.",
            )
            for c in companies
        ],
        batch_size=BATCH_SIZE,
    )
    org_ids = dict(Organisation.objects.filter(is_demo=True).values_list("name_key", "id"))
    # bulk_create skips save(): sort keys and search keys are written here, in bulk.
    created = list(Organisation.objects.filter(is_demo=True))
    for org in created:
        names.fill_sort_keys(org)
    Organisation.objects.bulk_update(created, ["sort_en", "sort_zh"], batch_size=BATCH_SIZE)
    names.rebuild_keys(
        created, key_model=OrganisationSearchKey, owner="organisation", names_of=names.organisation_names
    )

    def org_id(company: CompanyPlan) -> int:
        return org_ids[normalise_name(company.name_en)]

    top_500 = Cohort.objects.get(slug=TOP_500_SLUG)
    # bulk_create, like every demo write: no history records for made-up rows.
    Cohort.objects.bulk_create(
        [
            Cohort(
                name=DEMO_COHORT_NAME,
                name_zh=DEMO_COHORT_NAME_ZH,
                slug=DEMO_COHORT_SLUG,
                year=2021,
                nominal_size=len(listed),
                is_demo=True,
                publisher="Synthetic demo data",
                description="A made-up 2021 list: about 92% of the demo companies of the 2020 list, re-ranked with a "
                "year of growth, plus new demo companies. For trying out cohort comparisons only.",
            )
        ]
    )
    list_2021 = Cohort.objects.get(slug=DEMO_COHORT_SLUG)
    memberships = [
        CohortMembership(
            cohort=top_500,
            organisation_id=org_id(c),
            rank=c.rank_2020,
            revenue_rmb_m=_money(c.revenue_2020),
            is_demo=True,
        )
        for c in listed
    ] + [
        CohortMembership(
            cohort=list_2021,
            organisation_id=org_id(c),
            rank=c.rank_2021,
            revenue_rmb_m=_money(c.revenue_2021),
            is_demo=True,
        )
        for c in companies
        if c.rank_2021 is not None
    ]
    CohortMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)

    platform_ids = dict(Platform.objects.values_list("slug", "id"))
    Account.objects.bulk_create(
        [
            Account(
                organisation_id=org_id(a.company),
                platform_id=platform_ids[a.platform],
                display_name=a.display_name,
                handle=a.handle,
                account_id=a.account_id,
                url=a.url,
                verified=a.verified,
                opened_on=a.opened_on,
                opened_precision=a.opened_precision,
                closed_on=a.closed_on,
                status=AccountStatus.CLOSED if a.closed_on else AccountStatus.ACTIVE,
                is_demo=True,
            )
            for a in accounts
        ],
        batch_size=BATCH_SIZE,
    )
    account_ids = {
        (platform_id, handle): pk
        for pk, platform_id, handle in Account.objects.filter(is_demo=True).values_list("id", "platform_id", "handle")
    }
    metrics = 0
    batch: list[AccountMetric] = []
    for a in accounts:
        pk = account_ids[(platform_ids[a.platform], a.handle)]
        batch.extend(AccountMetric(account_id=pk, **row) for row in a.metrics)
        if len(batch) >= BATCH_SIZE * 5:
            AccountMetric.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            metrics += len(batch)
            batch = []
    AccountMetric.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    metrics += len(batch)
    bump_data_version()  # bulk_create sends no save signals

    per_platform = {slug: 0 for slug in PLATFORM_PLANS}
    for a in accounts:
        per_platform[a.platform] += 1
    return DemoSummary(
        companies=len(companies),
        new_in_2021=len(newcomers),
        memberships=len(memberships),
        accounts=per_platform,
        metrics=metrics,
    )


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.2f}")
