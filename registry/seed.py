"""The seed: reference platforms, the China Top 500 cohort, and every fact in the
article bundled as ``seed_article.txt`` (organisations, people and their
positions, statements, activities and published figures), each fact linked to
the article as its source.

The data is plain Python below; ``load_seed()`` writes it. Loading is
idempotent: every row is matched on its natural key and saved only when a value
differs, so a second run writes nothing, not even a history record.
"""

import datetime
import re
from collections import Counter
from pathlib import Path

from django.db import models, transaction

from registry.models import (
    Activity,
    ActivityKind,
    Cohort,
    DatePrecision,
    Language,
    Organisation,
    OrganisationKind,
    Ownership,
    Person,
    Platform,
    PlatformKind,
    Position,
    PublishedFigure,
    Qualifier,
    Region,
    Sector,
    Source,
    SourceKind,
    Statement,
    StatementKind,
    normalise_name,
    quote_key,
)

ARTICLE_PATH = Path(__file__).with_name("seed_article.txt")

ARTICLE_TITLE = "Major SOEs make new attempts in external communications"
# The article says COVID-19 broke out "last year", so it was published in 2021;
# statements and figures in it are dated to that year as well.
ARTICLE_DATE = datetime.date(2021, 1, 1)
ARTICLE_NOTES = (
    "The text was supplied without its headline, URL, publisher or publication date. "
    'Title: inferred from the opening sentence ("Major State-owned enterprises in China have made '
    'some new attempts in external communications"). '
    "Publication date: inferred as 2021, precision year only, because the article says COVID-19 broke out "
    '"last year" and describes events of 2020 (the Wuhan hospitals "early last year"). '
    "URL and publisher: unknown, left blank."
)

TOP_500_SLUG = "china-top-500-2020"
COHORTS = [
    {
        "slug": TOP_500_SLUG,
        "name": "China Top 500 Enterprises 2020",
        "name_zh": "2020中国企业500强",
        "year": 2020,
        "nominal_size": 500,
        "publisher": "China Enterprise Confederation and China Enterprise Directors Association",
        "description": (
            'The article speaks of "China\'s top 500 companies" without naming an edition of the list. '
            "It was published in 2021, before that year's list came out, so the 2020 list was the latest "
            "at the time and is the cohort its figures refer to. The article names no members, so the seed "
            "records none."
        ),
    },
]

