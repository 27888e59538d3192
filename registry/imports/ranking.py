"""A published ranking (Fortune Global 500, China Top 500, a province's list of
SOEs…) into the registry in one step: organisations found or created, the
cohort and its source, each member's rank, and the useful columns kept.

Three stages, so the admin can show a preview before anything is written:

1. ``read_ranking(file)`` reads and cleans the rows (no database): header
   aliases in English and Chinese, units from the header (``Revenues ($M)``,
   ``营业收入（万元）``), messy cells (``registry.imports.cells``).
2. ``plan_ranking(parsed, ...)`` decides, with a fixed number of queries
   whatever the list's length, what each row does: which organisation it
   matches (``registry.matching``), which sector its sector/industry value maps
   to (``registry.imports.vocabularies``), and what would be created or
   updated. Nothing is written.
3. ``apply_plan(plan)`` writes it all in one transaction, or nothing when any
   row has an error.

The list fills what the registry lacks and never overwrites a value an editor
set (a differing website or city is left as it is).
"""

import datetime
import decimal
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registry.imports import cells

# The reading layer of the other imports (encodings, delimiters, XLSX).
from registry.imports.cleaning import ImportFileError
from registry.imports.tables import open_rows
from registry.imports.vocabularies import map_sector, vocabulary_key
from registry.matching import Match, NameIndex, exact_key, names_of

MONEY = ("revenue", "profit", "assets")
# Canonical column -> the headers that mean it (compared after NFKC, case
# folding, the unit in brackets removed, spaces/underscores collapsed).
COLUMNS = {
    "rank": ["rank", "ranking", "排名", "名次", "序号", "排序", "2019排名", "本年排名"],
    "name": ["company", "company name", "name", "organisation", "organization", "企业名称", "公司名称", "名称"],
    "name_en": ["english name", "name (english)", "英文名称", "英文名"],
    "name_zh": ["chinese name", "name (chinese)", "中文名称", "中文名"],
    "revenue": ["revenues", "revenue", "营业收入", "营收", "收入", "营业总收入"],
    "profit": ["profits", "profit", "net profit", "利润", "净利润", "利润总额"],
    "assets": ["assets", "total assets", "资产", "资产总额", "总资产"],
    "employees": ["employees", "staff", "员工人数", "从业人数", "员工数", "职工人数"],
    "country": ["country", "country/territory", "country / territory", "国家", "国家/地区"],
    "sector": ["sector", "gics sector", "所属行业", "行业", "行业门类", "门类"],
    "industry": ["industry", "sub-industry", "细分行业", "子行业", "行业大类"],
    "ceo": ["ceo", "chief executive", "chief executive officer", "首席执行官", "董事长", "总经理"],
    "headquarters": ["headquarters", "hq", "hq location", "headquarters location", "总部", "总部所在地", "总部地址"],
    "city": ["city", "hq city", "城市", "所在城市"],
    "province": ["province", "state", "hq state", "省份/地区", "省份", "地区", "省份地区", "所在省份", "省市"],
    "website": ["website", "web site", "url", "homepage", "官网", "网址", "网站", "企业官网", "官方网站"],
}
_BY_HEADER = {h: name for name, headers in COLUMNS.items() for h in headers}
_UNIT = re.compile(r"[(（]([^)）]*)[)）]")
CHINA = "China"
_CHINA_NAMES = {"china", "中国", "prc", "people's republic of china", "mainland china", "中国大陆", "中华人民共和国"}
# Lists print these beside "China"; they give no ownership hint either way.
_NO_HINT = {CHINA, "Hong Kong", "Macao", "Macau", "Taiwan"}
_MUNICIPALITIES = {"Beijing", "Shanghai", "Tianjin", "Chongqing"}
# Prefecture-level cities that headquarters columns name without a province.
_CITY_PROVINCE = {
    "shenzhen": "Guangdong",
    "guangzhou": "Guangdong",
    "zhuhai": "Guangdong",
    "foshan": "Guangdong",
    "dongguan": "Guangdong",
    "hangzhou": "Zhejiang",
    "ningbo": "Zhejiang",
    "nanjing": "Jiangsu",
    "suzhou": "Jiangsu",
    "wuxi": "Jiangsu",
    "wuhan": "Hubei",
    "chengdu": "Sichuan",
    "xi'an": "Shaanxi",
    "xian": "Shaanxi",
    "jinan": "Shandong",
    "qingdao": "Shandong",
    "yantai": "Shandong",
    "xiamen": "Fujian",
    "fuzhou": "Fujian",
    "quanzhou": "Fujian",
    "shenyang": "Liaoning",
    "dalian": "Liaoning",
    "anshan": "Liaoning",
    "changsha": "Hunan",
    "zhengzhou": "Henan",
    "hefei": "Anhui",
    "wuhu": "Anhui",
    "nanchang": "Jiangxi",
    "taiyuan": "Shanxi",
    "shijiazhuang": "Hebei",
    "tangshan": "Hebei",
    "changchun": "Jilin",
    "harbin": "Heilongjiang",
    "kunming": "Yunnan",
    "guiyang": "Guizhou",
    "nanning": "Guangxi",
    "lanzhou": "Gansu",
    "urumqi": "Xinjiang",
    "hohhot": "Inner Mongolia",
    "baotou": "Inner Mongolia",
    "haikou": "Hainan",
    "yinchuan": "Ningxia",
    "xining": "Qinghai",
    "lhasa": "Tibet",
}


