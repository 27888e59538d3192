"""The central SOEs supervised by SASAC (国资委监管的中央企业), loaded as a real
cohort from ``central_soes.csv`` (source and date in ``CENTRAL_SOES.md``).

Loading is idempotent: a second load changes nothing. Organisations already in
the registry are matched on their full Chinese name (or their English name)
and never duplicated; on them the load only fills fields that are empty, so
edits made in the admin and the seed's own values are kept. No accounts, no
figures and nothing synthetic are ever added: the list says who the members
are, nothing more.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from registry import names
from registry.models import (
    Cohort,
    CohortMembership,
    DatePrecision,
    Language,
    Organisation,
    OrganisationKind,
    Ownership,
    Source,
    SourceKind,
    normalise_name,
)
from registry.seed import _Writer

CSV_PATH = Path(__file__).with_name("central_soes.csv")
COHORT_SLUG = "central-soes-sasac"
COHORT_NAME_EN = "Central SOEs supervised by SASAC"
COHORT_NAME_ZH = "中央企业名录"
SOURCE_URL = "http://www.sasac.gov.cn/n2588035/n2641579/n2641645/index.html"
SOURCE_TITLE = "央企名录"
PUBLISHER = "国务院国有资产监督管理委员会"
LIST_DATE = datetime.date(2026, 7, 11)  # the list as SASAC's page showed it on this day
COLUMNS = ("order", "name_zh", "short_name", "name_en", "website", "aliases")


class ReferenceListError(ValueError):
    pass


@dataclass(frozen=True)
class CentralSoe:
    order: int
    name_zh: str
    short_name: str
    name_en: str
    website: str
    aliases: tuple[str, ...]


def read_list(path: Path = CSV_PATH) -> list[CentralSoe]:
    """The rows of the CSV, checked: every row has an order and a Chinese name,
    and no name or short name appears twice."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ReferenceListError(f"{path.name}: expected columns {', '.join(COLUMNS)}")
        rows = []
        for line, raw in enumerate(reader, start=2):
            name_zh = (raw["name_zh"] or "").strip()
            if not name_zh or not (raw["order"] or "").strip().isdigit():
                raise ReferenceListError(f"{path.name} line {line}: an order number and a Chinese name are required")
            rows.append(
                CentralSoe(
                    order=int(raw["order"]),
                    name_zh=name_zh,
                    short_name=(raw["short_name"] or "").strip(),
                    name_en=(raw["name_en"] or "").strip(),
                    website=(raw["website"] or "").strip(),
                    aliases=tuple(a.strip() for a in (raw["aliases"] or "").split(";") if a.strip()),
                )
            )
    for field in ("order", "name_zh", "short_name"):
        values = [getattr(r, field) for r in rows if getattr(r, field)]
        if len(values) != len(set(values)):
            raise ReferenceListError(f"{path.name}: a {field} appears twice")
    return rows


def _existing(row: CentralSoe) -> Organisation | None:
    """The registry's record of ``row``: same full Chinese name (also among its
    former names), or same English name. Short names are not enough: 中国电信 is
    also the listed company's short name, a different legal person from the group."""
    full_names = {row.name_zh, *(a for a in row.aliases if names.has_han(a) and len(a) > 6)}
    query = Q(name_zh__in=full_names)
    if row.name_en:
        query |= Q(name_key=normalise_name(row.name_en))
    return Organisation.objects.filter(query, is_demo=False).order_by("pk").first()


@transaction.atomic
def load_central_soes(path: Path = CSV_PATH) -> dict[str, dict[str, int]]:
    """Load or refresh the cohort. Returns, per model, how many rows were
    created, updated or left unchanged."""
    rows = read_list(path)
    writer = _Writer()
    source = writer.upsert(
        Source,
        lookup={"url": SOURCE_URL},
        values={
            "title": SOURCE_TITLE,
            "publisher": PUBLISHER,
            "published_on": LIST_DATE,
            "published_precision": DatePrecision.DAY,
            "language": Language.CHINESE,
            "kind": SourceKind.DATASET,
            "notes": (
                f"The list of central SOEs SASAC supervises, as published on its 央企名录 page on {LIST_DATE:%Y-%m-%d} "
                f"({len(rows)} enterprises, in SASAC's order). English names and websites are recorded only "
                "where an official one is known; see registry/reference/CENTRAL_SOES.md."
            ),
        },
    )
    cohort = writer.upsert(
        Cohort,
        lookup={"slug": COHORT_SLUG},
        values={
            "name": COHORT_NAME_EN,
            "name_zh": COHORT_NAME_ZH,
            "year": LIST_DATE.year,
            "nominal_size": len(rows),
            "publisher": PUBLISHER,
            "description": (
                "国务院国资委监管的中央企业 (central state-owned enterprises supervised by SASAC), "
                f"as listed on {LIST_DATE:%Y-%m-%d}."
            ),
            "source": source,
            "is_demo": False,
        },
    )
    for row in rows:
        org = _existing(row)
        if org is None:
            org = writer.upsert(
                Organisation,
                lookup={"name_key": names.natural_key(row.name_en, row.name_zh)},
                values={
                    "name_en": row.name_en,
                    "name_zh": row.name_zh,
                    "short_name": row.short_name,
                    "aliases": "\n".join(row.aliases),
                    "website": row.website,
                    "kind": OrganisationKind.COMPANY,
                    "ownership": Ownership.CENTRAL_SOE,
                    "is_demo": False,
                },
            )
        else:
            _fill_blanks(writer, org, row)
        writer.upsert(
            CohortMembership,
            lookup={"cohort": cohort, "organisation": org},
            values={"source": source, "rank": None, "is_demo": False},
        )
    return writer.summary()


def _fill_blanks(writer: _Writer, org: Organisation, row: CentralSoe) -> None:
    """Fill what the record lacks; never overwrite what it has."""
    wanted = {"name_zh": row.name_zh, "name_en": row.name_en, "short_name": row.short_name, "website": row.website}
    changed = [field for field, value in wanted.items() if value and not getattr(org, field)]
    if org.ownership == Ownership.OTHER:
        org.ownership = Ownership.CENTRAL_SOE
        changed.append("ownership")
    for field in changed:
        if field != "ownership":
            setattr(org, field, wanted[field])
    if changed:
        org.full_clean(validate_unique=False, validate_constraints=False)
        org.save()
    writer._count(Organisation, "updated" if changed else "unchanged")
