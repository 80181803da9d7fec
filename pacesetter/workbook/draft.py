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

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pacesetter import planning
from pacesetter.explanations import english
from pacesetter.goals.models import Plan, PlanLine
from pacesetter.goals.periods import Freezer
from pacesetter.org.models import OrgSettings, Unit
from pacesetter.planning.explain import Explanation, Money
from pacesetter.presentation import currency_symbol
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


@transaction.atomic
def plan_draft_save(
    source: Plan,
    changes: list[QuotaChange],
    *,
    by: User | None,
    file: str,
    digest: str,
) -> Plan:
    """Copy every line of ``source`` into the next version, with the changed quotas and the
    team and unit lines above them recomputed so that every level adds up.

    A quota of a month that has ended is frozen (``goals/periods.py``): ``PeriodClosed``
    when a change is in one that no admin has re-opened (the import reports them per cell
    before it gets here)."""
    freezer = Freezer()
    for change in changes:
        freezer.check("month", change.month, planning.calendar.add_months(change.month, 1))
    draft = _Draft(source)
    draft.edit_quotas({(c.team_id, c.key, c.month): c.new for c in changes})
    moved = draft.total_teams({(c.team_id, c.month) for c in changes})
    draft.total_units(moved)
    return _save_version(source, draft.lines, changes, by=by, file=file, digest=digest)


class _Draft:
    """The lines of the new version, recomputed level by level from the edited quotas."""

    def __init__(self, source: Plan) -> None:
        self.lines = list(source.lines.order_by("month", "id"))
        self.over = Decimal(str(source.inputs.get("over_assign", "1")))
        self.label = source.label
        self.symbol = currency_symbol(OrgSettings.load().currency)
        # The reps' and seats' quotas added up, by (team, month).
        self.people: dict[tuple[int, dt.date], Decimal] = defaultdict(lambda: ZERO)

    def cash(self, amount: Decimal) -> Money:
        """An amount in the org's currency, as an explanation shows it."""
        return Money(amount, self.symbol)

    def edit_quotas(self, edited: dict[tuple[int, str, dt.date], Decimal]) -> None:
        """The workbook's quotas on the reps' and seats' lines (a new line for a rep who had
        none that month), added up by team."""
        cash, label, people = self.cash, self.label, self.people
        for line in self.lines:
            if line.level in (PlanLine.Level.PERSON, PlanLine.Level.SEAT):
                key = line_key(line)
                new = edited.pop((line.unit_id, key, line.month), None) if key else None
                if new is not None:
                    line.explanation = english(
                        Explanation(
                            "workbook.set",
                            {"amount": cash(new), "plan": label, "was": cash(line.target)},
                        )
                    )
                    line.target = new
                people[(line.unit_id, line.month)] += line.target
        for (team_id, key, month), new in edited.items():  # a rep without a line that month
            level, _, pk = key.partition("-")
            self.lines.append(
                PlanLine(
                    level=level,
                    unit_id=team_id,
                    person_id=int(pk) if level == PlanLine.Level.PERSON else None,
                    seat_id=int(pk) if level == PlanLine.Level.SEAT else None,
                    month=month,
                    target=new,
                    explanation=english(
                        Explanation("workbook.set_new", {"amount": cash(new), "plan": label})
                    ),
                )
            )
            people[(team_id, month)] += new

    def total_teams(
        self, changed_teams: set[tuple[int, dt.date]]
    ) -> dict[tuple[int, dt.date], Decimal]:
        """Each changed team's line: its reps' quotas added up (÷ the over-assignment); what
        every unit above it moves by, per (unit, month)."""
        cash, label, over = self.cash, self.label, self.over
        parents = dict(Unit.objects.values_list("id", "parent_id"))
        moved: dict[tuple[int, dt.date], Decimal] = defaultdict(lambda: ZERO)
        for line in self.lines:
            if line.level != PlanLine.Level.TEAM or (line.unit_id, line.month) not in changed_teams:
                continue
            reps = self.people[(line.unit_id, line.month)]
            target = reps if over == 1 else planning.to_cents(reps / over)
            how = Explanation("workbook.reps_added") if over == 1 else Explanation(
                "workbook.reps_over", {"sum": cash(reps), "factor": f"{over}"}
            )  # fmt: skip
            line.explanation = english(
                Explanation(
                    "workbook.team",
                    {"amount": cash(target), "how": how, "plan": label, "was": cash(line.target)},
                )
            )
            parent = parents.get(line.unit_id)
            while parent is not None:
                moved[(parent, line.month)] += target - line.target
                parent = parents.get(parent)
            line.target = target
        return moved

    def total_units(self, moved: dict[tuple[int, dt.date], Decimal]) -> None:
        """The company's and units' lines, moved by what the teams below them moved."""
        cash, label = self.cash, self.label
        for line in self.lines:
            if line.level not in (PlanLine.Level.COMPANY, PlanLine.Level.UNIT):
                continue
            change = moved.get((line.unit_id, line.month), ZERO)
            if change:
                line.explanation = english(
                    Explanation(
                        "workbook.units",
                        {"amount": cash(line.target + change), "plan": label,
                         "was": cash(line.target)},
                    )
                )  # fmt: skip
                line.target += change


def _save_version(
    source: Plan,
    lines: list[PlanLine],
    changes: list[QuotaChange],
    *,
    by: User | None,
    file: str,
    digest: str,
) -> Plan:
    """The lines as the next draft version of ``source``'s plan, saying which workbook
    made it."""
    label = source.label
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