# Platforms: ``terms`` are the names a statement must contain to be filed
# under the platform (see ``platforms_named``).
PLATFORMS = [
    {
        "slug": "wechat",
        "name_en": "WeChat",
        "name_zh": "微信",
        "kind": PlatformKind.OFFICIAL_ACCOUNT,
        "operator": "Tencent Holdings Ltd",
        "launched_year": 2011,
        "terms": [r"\bWeChat\b(?! Channels)", "微信"],
    },
    {
        "slug": "weibo",
        "name_en": "Weibo",
        "name_zh": "微博",
        "kind": PlatformKind.MICROBLOG,
        "operator": "Weibo Corporation",
        "launched_year": 2009,
        "terms": [r"\bWeibo\b", "微博"],
    },
    {
        "slug": "douyin",
        "name_en": "Douyin",
        "name_zh": "抖音",
        "kind": PlatformKind.SHORT_VIDEO,
        "operator": "ByteDance Ltd",
        "launched_year": 2016,
        "terms": [r"\bDouyin\b", "抖音"],
    },
    {
        "slug": "kuaishou",
        "name_en": "Kuaishou",
        "name_zh": "快手",
        "kind": PlatformKind.SHORT_VIDEO,
        "operator": "Kuaishou Technology",
        "launched_year": 2011,
        "terms": [r"\bKuaishou\b", "快手"],
    },
    {
        "slug": "bilibili",
        "name_en": "Bilibili",
        "name_zh": "哔哩哔哩",
        "kind": PlatformKind.LONG_VIDEO,
        "operator": None,
        "launched_year": 2009,
        "terms": [r"\bBilibili\b", "哔哩哔哩"],
    },
    {
        "slug": "toutiao",
        "name_en": "Toutiao",
        "name_zh": "今日头条",
        "kind": PlatformKind.NEWS_FEED,
        "operator": "ByteDance Ltd",
        "launched_year": 2012,
        "terms": [r"\bToutiao\b", "今日头条"],
    },
    {
        "slug": "xiaohongshu",
        "name_en": "Xiaohongshu",
        "name_zh": "小红书",
        "kind": PlatformKind.LIFESTYLE,
        "operator": None,
        "launched_year": 2013,
        "terms": [r"\bXiaohongshu\b", "小红书"],
    },
    {
        "slug": "wechat-channels",
        "name_en": "WeChat Channels",
        "name_zh": "视频号",
        "kind": PlatformKind.SHORT_VIDEO,
        "operator": "Tencent Holdings Ltd",
        "launched_year": 2020,
        "terms": [r"\bWeChat Channels\b", "视频号"],
    },
    {
        "slug": "facebook",
        "name_en": "Facebook",
        "name_zh": "",
        "kind": PlatformKind.SOCIAL_NETWORK,
        "operator": None,
        "launched_year": 2004,
        "terms": [r"\bFacebook\b"],
    },
    {
        "slug": "x",
        "name_en": "X (Twitter)",
        "name_zh": "",
        "kind": PlatformKind.MICROBLOG,
        "operator": None,
        "launched_year": 2006,
        "terms": [r"\bTwitter\b"],
    },
    {
        "slug": "youtube",
        "name_en": "YouTube",
        "name_zh": "",
        "kind": PlatformKind.LONG_VIDEO,
        "operator": None,
        "launched_year": 2005,
        "terms": [r"\bYouTube\b"],
    },
    {
        "slug": "linkedin",
        "name_en": "LinkedIn",
        "name_zh": "领英",
        "kind": PlatformKind.SOCIAL_NETWORK,
        "operator": None,
        "launched_year": 2003,
        "terms": [r"\bLinkedIn\b", "领英"],
    },
    {
        "slug": "tiktok",
        "name_en": "TikTok",
        "name_zh": "",
        "kind": PlatformKind.SHORT_VIDEO,
        "operator": None,
        "launched_year": 2017,
        "terms": [r"\bTikTok\b"],
    },
]
DOMESTIC_PLATFORMS = 8  # the first eight above; shown as columns in company tables

