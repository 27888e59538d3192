"""What each import understands: its columns, their header aliases (English
and Chinese), their cleaners and the natural key that matches a row to a
stored record."""

from registry.imports.cleaning import (
    _fold,
    choice_cleaner,
    clean_bool,
    clean_count,
    clean_credit_code,
    clean_date,
    clean_long_text,
    clean_money,
    clean_name_list,
    clean_partial_date,
    clean_province,
    clean_small_count,
    clean_string,
    organisation_names,
)
from registry.imports.tables import Column, Spec


def _name_key(text):
    from registry.models import normalise_name

    return normalise_name(text) if text else None


def _organisation_key(values):
    from registry.names import natural_key

    if values.get("credit_code"):
        return (values.get("credit_code"),)
    return (natural_key(*organisation_names(values)) or None,)


def _specs() -> dict[str, Spec]:
    from registry import models as m

    name = (
        "company",
        "name",
        "company name",
        "企业名称",
        "公司名称",
        "organisation",
        "organization",
        "单位名称",
        "机构名称",
        "企业",
    )
    credit = Column(
        "credit_code",
        ("credit code", "uscc", "unified social credit code", "统一社会信用代码", "信用代码", "社会信用代码"),
        clean_credit_code,
    )
    platform = Column("platform", ("平台", "platform name"), clean_string, required=True)
    rank_elsewhere = "it belongs to a memberships (ranking list) import"
    ownership = choice_cleaner(
        m.Ownership.choices,
        {
            "央企": "central_soe",
            "中央企业": "central_soe",
            "central soe": "central_soe",
            "soe": "central_soe",
            "地方国企": "local_soe",
            "地方国有企业": "local_soe",
            "民营": "private",
            "民营企业": "private",
            "私营": "private",
            "外资": "foreign",
            "外资企业": "foreign",
            "事业单位": "public_institution",
        },
    )
    opened = Column(
        "opened_on",
        ("opened", "opened on", "open date", "launch date", "开通时间", "注册时间", "开通日期"),
        clean_partial_date,
    )
    return {
        "organisations": Spec(
            "organisations",
            (
                Column("name", name),
                Column("name_en", ("name (english)", "english name", "英文名称", "英文名")),
                Column("name_zh", ("name (chinese)", "chinese name", "中文名称", "中文名")),
                Column("short_name", ("short name", "简称")),
                Column("aliases", ("alias", "other names", "别名"), clean_name_list),
                Column(
                    "kind",
                    ("type", "organisation kind", "类型"),
                    choice_cleaner(m.OrganisationKind.choices, {"企业": "company", "公司": "company"}),
                ),
                Column("ownership", ("ownership type", "所有制", "企业性质", "性质"), ownership),
                Column("sector", ("industry", "行业", "所属行业"), choice_cleaner(m.Sector.choices)),
                Column("province", ("省份", "省", "所在省份", "所在地区"), clean_province),
                Column("city", ("城市", "所在城市")),
                Column("website", ("url", "web site", "网址", "官网"), clean_string),
                credit,
                Column("parent", ("parent company", "母公司", "上级单位"), clean_string),
                Column("description", ("notes", "简介", "备注"), clean_long_text),
                Column("rank", ("排名", "no.", "#"), ignored_because=rank_elsewhere),
                Column(
                    "revenue",
                    ("revenues ($m)", "revenue", "营业收入", "营业收入(百万元)"),
                    ignored_because=rank_elsewhere,
                ),
            ),
            one_of=(("name", "name_en", "name_zh"),),
            key=_organisation_key,
            key_label="credit code or name",
        ),
        "memberships": Spec(
            "memberships",
            (
                Column("cohort", ("ranking", "list", "榜单"), clean_string, required=True),
                Column("organisation", (*name, "name (english)", "name (chinese)"), clean_string),
                credit,
                Column("rank", ("排名", "no.", "no", "#", "名次", "ranking position"), clean_small_count),
                Column(
                    "revenue_rmb_m",
                    (
                        "revenue",
                        "revenues",
                        "营业收入",
                        "营业收入(百万元)",
                        "revenue (rmb million)",
                        "revenue (rmb m)",
                        "revenue rmb m",
                        "营业收入(百万)",
                    ),
                    clean_money,
                ),
                Column(
                    "revenue_usd_m",
                    ("revenues ($m)", "revenue ($m)", "revenues (us$ million)", "revenue (usd million)"),
                    ignored_because="it is in US dollars and the registry holds revenue in RMB million; "
                    "convert it and name the column 'Revenue (RMB million)'.",
                ),
            ),
            one_of=(("organisation", "credit_code"),),
            key=lambda v: (v.get("cohort"), v.get("credit_code") or _name_key(v.get("organisation"))),
            key_label="cohort and organisation",
        ),
        "accounts": Spec(
            "accounts",
            (
                Column("organisation", (*name, "主体", "所属企业", "运营主体"), clean_string),
                credit,
                platform,
                Column(
                    "display_name",
                    ("account", "account name", "display name", "账号名称", "公众号名称", "微博名称", "昵称", "名称"),
                    clean_string,
                ),
                Column("handle", ("username", "@", "微信号", "账号", "handle or id"), clean_string),
                Column(
                    "account_id", ("account id", "id", "原始id", "uid", "账号id", "platform account id"), clean_string
                ),
                Column("url", ("link", "链接", "主页"), clean_string),
                Column("verified", ("认证", "是否认证"), clean_bool),
                opened,
                Column("closed_on", ("closed", "closed on", "注销时间", "关闭时间"), clean_date),
                Column("status", ("状态",), choice_cleaner(m.AccountStatus.choices)),
            ),
            one_of=(("organisation", "credit_code"), ("handle", "account_id")),
            key=lambda v: (
                (_fold(v.get("platform")), "id", v["account_id"])
                if v.get("account_id")
                else (_fold(v.get("platform")), "handle", v.get("handle"))
            ),
            key_label="platform and account id or handle",
        ),
        "metrics": Spec(
            "metrics",
            (
                platform,
                Column("account_id", ("account id", "id", "原始id", "uid", "账号id"), clean_string),
                Column("handle", ("account", "username", "微信号", "账号"), clean_string),
                Column("date", ("day", "日期", "统计日期", "数据日期"), clean_date, required=True),
                Column("followers", ("fans", "粉丝数", "粉丝", "粉丝量"), clean_count),
                Column("posts", ("articles", "发文数", "发文量", "文章数", "微博数", "发布数"), clean_small_count),
                Column("reads", ("views", "阅读数", "阅读量", "总阅读数", "播放量"), clean_count),
                Column("headline_reads", ("headline reads", "头条阅读数", "头条阅读", "头条阅读量"), clean_count),
                Column("max_reads", ("max reads", "peak reads", "最高阅读数", "最高阅读", "最高阅读量"), clean_count),
                Column("likes", ("点赞数", "点赞", "赞"), clean_count),
                Column("wows", ("wow", "在看", "在看数", "looking"), clean_count),
                Column("shares", ("reposts", "转发数", "分享数", "转发", "转发量"), clean_count),
                Column("comments", ("评论数", "评论", "评论量"), clean_count),
            ),
            one_of=(("account_id", "handle"),),
            key=lambda v: (_fold(v.get("platform")), v.get("account_id") or v.get("handle"), v.get("date")),
            key_label="account and date",
        ),
        "people": Spec(
            "people",
            (
                Column("name_en", ("name", "person", "name (english)", "english name", "英文名"), clean_string),
                Column("name_zh", ("name (chinese)", "chinese name", "姓名", "中文名"), clean_string),
                Column("aliases", ("alias", "other names", "别名"), clean_name_list),
                Column("description", ("notes", "简介", "备注"), clean_long_text),
            ),
            one_of=(("name_en", "name_zh"),),
            key=lambda v: ((v.get("name_en") or v.get("name_zh") or "").casefold(),),
            key_label="name",
        ),
        "positions": Spec(
            "positions",
            (
                Column("person", ("name", "姓名", "人员"), clean_string, required=True),
                Column("organisation", name[:1] + name[2:], clean_string),
                credit,
                Column("title", ("position", "role", "job title", "职务", "职位"), clean_string, required=True),
                Column(
                    "start_date", ("start", "from", "since", "任职时间", "开始时间"), lambda v: clean_partial_date(v)[0]
                ),
                Column("end_date", ("end", "to", "until", "离任时间", "结束时间"), lambda v: clean_partial_date(v)[0]),
            ),
            key=lambda v: (
                (v.get("person") or "").casefold(),
                v.get("credit_code") or _name_key(v.get("organisation")),
                (v.get("title") or "").casefold(),
            ),
            key_label="person, organisation and title",
        ),
        "statements": Spec(
            "statements",
            (
                Column(
                    "quote",
                    ("statement", "text", "quotation", "原话", "引语", "内容", "发言内容"),
                    clean_long_text,
                    required=True,
                ),
                Column(
                    "kind",
                    ("type", "类型"),
                    choice_cleaner(m.StatementKind.choices, {"直接引语": "quote", "间接引语": "paraphrase"}),
                ),
                Column("speaker", ("person", "发言人", "讲话人"), clean_string),
                Column("organisation", name[:1] + name[2:], clean_string),
                Column("role", ("职务", "身份"), clean_string),
                Column("stated_on", ("date", "stated", "日期", "时间"), clean_partial_date),
                Column("source_url", ("url", "source link", "link", "链接", "来源链接"), clean_string),
                Column("source_title", ("source", "source title", "来源", "出处"), clean_string),
            ),
            one_of=(("source_url", "source_title"),),
            key=lambda v: (
                v.get("source_url") or v.get("source_title"),
                v.get("kind") or "quote",
                _quote_key(v.get("quote")),
            ),
            key_label="source, kind and quote",
        ),
    }


def _quote_key(text):
    from registry.models import quote_key

    return quote_key(text) if text else None


KINDS = ("organisations", "memberships", "accounts", "metrics", "people", "positions", "statements")
_SPEC_CACHE: dict[str, Spec] = {}


def spec_for(kind: str) -> Spec:
    if not _SPEC_CACHE:
        _SPEC_CACHE.update(_specs())
    try:
        return _SPEC_CACHE[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}") from None