def _header_key(label: str) -> str:
    text = _UNIT.sub(" ", cells.clean_text(label)).casefold()
    text = re.sub(r"[\s_]+", " ", text)
    return text.strip(" :：*")


@dataclass(frozen=True)
class MoneyUnit:
    multiplier: str  # "million", "万", "亿" or "" (whole units)
    currency: str  # ISO 4217
    published: str  # the unit as the header writes it
    assumed: bool = False  # currency not in the header


def money_unit(label: str) -> MoneyUnit:
    """The unit of a money column from its header: 'Revenues ($M)' is millions
    of USD, '营业收入（万元）' 万 CNY, '营业收入(亿元)' 亿 CNY."""
    inside = " ".join(_UNIT.findall(label)) or label
    text = cells.clean_text(inside)
    folded = text.casefold()
    multiplier = ""
    if "亿" in text:
        multiplier = "亿"
    elif "万" in text:
        multiplier = "万"
    elif re.search(r"\$\s*m\b|\bm\b|\bmn\b|million|百万", folded):
        multiplier = "million"
    currency, assumed = "", False
    if re.search(r"us\$|\$|usd|美元", folded):
        currency = "USD"
    elif re.search(r"元|rmb|cny|¥|￥", folded):
        currency = "CNY"
    elif re.search(r"€|eur|欧元", folded):
        currency = "EUR"
    elif re.search(r"£|gbp|英镑", folded):
        currency = "GBP"
    elif re.search(r"hk\$|hkd|港元|港币", folded):
        currency = "HKD"
    else:
        currency, assumed = ("CNY" if re.search(r"[\u3400-\u9fff]", label) else "USD"), True
    return MoneyUnit(multiplier, currency, (text if inside != label else "")[:20], assumed)


@dataclass
class Row:
    line: int
    values: dict = field(default_factory=dict)  # canonical column -> cleaned value
    errors: list[str] = field(default_factory=list)


@dataclass
class ParsedList:
    """The rows of a list as read and cleaned; no database involved."""

    columns: dict[str, str]  # canonical column -> header as written
    units: dict[str, MoneyUnit]
    not_imported: list[str]  # headers of columns that are not imported
    rows: list[Row]
    warnings: list[str]
    ceo_title: str = "CEO"


def _cell(cells_, position):
    if position is None or position >= len(cells_):
        return None
    return cells_[position]


def _clean_string_with_repair(value, column, line, warnings) -> str | None:
    repair = cells.find_mojibake(value)
    if repair is not None:
        warnings.append(
            _(
                "Line %(line)s: %(column)s %(original)r looks mis-decoded "
                "(UTF-8 read as another encoding); read as %(repaired)r."
            )
            % {"line": line, "column": column, "original": repair.original, "repaired": repair.repaired}
        )
        value = repair.repaired
    return cells.clean_string(value)


def read_ranking(source: bytes | str | Path, *, encoding: str | None = None) -> ParsedList:
    """Read a ranking file (CSV, TSV or XLSX, any common encoding). Raises
    ImportFileError when the file cannot be read or has no usable header."""
    raw = open_rows(source, encoding=encoding)
    rows = iter(raw.rows)
    warnings: list[str] = []
    header, skipped = None, []
    for line, row_cells in rows:
        if cells.is_blank_line(row_cells):
            continue
        keys = [_BY_HEADER.get(_header_key(c)) for c in row_cells if c is not None]
        if sum(1 for k in keys if k) >= 2 and {"name", "name_en", "name_zh"} & set(keys):
            header = row_cells
            break
        skipped.append(line)
        if len(skipped) >= 15:
            break
    if header is None:
        raise ImportFileError(
            _(
                "No header row found: a ranking needs a row naming a company column "
                "and at least one other (rank, revenue…)."
            )
        )
    if skipped:
        warnings.append(_("Lines above the header (%(lines)s) were skipped.") % {"lines": ", ".join(map(str, skipped))})

    positions: dict[str, int] = {}
    columns: dict[str, str] = {}
    units: dict[str, MoneyUnit] = {}
    not_imported: list[str] = []
    ceo_title = "CEO"
    for position, label in enumerate(header):
        label = cells.clean_text(label)
        name = _BY_HEADER.get(_header_key(label))
        if name == "name" and "name" in positions and re.search(r"[\u3400-\u9fff]", label):
            name = "name_zh"
        if name is None or name in positions:
            if label:
                not_imported.append(label)
            continue
        positions[name], columns[name] = position, label
        if name in MONEY:
            units[name] = money_unit(label)
            if units[name].assumed:
                warnings.append(
                    _("Column %(column)r names no currency; read as %(currency)s.")
                    % {"column": label, "currency": units[name].currency}
                )
        if name == "ceo":
            ceo_title = _UNIT.sub("", label).strip() or "CEO"
    if not_imported:
        warnings.append(
            ngettext(
                "Column not imported: %(columns)s.",
                "Columns not imported: %(columns)s.",
                len(not_imported),
            )
            % {"columns": ", ".join(not_imported)}
        )

    parsed = ParsedList(columns, units, not_imported, [], warnings, ceo_title)
    width = len(header)
    trailing: list[tuple[int, list]] = []
    for line, row_cells in rows:
        if cells.is_blank_line(row_cells):
            if any(c not in (None, "") for c in row_cells):
                warnings.append(_("Line %(line)s holds only blanks or control characters; skipped.") % {"line": line})
            continue
        filled = [c for c in row_cells if cells.clean_text(c)]
        if width >= 3 and len(filled) == 1:
            trailing.append((line, row_cells))  # a footer ("Source: …") if nothing follows
            continue
        for held in trailing:
            parsed.rows.append(_read_row(*held, positions, parsed))
        trailing = []
        parsed.rows.append(_read_row(line, row_cells, positions, parsed))
    for line, row_cells in trailing:
        text = cells.clean_text(next(c for c in row_cells if cells.clean_text(c)))
        warnings.append(
            _("Line %(line)s (%(text)r) is not a data row (a footer?) and was skipped.")
            % {"line": line, "text": text[:60]}
        )
    if not parsed.rows:
        raise ImportFileError(_("The file has a header but no rows."))
    return parsed