_COMPANY = OrganisationKind.COMPANY
# Parents come before their children. No credit codes: the article gives none.
ORGANISATIONS = [
    {
        "name_en": "China Petrochemical Corporation",
        "name_zh": "中国石油化工集团有限公司",
        "short_name": "Sinopec",
        "aliases": ["Sinopec Group", "中国石化", "中石化"],
        "kind": _COMPANY,
        "ownership": Ownership.CENTRAL_SOE,
        "sector": Sector.PETROCHEMICALS,
        "province": "Beijing",
        "city": "Beijing",
        "description": "Described in the article as China’s leading energy and chemical company.",
    },
    {
        "name_en": "China Telecom Corp Ltd",
        "name_zh": "中国电信股份有限公司",
        "short_name": "China Telecom",
        "aliases": ["中国电信"],
        "kind": _COMPANY,
        "ownership": Ownership.CENTRAL_SOE,
        "sector": Sector.TELECOMS,
        "province": "Beijing",
        "city": "Beijing",
        "description": (
            "Described in the article as one of the three largest telecommunications companies in the country."
        ),
    },
    {
        "name_en": "China Iron and Steel Research Institute Group",
        "name_zh": "中国钢研科技集团有限公司",
        "short_name": "CISRI",
        "aliases": ["中国钢研"],
        "kind": _COMPANY,
        "ownership": Ownership.CENTRAL_SOE,
        "sector": Sector.METALS,
        "province": "Beijing",
        "city": "Beijing",
    },
    {
        "name_en": "Litang Culture Tourism and Sport Investment Development Co",
        "name_zh": "理塘县文化旅游体育投资发展有限公司",
        "kind": _COMPANY,
        "ownership": Ownership.LOCAL_SOE,
        "sector": Sector.TOURISM,
        "province": "Sichuan",
        "city": "Litang",
    },
    {
        "name_en": "Kuaishou Technology",
        "name_zh": "快手科技",
        "short_name": "Kuaishou",
        "aliases": ["快手"],
        "kind": _COMPANY,
        "ownership": Ownership.PRIVATE,
        "sector": Sector.INTERNET,
        "province": "Beijing",
        "city": "Beijing",
        "description": "Operator of the Kuaishou video-sharing app.",
    },
    {
        "name_en": "Tencent Holdings Ltd",
        "name_zh": "腾讯控股有限公司",
        "short_name": "Tencent",
        "aliases": ["腾讯"],
        "kind": _COMPANY,
        "ownership": Ownership.PRIVATE,
        "sector": Sector.INTERNET,
        "province": "Guangdong",
        "city": "Shenzhen",
        "description": "Operator of WeChat and WeChat Channels.",
    },
    {
        "name_en": "Weibo Corporation",
        "name_zh": "微博公司",
        "short_name": "Weibo",
        "aliases": ["新浪微博"],
        "kind": _COMPANY,
        "ownership": Ownership.PRIVATE,
        "sector": Sector.INTERNET,
        "province": "Beijing",
        "city": "Beijing",
        "description": "Operator of Weibo.",
    },
    {
        "name_en": "ByteDance Ltd",
        "name_zh": "字节跳动有限公司",
        "short_name": "ByteDance",
        "aliases": ["字节跳动"],
        "kind": _COMPANY,
        "ownership": Ownership.PRIVATE,
        "sector": Sector.INTERNET,
        "province": "Beijing",
        "city": "Beijing",
        "description": "Operator of Douyin and Toutiao.",
    },
    {
        "name_en": "State-owned Assets Supervision and Administration Commission of the State Council",
        "name_zh": "国务院国有资产监督管理委员会",
        "short_name": "SASAC",
        "aliases": ["国资委"],
        "kind": OrganisationKind.REGULATOR,
        "ownership": Ownership.OTHER,
        "sector": Sector.GOVERNMENT,
        "province": "Beijing",
        "city": "Beijing",
    },
    {
        "name_en": "Ministry of Foreign Affairs",
        "name_zh": "中华人民共和国外交部",
        "short_name": "MFA",
        "aliases": ["外交部"],
        "kind": OrganisationKind.GOVERNMENT,
        "ownership": Ownership.OTHER,
        "sector": Sector.GOVERNMENT,
        "province": "Beijing",
        "city": "Beijing",
    },
    {
        "name_en": "Information Department, Ministry of Foreign Affairs",
        "name_zh": "外交部新闻司",
        "kind": OrganisationKind.GOVERNMENT,
        "ownership": Ownership.OTHER,
        "sector": Sector.GOVERNMENT,
        "province": "Beijing",
        "city": "Beijing",
        "parent": "Ministry of Foreign Affairs",
    },
    {
        "name_en": "Beijing Normal University",
        "name_zh": "北京师范大学",
        "short_name": "BNU",
        "kind": OrganisationKind.UNIVERSITY,
        "ownership": Ownership.PUBLIC_INSTITUTION,
        "sector": Sector.EDUCATION,
        "province": "Beijing",
        "city": "Beijing",
    },
    {
        "name_en": "School of Journalism and Communication, Beijing Normal University",
        "name_zh": "北京师范大学新闻传播学院",
        "kind": OrganisationKind.UNIVERSITY,
        "ownership": Ownership.PUBLIC_INSTITUTION,
        "sector": Sector.EDUCATION,
        "province": "Beijing",
        "city": "Beijing",
        "parent": "Beijing Normal University",
    },
    {
        "name_en": "Shanyang County Government",
        "name_zh": "山阳县人民政府",
        "kind": OrganisationKind.LOCAL_GOVERNMENT,
        "ownership": Ownership.OTHER,
        "sector": Sector.GOVERNMENT,
        "province": "Shaanxi",
        "city": "Shangluo",
    },
    {
        "name_en": "Garze Tibetan Autonomous Prefecture",
        "name_zh": "甘孜藏族自治州",
        "kind": OrganisationKind.LOCAL_GOVERNMENT,
        "ownership": Ownership.OTHER,
        "sector": Sector.GOVERNMENT,
        "province": "Sichuan",
    },
    {
        "name_en": "Litang County",
        "name_zh": "理塘县",
        "kind": OrganisationKind.LOCAL_GOVERNMENT,
        "ownership": Ownership.OTHER,
        "sector": Sector.GOVERNMENT,
        "province": "Sichuan",
        "city": "Litang",
        "parent": "Garze Tibetan Autonomous Prefecture",
    },
]

