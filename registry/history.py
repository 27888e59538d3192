"""Change history of registry records, read from django-simple-history."""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    who: str | None
    model: str
    record: str
    action: str  # "created", "changed" or "deleted"
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


def organisation_history(organisation, *, limit: int = 50) -> list[HistoryRow]:
    """Changes to an organisation and the records that belong to it, newest first."""
    return []