def _read_row(line, row_cells, positions, parsed: ParsedList) -> Row:
    row = Row(line)

    def take(name, clean):
        value = _cell(row_cells, positions.get(name))
        try:
            row.values[name] = clean(value)
        except cells.CellError as error:
            row.values[name] = None
            row.errors.append(f"{parsed.columns[name]}: {error}")

    take("rank", cells.clean_rank)
    for name in (
        "name",
        "name_en",
        "name_zh",
        "ceo",
        "headquarters",
        "city",
        "province",
        "country",
        "sector",
        "industry",
    ):
        if name in positions:
            take(name, lambda v, n=name: _clean_string_with_repair(v, parsed.columns[n], line, parsed.warnings))
    take("website", cells.clean_website)
    take("employees", cells.clean_count)
    for name in MONEY:
        if name in positions:
            unit = parsed.units[name]
            take(name, lambda v, u=unit: cells.to_millions(cells.clean_number(v), unit=u.multiplier))
    for name, limit in (("name", 255), ("name_en", 255), ("name_zh", 255), ("ceo", 255), ("country", 80)):
        if len(row.values.get(name) or "") > limit:
            row.errors.append(
                _("%(column)s is longer than %(limit)s characters") % {"column": parsed.columns[name], "limit": limit}
            )
            row.values[name] = None
    if len(row.values.get("website") or "") > 200:
        row.errors.append(_("%(column)s is longer than 200 characters") % {"column": parsed.columns["website"]})
    for name in (*MONEY, "employees"):
        if row.values.get(name) is not None and abs(row.values[name]) >= 10**15:
            row.errors.append(_("%(column)s is implausibly large") % {"column": parsed.columns[name]})
            row.values[name] = None
    name = row.values.pop("name", None)
    if name:
        if re.search(r"[\u3400-\u9fff]", name) and not row.values.get("name_zh"):
            row.values["name_zh"] = name
        elif not row.values.get("name_en"):
            row.values["name_en"] = name
    if not row.values.get("name_en") and not row.values.get("name_zh"):
        row.errors.append(_("no company name"))
    return row


# --------------------------------------------------------------------------- places


def normalise_country(text: str | None) -> str:
    if not text:
        return ""
    return CHINA if text.casefold() in _CHINA_NAMES else text


def parse_province(text: str | None) -> str | None:
    """'Guangdong', '广东', '广东省', 'Guangdong Province' -> 'Guangdong'."""
    from registry.geo import PROVINCES
    from registry.imports.cleaning import _PROVINCES_ZH

    if not text:
        return None
    by_name = {p.casefold(): p for p in PROVINCES}
    folded = re.sub(r"\s+(province|shi|municipality|sar)$", "", text.strip().casefold())
    if folded in by_name:
        return by_name[folded]
    short = re.sub(r"(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", text.strip())
    return _PROVINCES_ZH.get(short)


def parse_headquarters(text: str | None, *, country: str = "") -> tuple[str, str]:
    """(city, province) from a headquarters cell: 'Beijing, China' ->
    ('Beijing', 'Beijing'); 'Shenzhen, Guangdong' -> ('Shenzhen', 'Guangdong');
    '广东省深圳市' -> ('深圳', 'Guangdong'); 'Stuttgart, Germany' -> ('Stuttgart', '').
    Either part is empty when it does not parse."""
    from registry.imports.cleaning import _PROVINCES_ZH

    if not text:
        return "", ""
    text = text.strip()
    if re.search(r"[\u3400-\u9fff]", text) and "," not in text:
        for zh, province in sorted(_PROVINCES_ZH.items(), key=lambda item: -len(item[0])):
            if text.startswith(zh):
                rest = re.sub(r"^(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)", "", text[len(zh) :])
                city = re.sub(r"市.*$", "", rest)
                if province in _MUNICIPALITIES or not city:
                    return (zh if province in _MUNICIPALITIES else ""), province
                return city, province
        return re.sub(r"市$", "", text), ""
    parts = [p.strip() for p in re.split(r"[,，]", text) if p.strip()]
    if not parts:
        return "", ""
    city = parts[0]
    chinese = normalise_country(country) in ("", CHINA) or any(normalise_country(p) == CHINA for p in parts[1:])
    if not chinese:
        return city, ""
    for part in parts[1:]:
        province = parse_province(part)
        if province:
            return city, province
    province = parse_province(city)
    if province in _MUNICIPALITIES:
        return province, province
    return city, _CITY_PROVINCE.get(city.casefold(), "")