SINOPEC = "China Petrochemical Corporation"
CHINA_TELECOM = "China Telecom Corp Ltd"
CISRI = "China Iron and Steel Research Institute Group"
LITANG_CO = "Litang Culture Tourism and Sport Investment Development Co"
KUAISHOU = "Kuaishou Technology"
SASAC = "State-owned Assets Supervision and Administration Commission of the State Council"
MFA_INFORMATION = "Information Department, Ministry of Foreign Affairs"
BNU_JOURNALISM = "School of Journalism and Communication, Beijing Normal University"
SHANYANG = "Shanyang County Government"

PEOPLE = [
    {"name_en": "Lyu Dapeng", "name_zh": "吕大鹏", "aliases": ["Lü Dapeng"], "description": "Spokesperson of Sinopec."},
    {"name_en": "Li Zhengmao", "name_zh": "李正茂", "description": "General manager of China Telecom."},
    {
        "name_en": "Liu Yutong",
        "description": "Counselor of the Information Department at the Ministry of Foreign Affairs.",
    },
    {
        "name_en": "Yu Guoming",
        "name_zh": "喻国明",
        "description": "Professor at the School of Journalism and Communication of Beijing Normal University.",
    },
    {
        "name_en": "Tamdrin",
        "name_zh": "丁真",
        "aliases": ["Ding Zhen"],
        "description": (
            "A 20-year-old (at the time of the article) from the Garze Tibetan autonomous prefecture in Sichuan who "
            "went viral on the internet and was then appointed to promote tourism in Sichuan by posting short videos."
        ),
    },
    {
        "name_en": "Du Dong",
        "description": "General manager of Litang Culture Tourism and Sport Investment Development Co.",
    },
    {
        "name_en": "Jin Xuehua",
        "description": (
            "Communication director of China Iron and Steel Research Institute Group, assigned to temporarily "
            "serve as a deputy head of Shanyang county in Shaanxi province."
        ),
    },
    {"name_en": "Xu Jingyun", "description": "Vice-president of Kuaishou."},
]

POSITIONS = [
    {"person": "Lyu Dapeng", "organisation": SINOPEC, "title": "spokesperson"},
    {"person": "Li Zhengmao", "organisation": CHINA_TELECOM, "title": "general manager"},
    {"person": "Liu Yutong", "organisation": MFA_INFORMATION, "title": "counselor"},
    {"person": "Yu Guoming", "organisation": BNU_JOURNALISM, "title": "professor"},
    # The article does not say who appointed him to promote tourism in Sichuan.
    {"person": "Tamdrin", "organisation": None, "title": "tourism promoter for Sichuan"},
    {"person": "Tamdrin", "organisation": LITANG_CO, "title": "tourism promoter for Litang county"},
    {"person": "Du Dong", "organisation": LITANG_CO, "title": "general manager"},
    {"person": "Jin Xuehua", "organisation": CISRI, "title": "communication director"},
    {"person": "Jin Xuehua", "organisation": SHANYANG, "title": "temporary deputy head of Shanyang county"},
    {"person": "Xu Jingyun", "organisation": KUAISHOU, "title": "vice-president"},
]

