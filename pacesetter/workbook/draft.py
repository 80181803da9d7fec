"""The new draft version an edited workbook makes: its changed quotas, and every line above
them recomputed so that the plan still adds up exactly.

Each team's line becomes its reps' quotas added up (divided by the plan's over-assignment
when it has one) and every unit above it moves by the same amount. The version the
workbook came from is copied, never changed; the draft's inputs say which workbook made it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pacesetter import planning
from pacesetter.goals.models import Plan, PlanLine
from pacesetter.goals.services import currency_symbol
from pacesetter.org.models import Unit
from pacesetter.workbook.contents import ZERO, line_key


@dataclass(frozen=True)
class QuotaChange:
    """A rep's monthly quota that the workbook changes."""

    team: str
    team_id: int
    key: str
    who: str
    month: dt.date
    old: Decimal
    new: Decimal

    @property
    def change(self) -> Decimal:
        return self.new - self.old


def changes_digest(source: Plan, changes: list[QuotaChange]) -> str:
    """Identifies a set of changes to one version, to recognise it when uploaded again."""
    text = "\n".join(sorted(f"{c.team_id}|{c.key}|{c.month:%Y-%m}|{c.new}" for c in changes))
    return hashlib.sha256(f"{source.pk}\n{text}".encode()).hexdigest()


def already_imported(source: Plan, digest: str) -> Plan | None:
    """The later version these very changes to ``source`` already made, if any (one query)."""
    for later in Plan.objects.filter(name=source.name, version__gt=source.version):
        note = later.inputs.get("workbook") or {}
        if note.get("source_id") == source.pk and note.get("digest") == digest:
            return later
    return None


def _money(amount: Decimal) -> str:
    return planning.format_money(amount, currency_symbol())


@transaction.atomic
def plan_draft_save(
    source: Plan,
    changes: list[QuotaChange],
    *,
    by: AbstractBaseUser | None,
    file: str,
    digest: str,
) -> Plan:
    """Copy every line of ``source`` into the next version, with the changed quotas and the
    team and unit lines above them recomputed so that every level adds up."""
    edited = {(c.team_id, c.key, c.month): c.new for c in changes}
    lines = list(source.lines.order_by("month", "id"))
    over = Decimal(str(source.inputs.get("over_assign", "1")))
    label = source.label
    people: dict[tuple[int, dt.date], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.level in (PlanLine.Level.PERSON, PlanLine.Level.SEAT):
            key = line_key(line)
            new = edited.pop((line.unit_id, key, line.month), None) if key else None
            if new is not None:
                line.explanation = (
                    f"{_money(new)} set in the workbook of {label} (was {_money(line.target)})"
                )
                line.target = new
            people[(line.unit_id, line.month)] += line.target
    for (team_id, key, month), new in edited.items():  # a rep without a line that month
        level, _, pk = key.partition("-")
        lines.append(
            PlanLine(
                level=level,
                unit_id=team_id,
                person_id=int(pk) if level == PlanLine.Level.PERSON else None,
                seat_id=int(pk) if level == PlanLine.Level.SEAT else None,
                month=month,
                target=new,
                explanation=f"{_money(new)} set in the workbook of {label} (was no quota)",
            )
        )
        people[(team_id, month)] += new
    changed_teams = {(c.team_id, c.month) for c in changes}
    parents = dict(Unit.objects.values_list("id", "parent_id"))
    moved: dict[tuple[int, dt.date], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.level != PlanLine.Level.TEAM or (line.unit_id, line.month) not in changed_teams:
            continue
        reps = people[(line.unit_id, line.month)]
        target = reps if over == 1 else planning.to_cents(reps / over)
        how = "the reps' quotas added up" if over == 1 else (
            f"the reps' quotas {_money(reps)} ÷ {over} over-assignment"
        )  # fmt: skip
        line.explanation = (
            f"{_money(target)} = {how} (workbook edits of {label}; was {_money(line.target)})"
        )
        parent = parents.get(line.unit_id)
        while parent is not None:
            moved[(parent, line.month)] += target - line.target
            parent = parents.get(parent)
        line.target = target
    for line in lines:
        if line.level not in (PlanLine.Level.COMPANY, PlanLine.Level.UNIT):
            continue
        change = moved.get((line.unit_id, line.month), ZERO)
        if change:
            line.explanation = (
                f"{_money(line.target + change)} = the units below added up after workbook "
                f"edits of {label} (was {_money(line.target)})"
            )
            line.target += change
    company = [ln.target for ln in lines if ln.level == PlanLine.Level.COMPANY]
    version = (Plan.objects.filter(name=source.name).aggregate(v=Max("version"))["v"] or 0) + 1
    plan = Plan.objects.create(
        name=source.name,
        version=version,
        status=Plan.Status.DRAFT,
        metric=source.metric,
        fiscal_year=source.fiscal_year,
        annual_target=sum(company, ZERO) if company else source.annual_target,
        created_by=by,
        inputs={
            **source.inputs,
            "workbook": {
                "source": label,
                "source_id": source.pk,
                "file": file,
                "digest": digest,
                "changed_quotas": len(changes),
                "teams": sorted({c.team for c in changes}),
                "imported_by": by.get_username() if by is not None else None,
                "imported_at": timezone.now().isoformat(timespec="seconds"),
            },
        },
    )
    PlanLine.objects.bulk_create(
        [
            PlanLine(
                plan=plan,
                level=line.level,
                unit_id=line.unit_id,
                person_id=line.person_id,
                seat_id=line.seat_id,
                month=line.month,
                target=line.target,
                explanation=line.explanation,
            )
            for line in lines
        ],
        batch_size=2000,
    )
    return plan