# --------------------------------------------------------------------------- planning


@dataclass
class RowPlan:
    row: Row
    match: Match = field(default_factory=Match)
    organisation_id: int | None = None  # the existing organisation this row updates
    action: str = ""  # "create", "update", "unchanged" or "" (error)
    changes: dict = field(default_factory=dict)  # field -> new value (update) or all fields (create)
    sector: str | None = None
    membership: str = ""  # "create", "update", "unchanged"
    facts: list[tuple[str, str, decimal.Decimal, str]] = field(default_factory=list)  # kind, currency, value, unit
    ceo: str | None = None

    @property
    def line(self):
        return self.row.line

    @property
    def name(self):
        return self.row.values.get("name_en") or self.row.values.get("name_zh")


@dataclass
class RankingPlan:
    parsed: ParsedList
    cohort_name: str
    year: int
    source_url: str
    source_key: str
    rows: list[RowPlan]
    warnings: list[str]
    errors: list[tuple[int, str]]
    unknown_values: dict[str, int]  # sector value as written -> rows
    unknown_mapped: dict[str, str | None]  # sector value as written -> the user's sector for it, if any
    sector_choices: dict[str, str]  # value key -> sector, for this import
    cohort_id: int | None = None
    source_id: int | None = None
    counts: dict = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)  # organisation id -> name, for matches

    @property
    def created(self) -> int:
        return sum(c.get("create", 0) for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.get("update", 0) for c in self.counts.values())

    @property
    def ambiguous(self) -> list[RowPlan]:
        return [r for r in self.rows if r.match.ambiguous and r.organisation_id is None and r.action != "create"]

    @property
    def matched(self) -> list[RowPlan]:
        return [r for r in self.rows if r.organisation_id is not None]


NEW = "new"


def source_key_for(*, source_url: str, cohort_name: str) -> str:
    """Where remembered sector mappings belong: the list's URL, or its name
    without the year ('Fortune Global 500 2019' -> 'fortune global 500')."""
    if source_url:
        return source_url.strip()[:500]
    return re.sub(r"\s+", " ", re.sub(r"(19|20)\d\d(年)?", " ", cohort_name)).strip().casefold()[:500] or "-"


def remembered_mappings(source_key: str) -> dict[str, str]:
    from registry.models import VocabularyMapping

    return dict(VocabularyMapping.objects.filter(source_key=source_key).values_list("value_key", "sector"))