# Quotes: the exact words between the quote marks, without a comma the closing
# mark follows ("...," said X) but with a full stop that ends the quote.
QUOTE, PARAPHRASE = StatementKind.QUOTE, StatementKind.PARAPHRASE
STATEMENTS = [
    {
        "kind": QUOTE,
        "speaker": "Lyu Dapeng",
        "organisation": SINOPEC,
        "role": "spokesperson",
        "text": "The integrated development of traditional media and new media helps build a more efficient "
        "communication system, and helps maximize and optimize the publicity effect in the new era",
    },
    {
        "kind": QUOTE,
        "speaker": "Li Zhengmao",
        "organisation": CHINA_TELECOM,
        "role": "general manager",
        "text": "Early last year, construction, power and communications enterprises worked together to build "
        "emergency specialty hospitals in Wuhan",
    },
    {
        "kind": QUOTE,
        "speaker": "Li Zhengmao",
        "organisation": CHINA_TELECOM,
        "role": "general manager",
        "text": "By then, millions of people were keeping an eye on the construction site by watching a livestreaming "
        "session. The online interest was largely a result of the media revolution supported by technological "
        "innovation",
    },
    {
        "kind": QUOTE,
        "speaker": "Liu Yutong",
        "organisation": MFA_INFORMATION,
        "role": "counselor of the Information Department",
        "text": "Chinese enterprises should more actively tell their own stories, especially when they cooperate with "
        "foreign companies and expand businesses in the overseas market. In this case, more foreign consumers "
        "can learn about China in a more objective way.",
    },
    {
        "kind": QUOTE,
        "speaker": "Du Dong",
        "organisation": LITANG_CO,
        "role": "general manager",
        "text": "With the internet, boundaries of geographies and languages are no longer there. Companies need to "
        "lower their barriers of communications and prepare for a surge of interest by internet users",
    },
    {
        "kind": QUOTE,
        "speaker": "Xu Jingyun",
        "organisation": KUAISHOU,
        "role": "vice-president",
        "text": "Kuaishou will continue to make innovations in content and scenes, and explore more opportunities to "
        "help companies drive their business growth via short videos and livestreaming sessions. We would like "
        "to help State-owned enterprises explore new ways of communications",
    },
    # Reported speech: the reported clause in the article's own words.
    {
        "kind": PARAPHRASE,
        "speaker": None,
        "organisation": SASAC,
        "role": "",
        "text": "So far, among China’s top 500 companies, more than 400 companies have launched their official "
        "accounts on messenger app WeChat, and more than 200 have their official accounts on microblogging "
        "service Weibo. Some have also opened accounts on video-sharing apps such as Douyin and Kuaishou, as "
        "they make more efforts in terms of new media communications",
    },
    {
        "kind": PARAPHRASE,
        "speaker": None,
        "organisation": SINOPEC,
        "role": "",
        "text": "since the outbreak of COVID-19 last year, it has actively communicated the company’s latest News and "
        "information via social media platforms like Weibo and WeChat, in addition to posting videos and "
        "broadcasting through livestreaming sessions",
    },
    {
        "kind": PARAPHRASE,
        "speaker": None,
        "organisation": CHINA_TELECOM,
        "role": "",
        "text": "in the era of 5G technology, the company would further explore opportunities to build a "
        "better-integrated communication system and create new experiences for consumers",
    },
    {
        "kind": PARAPHRASE,
        "speaker": "Yu Guoming",
        "organisation": BNU_JOURNALISM,
        "role": "professor at the School of Journalism and Communication",
        "text": "social media platforms of different Chinese companies could play a vital role in communications, "
        "given the advantages and influence of the platforms",
    },
    {
        "kind": PARAPHRASE,
        "speaker": "Du Dong",
        "organisation": LITANG_CO,
        "role": "general manager",
        "text": "the company has realized the huge publicity power of the internet",
    },
    {
        "kind": PARAPHRASE,
        "speaker": None,
        "organisation": KUAISHOU,
        "role": "",
        "text": "short videos and livestreaming sessions have increasingly become important for communications",
    },
]