def plan_ranking(
    parsed: ParsedList,
    *,
    cohort_name: str,
    year: int | None = None,
    source_url: str = "",
    sector_choices: dict[str, str] | None = None,
    match_choices: dict[int, str] | None = None,
    strict: bool = False,
) -> RankingPlan:
    """What importing ``parsed`` would do, written nowhere. ``sector_choices``
    maps unknown values (by ``vocabulary_key``) to sectors for this import, on
    top of what is remembered for the source; ``match_choices`` chooses, per
    line, the organisation id for an ambiguous row (or ``"new"``).

    Queries, whatever the list's length: cohort, source, remembered mappings,
    the name index, the matched organisations, their memberships of the cohort
    and of the rank holders, their figures, people, and their positions: 10.
    """
    from registry import models as m

    cohort_name = cells.clean_text(cohort_name)
    if not cohort_name:
        raise ImportFileError(_("Give the ranking's name (e.g. “Fortune Global 500 2019”)."))
    if year is None:
        found = re.search(r"(19|20)\d\d", cohort_name)
        if not found:
            raise ImportFileError(_("Give the ranking's year: the name %(name)r has none.") % {"name": cohort_name})
        year = int(found.group())
    if not 1949 <= year <= 2100:
        raise ImportFileError(_("The year %(year)s is out of range (1949–2100).") % {"year": year})
    source_url = (source_url or "").strip()
    key = source_key_for(source_url=source_url, cohort_name=cohort_name)
    plan = RankingPlan(
        parsed=parsed,
        cohort_name=cohort_name,
        year=year,
        source_url=source_url,
        source_key=key,
        rows=[],
        warnings=list(parsed.warnings),
        errors=[],
        unknown_values={},
        unknown_mapped={},
        sector_choices={},
    )
    cohort = m.Cohort.objects.filter(name=cohort_name, year=year).first()
    plan.cohort_id = cohort.pk if cohort else None
    source = m.Source.objects.filter(url=source_url).first() if source_url else None
    plan.source_id = source.pk if source else None
    mappings = {**remembered_mappings(key), **(sector_choices or {})}
    plan.sector_choices = dict(sector_choices or {})

    # Sectors: the sector column by the built-in vocabularies, then the industry
    # column; a value neither knows is "unknown" and takes the user's mapping
    # (remembered for the source, or chosen in this import), else "other".
    unknown: Counter = Counter()
    spelled: dict[str, str] = {}
    for row in parsed.rows:
        value, industry = row.values.get("sector"), row.values.get("industry")
        sector = map_sector(value) if value else None
        if sector is None and industry:
            sector = map_sector(industry)
        if sector is None and value:
            value_key = vocabulary_key(value)
            unknown[value_key] += 1
            spelled.setdefault(value_key, value)
            sector = mappings.get(value_key)
        row.values["_sector"] = sector
    for value_key, count in unknown.items():
        plan.unknown_values[spelled[value_key]] = count
        plan.unknown_mapped[spelled[value_key]] = mappings.get(value_key)
        if value_key in mappings:
            continue
        message = ngettext(
            "Sector %(value)r (%(count)s row) is not a known sector value",
            "Sector %(value)r (%(count)s rows) is not a known sector value",
            count,
        ) % {"value": spelled[value_key], "count": count}
        if strict:
            plan.errors.append((0, message + _("; map it in the admin's import, or import without --strict.")))
        else:
            plan.warnings.append(message + _("; imported as “Other”."))

    # Matching: one query for every organisation's names.
    index = NameIndex.from_database()
    match_choices = match_choices or {}
    seen_orgs: dict[int, int] = {}
    seen_names: dict[str, int] = {}
    seen_ranks: dict[int, int] = {}
    for row in parsed.rows:
        rp = RowPlan(row, sector=row.values.get("_sector"))
        plan.rows.append(rp)
        for error in row.errors:
            plan.errors.append((row.line, error))
        rank = row.values.get("rank")
        if rank is not None:
            if rank in seen_ranks:
                plan.errors.append(
                    (row.line, _("rank %(rank)s repeats line %(line)s") % {"rank": rank, "line": seen_ranks[rank]})
                )
            seen_ranks[rank] = row.line
        if row.errors:
            continue
        rp.match = index.find(row.values.get("name_en"), row.values.get("name_zh"))
        choice = match_choices.get(row.line)
        if rp.match.ambiguous:
            if choice == NEW:
                rp.action = "create"
            elif choice and choice.isdigit() and int(choice) in rp.match.candidates:
                rp.organisation_id = int(choice)
            else:
                plan.errors.append(
                    (
                        row.line,
                        _("%(name)r matches %(count)s organisations (ids %(ids)s); choose one in the admin's import.")
                        % {
                            "name": rp.name,
                            "count": len(rp.match.candidates),
                            "ids": ", ".join(map(str, rp.match.candidates)),
                        },
                    )
                )
                continue
        elif rp.match.organisation_id is not None and choice == NEW:
            rp.action = "create"
        else:
            rp.organisation_id = rp.match.organisation_id
            if rp.organisation_id is None:
                rp.action = "create"
        if rp.organisation_id is not None:
            if rp.organisation_id in seen_orgs:
                plan.errors.append(
                    (
                        row.line,
                        _("matches the same organisation as line %(line)s") % {"line": seen_orgs[rp.organisation_id]},
                    )
                )
            seen_orgs[rp.organisation_id] = row.line
        else:
            name_key = exact_key(rp.row.values.get("name_en") or rp.row.values.get("name_zh"))
            if name_key in seen_names:
                plan.errors.append(
                    (row.line, _("repeats the company of line %(line)s") % {"line": seen_names[name_key]})
                )
            seen_names[name_key] = row.line
    plan.labels = {
        rp.organisation_id: index.labels.get(rp.organisation_id, "") for rp in plan.rows if rp.organisation_id
    }
    for rp in plan.rows:
        for candidate in rp.match.candidates:
            plan.labels.setdefault(candidate, index.labels.get(candidate, ""))
    _plan_changes(plan, cohort)
    return plan


def _plan_changes(plan: RankingPlan, cohort) -> None:
    from registry import models as m

    matched_ids = [rp.organisation_id for rp in plan.rows if rp.organisation_id]
    organisations = m.Organisation.objects.in_bulk(matched_ids)
    memberships = {}
    rank_holders = {}
    if cohort is not None:
        for membership in m.CohortMembership.objects.filter(cohort=cohort).only(
            "id", "organisation_id", "rank", "revenue_rmb_m"
        ):
            memberships[membership.organisation_id] = membership
            if membership.rank:
                rank_holders[membership.rank] = membership.organisation_id
    facts = {
        (f.organisation_id, f.kind, f.currency): f.value
        for f in m.OrganisationFact.objects.filter(organisation_id__in=matched_ids, year=plan.year).only(
            "organisation_id", "kind", "currency", "value"
        )
    }
    positions = set()
    for org_id, *names in m.Position.objects.filter(
        organisation_id__in=matched_ids, title=plan.parsed.ceo_title
    ).values_list("organisation_id", "person__name_en", "person__name_zh", "person__aliases"):
        positions.update((org_id, exact_key(n)) for n in names_of(*names[:2], "", names[2]))
    counts = {k: Counter() for k in ("organisations", "memberships", "figures", "people", "positions", "cohort")}
    counts["cohort"]["unchanged" if cohort else "create"] += 1
    file_orgs = set(matched_ids)
    people_created = set()
    for rp in plan.rows:
        values = rp.row.values
        if rp.row.errors or (rp.organisation_id is None and rp.action != "create"):
            continue
        country = normalise_country(values.get("country"))
        city, province = parse_headquarters(values.get("headquarters"), country=country)
        city = values.get("city") or city
        if values.get("province"):
            parsed_province = parse_province(values["province"])
            if parsed_province:
                province = parsed_province
            else:
                plan.warnings.append(
                    _("Line %(line)s: %(value)r is not a province-level division; the province is left empty.")
                    % {"line": rp.line, "value": values["province"]}
                )
        if province and not country:
            country = CHINA
        wanted = {
            "website": values.get("website") or "",
            "country": country,
            "city": city[:80],
            "province": province,
            "name_zh": values.get("name_zh") or "",
        }
        if rp.action == "create":
            rp.changes = {k: v for k, v in wanted.items() if v}
            rp.changes["name_en"] = values.get("name_en") or values.get("name_zh")
            rp.changes["sector"] = rp.sector or m.Sector.OTHER
            if country and country not in _NO_HINT:
                rp.changes["ownership"] = m.Ownership.FOREIGN
        else:
            org = organisations[rp.organisation_id]
            for name, value in wanted.items():
                if value and not getattr(org, name):
                    rp.changes[name] = value
            if rp.sector and rp.sector != m.Sector.OTHER and org.sector == m.Sector.OTHER:
                rp.changes["sector"] = rp.sector
            if country and country not in _NO_HINT and org.ownership == m.Ownership.OTHER:
                rp.changes["ownership"] = m.Ownership.FOREIGN
            rp.action = "update" if rp.changes else "unchanged"
        counts["organisations"][rp.action] += 1

        rank = values.get("rank")
        holder = rank_holders.get(rank) if rank else None
        if holder is not None and holder != rp.organisation_id and holder not in file_orgs:
            plan.errors.append(
                (
                    rp.line,
                    _("rank %(rank)s is held in this ranking by an organisation not in the file (id %(id)s)")
                    % {"rank": rank, "id": holder},
                )
            )
        revenue_rmb = (
            values.get("revenue") if plan.parsed.units.get("revenue", MoneyUnit("", "", "")).currency == "CNY" else None
        )
        existing = memberships.get(rp.organisation_id) if rp.organisation_id else None
        if existing is None:
            rp.membership = "create"
        elif existing.rank != rank or (revenue_rmb is not None and existing.revenue_rmb_m != _money(revenue_rmb)):
            rp.membership = "update"
        else:
            rp.membership = "unchanged"
        counts["memberships"][rp.membership] += 1

        for kind in (*MONEY, "employees"):
            value = values.get(kind)
            if value is None:
                continue
            if kind == "employees":
                currency, unit = "", ""
            else:
                currency, unit = plan.parsed.units[kind].currency, plan.parsed.units[kind].published
            value = _fact_value(value)
            old = facts.get((rp.organisation_id, kind, currency)) if rp.organisation_id else None
            action = "create" if old is None else ("unchanged" if old == value else "update")
            rp.facts.append((kind, currency, value, unit))
            counts["figures"][action] += 1

        ceo = values.get("ceo")
        if ceo:
            rp.ceo = ceo
            if rp.organisation_id is None or (rp.organisation_id, exact_key(ceo)) not in positions:
                counts["positions"]["create"] += 1
                if exact_key(ceo) not in people_created:
                    people_created.add(exact_key(ceo))
                    counts["people"]["check"] += 1  # resolved against the people table below
            else:
                counts["positions"]["unchanged"] += 1
    if cohort is not None:
        missing = set(memberships) - file_orgs - {rp.organisation_id for rp in plan.rows}
        if missing:
            plan.warnings.append(
                ngettext(
                    "%(count)s member of the ranking is not in this file; it stays a member.",
                    "%(count)s members of the ranking are not in this file; they stay members.",
                    len(missing),
                )
                % {"count": len(missing)}
            )
    # People: one query for the names the file's CEO column needs.
    if counts["people"].pop("check", 0):
        known = _people_index()
        counts["people"]["create"] = sum(1 for key in people_created if key not in known)
    plan.counts = {k: dict(v) for k, v in counts.items()}


def _money(value: decimal.Decimal) -> decimal.Decimal:
    return value.quantize(decimal.Decimal("0.01"))


def _fact_value(value) -> decimal.Decimal:
    return decimal.Decimal(value).quantize(decimal.Decimal("0.0001"))


def _people_index() -> dict[str, list[int]]:
    from registry.models import Person

    index: dict[str, list[int]] = {}
    for pk, name_en, name_zh, aliases in Person.objects.values_list("pk", "name_en", "name_zh", "aliases").iterator():
        for name in names_of(name_en, name_zh, "", aliases):
            index.setdefault(exact_key(name), []).append(pk)
    return index


# --------------------------------------------------------------------------- writing


class PlanHasErrors(ValueError):
    pass