# "Some SOEs opened accounts on Douyin and Kuaishou" is not repeated here: it is
# recorded as two published figures (comparator "some") and as SASAC's statement.
ACTIVITIES = [
    {
        "kind": ActivityKind.CAMPAIGN,
        "person": None,
        "organisation": SINOPEC,
        "description": "Actively communicated the company’s latest news and information via social media platforms "
        "like Weibo and WeChat, in addition to posting videos and broadcasting through livestreaming "
        "sessions, since the outbreak of COVID-19.",
        "count": None,
        "count_qualifier": Qualifier.SOME,
        "start_date": datetime.date(2020, 1, 1),
        "period_text": "since the outbreak of COVID-19 last year (2020)",
        "place": "",
        "platforms": ["weibo", "wechat"],
    },
    {
        "kind": ActivityKind.LIVESTREAMING,
        "person": None,
        "organisation": CHINA_TELECOM,
        "description": "Construction, power and communications enterprises worked together to build emergency "
        "specialty hospitals in Wuhan; millions of people kept an eye on the construction site by "
        "watching a livestreaming session (as recalled by China Telecom's general manager Li Zhengmao).",
        "count": None,
        "count_qualifier": Qualifier.SOME,
        "start_date": datetime.date(2020, 1, 1),
        "period_text": "early last year (early 2020)",
        "place": "Wuhan, Hubei",
        "platforms": [],
    },
    {
        "kind": ActivityKind.SECONDMENT,
        "person": "Jin Xuehua",
        "organisation": CISRI,
        "description": "Assigned to temporarily serve as a deputy head of Shanyang county in Shaanxi province.",
        "count": None,
        "count_qualifier": Qualifier.EXACTLY,
        "start_date": None,
        "period_text": "earlier (before the article)",
        "place": "Shanyang county, Shaanxi",
        "platforms": [],
    },
    {
        "kind": ActivityKind.LIVESTREAMING,
        "person": "Jin Xuehua",
        "organisation": CISRI,
        "description": "As deputy head of Shanyang county, launched more than 140 livestreaming sessions and became an "
        "anchor himself to help promote the sales of local agricultural products.",
        "count": 140,
        "count_qualifier": Qualifier.MORE_THAN,
        "start_date": None,
        "period_text": "after he assumed office in Shanyang county",
        "place": "Shanyang county, Shaanxi",
        "platforms": [],
    },
    {
        "kind": ActivityKind.OTHER,
        "person": "Tamdrin",
        "organisation": None,
        "description": "Went viral on the internet for his good looks.",
        "count": None,
        "count_qualifier": Qualifier.EXACTLY,
        "start_date": None,
        "period_text": "in recent months",
        "place": "",
        "platforms": [],
    },
    {
        "kind": ActivityKind.SHORT_VIDEO,
        "person": "Tamdrin",
        "organisation": None,
        "description": "Appointed to promote tourism in Sichuan by posting short videos; helped boost tourist flows to "
        "Garze in Sichuan.",
        "count": None,
        "count_qualifier": Qualifier.SOME,
        "start_date": None,
        "period_text": "later (after going viral)",
        "place": "Sichuan",
        "platforms": [],
    },
    {
        "kind": ActivityKind.APPOINTMENT,
        "person": "Tamdrin",
        "organisation": LITANG_CO,
        "description": "Hired by Litang Culture Tourism and Sport Investment Development Co to promote tourism in the "
        "county.",
        "count": None,
        "count_qualifier": Qualifier.EXACTLY,
        "start_date": None,
        "period_text": "now (at the time of the article)",
        "place": "Litang county, Sichuan",
        "platforms": [],
    },
]