def apply_plan(plan: RankingPlan, *, user=None, change_reason: str = "", remember: bool = True) -> dict:
    """Write the plan in one transaction; nothing when it has errors. Returns
    the counts (as planned, which a re-read would confirm). ``remember`` keeps
    this import's sector choices for the source."""
    from simple_history.utils import bulk_create_with_history

    from registry import models as m
    from registry import names
    from registry.signals import bump_data_version

    if plan.errors:
        raise PlanHasErrors(_("The list has errors; nothing was written."))
    history = {"default_user": user, "default_change_reason": change_reason}

    def save(obj):
        obj._change_reason = change_reason
        if user is not None:
            obj._history_user = user
        obj.save()

    with transaction.atomic():
        if remember:
            for value_key, sector in plan.sector_choices.items():
                mapping = m.VocabularyMapping.objects.filter(source_key=plan.source_key, value_key=value_key).first()
                if mapping is None:
                    mapping = m.VocabularyMapping(source_key=plan.source_key, value=value_key)
                if mapping.sector != sector:
                    mapping.sector = sector
                    save(mapping)
        source = m.Source.objects.filter(pk=plan.source_id).first() if plan.source_id else None
        if source is None:
            title = plan.cohort_name
            source = m.Source.objects.filter(url=plan.source_url).first() if plan.source_url else None
            if source is None and not plan.source_url:
                source = m.Source.objects.filter(title=title, url="", kind=m.SourceKind.RANKING).first()
            if source is None:
                source = m.Source(
                    title=title,
                    url=plan.source_url,
                    kind=m.SourceKind.RANKING,
                    published_on=datetime.date(plan.year, 1, 1),
                    published_precision=m.DatePrecision.YEAR,
                    language=m.Language.CHINESE if re.search(r"[\u3400-\u9fff]", title) else m.Language.ENGLISH,
                )
                save(source)
        cohort = m.Cohort.objects.filter(pk=plan.cohort_id).first() if plan.cohort_id else None
        if cohort is None:
            slug = slugify(plan.cohort_name)[:70] or f"ranking-{plan.year}"
            base, n = slug, 2
            while m.Cohort.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            cohort = m.Cohort(
                name=plan.cohort_name, slug=slug, year=plan.year, nominal_size=len(plan.rows), source=source
            )
            save(cohort)

        rows = [rp for rp in plan.rows if rp.action in ("create", "update", "unchanged")]
        new_orgs = []
        for rp in rows:
            if rp.action == "create":
                org = m.Organisation(kind=m.OrganisationKind.COMPANY, **rp.changes)
                # bulk_create skips save(): the keys it would fill are filled here.
                org.name_key = names.natural_key(org.name_en, org.name_zh)
                names.fill_sort_keys(org)
                new_orgs.append((rp, org))
        if new_orgs:
            created = bulk_create_with_history([o for _, o in new_orgs], m.Organisation, **history)
            by_key = {o.name_key: o.pk for o in created if o.pk}
            if len(by_key) < len(new_orgs):  # the backend returned no ids
                by_key = dict(
                    m.Organisation.objects.filter(name_key__in=[o.name_key for _, o in new_orgs]).values_list(
                        "name_key", "pk"
                    )
                )
            for rp, org in new_orgs:
                rp.organisation_id = by_key[org.name_key]
            names.rebuild_keys(
                m.Organisation.objects.filter(pk__in=[rp.organisation_id for rp, _org in new_orgs]),
                key_model=m.OrganisationSearchKey,
                owner="organisation",
                names_of=names.organisation_names,
            )
        updates = [rp for rp in rows if rp.action == "update"]
        for org in m.Organisation.objects.filter(pk__in=[rp.organisation_id for rp in updates]):
            rp = next(r for r in updates if r.organisation_id == org.pk)
            for name, value in rp.changes.items():
                setattr(org, name, value)
            save(org)

        memberships = {ms.organisation_id: ms for ms in m.CohortMembership.objects.filter(cohort=cohort)}
        revenue_cny = plan.parsed.units.get("revenue", MoneyUnit("", "", "")).currency == "CNY"
        new_memberships = []
        changed_memberships = []
        for rp in rows:
            rank = rp.row.values.get("rank")
            revenue = (
                _money(rp.row.values["revenue"]) if revenue_cny and rp.row.values.get("revenue") is not None else None
            )
            existing = memberships.get(rp.organisation_id)
            if existing is None:
                new_memberships.append(
                    m.CohortMembership(
                        cohort=cohort, organisation_id=rp.organisation_id, rank=rank, revenue_rmb_m=revenue
                    )
                )
            elif existing.rank != rank or (revenue is not None and existing.revenue_rmb_m != revenue):
                existing.rank = rank
                if revenue is not None:
                    existing.revenue_rmb_m = revenue
                changed_memberships.append(existing)
        if changed_memberships:
            # Free the ranks first so two members swapping places never collide.
            m.CohortMembership.objects.filter(pk__in=[ms.pk for ms in changed_memberships]).update(rank=None)
            for membership in changed_memberships:
                save(membership)
        if new_memberships:
            bulk_create_with_history(new_memberships, m.CohortMembership, **history)

        facts = {
            (f.organisation_id, f.kind, f.currency): f
            for f in m.OrganisationFact.objects.filter(
                organisation_id__in=[rp.organisation_id for rp in rows], year=plan.year
            )
        }
        new_facts = []
        for rp in rows:
            for kind, currency, value, unit in rp.facts:
                fact = facts.get((rp.organisation_id, kind, currency))
                if fact is None:
                    new_facts.append(
                        m.OrganisationFact(
                            organisation_id=rp.organisation_id,
                            kind=kind,
                            year=plan.year,
                            currency=currency,
                            value=value,
                            published_unit=unit,
                            source=source,
                            cohort=cohort,
                        )
                    )
                elif fact.value != value:
                    fact.value, fact.published_unit, fact.source, fact.cohort = value, unit, source, cohort
                    save(fact)
        if new_facts:
            bulk_create_with_history(new_facts, m.OrganisationFact, **history)

        people = _people_index()
        positions = set(
            m.Position.objects.filter(
                organisation_id__in=[rp.organisation_id for rp in rows], title=plan.parsed.ceo_title
            ).values_list("organisation_id", "person_id")
        )
        new_people: dict[str, m.Person] = {}
        wanted: list[tuple[int, int | str]] = []  # (organisation, person id or the new person's key)
        for rp in rows:
            if not rp.ceo:
                continue
            key = exact_key(rp.ceo)
            candidates = people.get(key, [])
            if any((rp.organisation_id, pk) in positions for pk in candidates):
                continue
            if candidates:
                wanted.append((rp.organisation_id, candidates[0]))
                continue
            if key not in new_people:
                chinese = bool(re.search(r"[\u3400-\u9fff]", rp.ceo))
                person = m.Person(name_en="" if chinese else rp.ceo, name_zh=rp.ceo if chinese else "")
                names.fill_sort_keys(person)
                new_people[key] = person
            wanted.append((rp.organisation_id, key))
        if new_people:
            bulk_create_with_history(list(new_people.values()), m.Person, **history)
            names.rebuild_keys(
                list(new_people.values()), key_model=m.PersonSearchKey, owner="person", names_of=names.person_names
            )
        if wanted:
            bulk_create_with_history(
                [
                    m.Position(
                        organisation_id=organisation_id,
                        person_id=new_people[ref].pk if isinstance(ref, str) else ref,
                        title=plan.parsed.ceo_title,
                        source=source,
                    )
                    for organisation_id, ref in dict.fromkeys(wanted)
                ],
                m.Position,
                **history,
            )
    bump_data_version()
    return plan.counts