FIGURES = [
    {
        "platform": "wechat",
        "comparator": Qualifier.MORE_THAN,
        "value": 400,
        "claim": "So far, among China’s top 500 companies, more than 400 companies have launched their official "
        "accounts on messenger app WeChat",
    },
    {
        "platform": "weibo",
        "comparator": Qualifier.MORE_THAN,
        "value": 200,
        "claim": "So far, among China’s top 500 companies, … more than 200 have their official accounts on "
        "microblogging service Weibo",
    },
    {
        "platform": "douyin",
        "comparator": Qualifier.SOME,
        "value": None,
        "claim": "Some have also opened accounts on video-sharing apps such as Douyin and Kuaishou",
    },
    {
        "platform": "kuaishou",
        "comparator": Qualifier.SOME,
        "value": None,
        "claim": "Some have also opened accounts on video-sharing apps such as Douyin and Kuaishou",
    },
]


def article_text() -> str:
    return ARTICLE_PATH.read_text(encoding="utf-8")


def platforms_named(text: str) -> list[str]:
    """Slugs of the platforms ``text`` names, in seed order."""
    return [p["slug"] for p in PLATFORMS if any(re.search(term, text) for term in p["terms"])]


def mentions_livestreaming(text: str) -> bool:
    return "livestream" in text.lower() or "直播" in text


# --------------------------------------------------------------------------- loading


class _Writer:
    """Create-or-update on natural keys, counting what happened per model.
    An existing row is saved only when a value differs."""

    def __init__(self):
        self.counts: dict[str, Counter] = {}
        self.created: set[tuple[type, int]] = set()

    def _count(self, model, outcome: str) -> None:
        self.counts.setdefault(model.__name__, Counter())[outcome] += 1

    def upsert(self, model, *, lookup: dict, values: dict):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean(validate_unique=False, validate_constraints=False)  # the database checks those
            obj.save()
            self._count(model, "created")
            self.created.add((model, obj.pk))
            return obj
        changed = [name for name, value in values.items() if _current(obj, name) != _comparable(value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
            self._count(model, "updated")
        else:
            self._count(model, "unchanged")
        return obj

    def set_m2m(self, obj, field: str, targets) -> None:
        manager = getattr(obj, field)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(targets)
            if (type(obj), obj.pk) not in self.created:
                self._count(type(obj), "relations updated")

    def summary(self) -> dict[str, dict[str, int]]:
        outcomes = ("created", "updated", "unchanged", "relations updated")
        return {name: {o: counter[o] for o in outcomes} for name, counter in self.counts.items()}


def _current(obj, name):
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value


def _lines(values) -> str:
    return "\n".join(values or [])


@transaction.atomic
def load_seed() -> dict[str, dict[str, int]]:
    """Load or refresh the seed. Returns, per model, how many rows were created,
    updated or left unchanged."""
    writer = _Writer()

    source = writer.upsert(
        Source,
        lookup={"title": ARTICLE_TITLE},
        values={
            "url": "",
            "publisher": "",
            "published_on": ARTICLE_DATE,
            "published_precision": DatePrecision.YEAR,
            "language": Language.ENGLISH,
            "kind": SourceKind.NEWS,
            "full_text": article_text(),
            "notes": ARTICLE_NOTES,
        },
    )

    orgs: dict[str, Organisation] = {}
    for row in ORGANISATIONS:
        parent = orgs[row["parent"]] if row.get("parent") else None
        orgs[row["name_en"]] = writer.upsert(
            Organisation,
            lookup={"name_key": normalise_name(row["name_en"])},
            values={
                "name_en": row["name_en"],
                "name_zh": row.get("name_zh", ""),
                "short_name": row.get("short_name", ""),
                "aliases": _lines(row.get("aliases")),
                "kind": row["kind"],
                "ownership": row["ownership"],
                "sector": row["sector"],
                "province": row.get("province", ""),
                "city": row.get("city", ""),
                "description": row.get("description", ""),
                "parent": parent,
            },
        )

    platforms: dict[str, Platform] = {}
    for index, row in enumerate(PLATFORMS):
        domestic = index < DOMESTIC_PLATFORMS
        platforms[row["slug"]] = writer.upsert(
            Platform,
            lookup={"slug": row["slug"]},
            values={
                "name_en": row["name_en"],
                "name_zh": row["name_zh"],
                "kind": row["kind"],
                "region": Region.DOMESTIC if domestic else Region.OVERSEAS,
                "operator": orgs[row["operator"]] if row["operator"] else None,
                "launched_year": row["launched_year"],
                "display_order": (index + 1) * 10,
                "is_main": domestic,
            },
        )

    cohorts = {
        row["slug"]: writer.upsert(
            Cohort,
            lookup={"slug": row["slug"]},
            values={
                "name": row["name"],
                "name_zh": row["name_zh"],
                "year": row["year"],
                "nominal_size": row["nominal_size"],
                "publisher": row["publisher"],
                "description": row["description"],
                "is_demo": False,
            },
        )
        for row in COHORTS
    }

    people: dict[str, Person] = {}
    for row in PEOPLE:
        people[row["name_en"]] = writer.upsert(
            Person,
            lookup={"name_en": row["name_en"]},
            values={
                "name_zh": row.get("name_zh", ""),
                "aliases": _lines(row.get("aliases")),
                "description": row.get("description", ""),
            },
        )

    for row in POSITIONS:
        organisation = orgs[row["organisation"]] if row["organisation"] else None
        writer.upsert(
            Position,
            lookup={"person": people[row["person"]], "organisation": organisation, "title": row["title"]},
            values={"source": source},
        )

    for row in STATEMENTS:
        statement = writer.upsert(
            Statement,
            lookup={"source": source, "kind": row["kind"], "quote_key": quote_key(row["text"])},
            values={
                "quote": row["text"],
                "speaker": people[row["speaker"]] if row["speaker"] else None,
                "organisation": orgs[row["organisation"]],
                "role": row["role"],
                "stated_on": ARTICLE_DATE,
                "stated_precision": DatePrecision.YEAR,
                "mentions_livestreaming": mentions_livestreaming(row["text"]),
            },
        )
        writer.set_m2m(statement, "platforms", [platforms[slug] for slug in platforms_named(row["text"])])

    for row in ACTIVITIES:
        activity = writer.upsert(
            Activity,
            lookup={
                "source": source,
                "kind": row["kind"],
                "description": row["description"],
                "person": people[row["person"]] if row["person"] else None,
                "organisation": orgs[row["organisation"]] if row["organisation"] else None,
            },
            values={
                "count": row["count"],
                "count_qualifier": row["count_qualifier"],
                "start_date": row["start_date"],
                "end_date": None,
                "period_text": row["period_text"],
                "place": row["place"],
            },
        )
        writer.set_m2m(activity, "platforms", [platforms[slug] for slug in row["platforms"]])

    for row in FIGURES:
        writer.upsert(
            PublishedFigure,
            lookup={
                "source": source,
                "cohort": cohorts[TOP_500_SLUG],
                "platform": platforms[row["platform"]],
                "as_of": ARTICLE_DATE,
            },
            values={
                "claim": row["claim"],
                "comparator": row["comparator"],
                "value": row["value"],
                "as_of_precision": DatePrecision.YEAR,
                "attributed_to": orgs[SASAC],
            },
        )

    return writer.summary()


def write_load_summary(command, summary: dict, what: str) -> None:
    """Print a loader's per-model counts and its totals on a management
    command's stdout (load_seed, load_reference)."""
    created = sum(counts["created"] for counts in summary.values())
    changed = sum(counts["updated"] + counts["relations updated"] for counts in summary.values())
    for model, counts in summary.items():
        parts = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
        command.stdout.write(f"  {model}: {parts}")
    style = command.style.SUCCESS if created or changed else command.style.NOTICE
    command.stdout.write(style(f"{what} loaded: {created} created, {changed} updated."))