def import_ranking(
    source,
    *,
    cohort_name: str,
    year: int | None = None,
    source_url: str = "",
    strict: bool = False,
    dry_run: bool = False,
    encoding: str | None = None,
    user=None,
    change_reason: str = "",
) -> RankingPlan:
    """Read, plan and (unless ``dry_run`` or the plan has errors) write."""
    parsed = read_ranking(source, encoding=encoding)
    plan = plan_ranking(parsed, cohort_name=cohort_name, year=year, source_url=source_url, strict=strict)
    if not plan.errors and not dry_run:
        apply_plan(plan, user=user, change_reason=change_reason)
    return plan


# --------------------------------------------------------------------------- reporting


def summary(plan: RankingPlan) -> str:
    """'12 created, 3 updated, 1,985 unchanged' and what each count holds."""
    labels = {
        "cohort": _("ranking"),
        "organisations": _("organisations"),
        "memberships": _("members"),
        "figures": _("figures"),
        "people": _("people"),
        "positions": _("positions"),
    }
    parts = []
    for key, label in labels.items():
        counts = plan.counts.get(key, {})
        if any(counts.values()):
            bits = [
                f"{counts[a]:,} {w}"
                for a, w in (("create", _("new")), ("update", _("updated")), ("unchanged", _("unchanged")))
                if counts.get(a)
            ]
            parts.append(f"{label}: {', '.join(bits)}")
    return _("%(created)s created, %(updated)s updated (%(detail)s)") % {
        "created": f"{plan.created:,}",
        "updated": f"{plan.updated:,}",
        "detail": "; ".join(parts),
    }


def import_ranking_command(
    command, path, *, dry_run, encoding, user, reason, cohort_name, year, source, strict, **_options
):
    """``manage.py import_data ranking PATH --cohort-name NAME``: print the
    plan's warnings, matches and errors, then write unless --dry-run."""
    from django.core.management.base import CommandError

    out, style = command.stdout, command.style
    if not cohort_name:
        raise CommandError(_('A ranking needs --cohort-name, e.g. --cohort-name "Fortune Global 500 2019".'))
    try:
        parsed = read_ranking(path, encoding=encoding)
        plan = plan_ranking(parsed, cohort_name=cohort_name, year=year, source_url=source, strict=strict)
    except ImportFileError as error:
        raise CommandError(f"{path}: {error}") from None
    for warning in plan.warnings:
        out.write(style.WARNING(_("warning: %(message)s") % {"message": warning}))
    for rp in plan.matched:
        how = _("by its exact name") if rp.match.how == "exact" else _("after removing legal suffixes")
        out.write(
            _("line %(line)6s  matches    %(name)s → %(organisation)s (#%(id)s, %(how)s)")
            % {
                "line": rp.line,
                "name": rp.name,
                "organisation": plan.labels.get(rp.organisation_id),
                "id": rp.organisation_id,
                "how": how,
            }
        )
    for line, message in plan.errors:
        out.write(
            style.ERROR(
                _("line %(line)6s  error      %(message)s") % {"line": line, "message": message}
                if line
                else _("error: %(message)s") % {"message": message}
            )
        )
    if plan.errors:
        raise CommandError(
            ngettext(
                "%(count)s error in %(file)s; nothing was written.",
                "%(count)s errors in %(file)s; nothing was written.",
                len(plan.errors),
            )
            % {"count": len(plan.errors), "file": path.name}
        )
    if dry_run:
        out.write(style.SUCCESS(_("Dry run: %(summary)s. Nothing was written.") % {"summary": summary(plan)}))
        return
    apply_plan(plan, user=user, change_reason=reason)
    out.write(
        style.SUCCESS(_("Imported %(cohort)s: %(summary)s.") % {"cohort": plan.cohort_name, "summary": summary(plan)})
    )
