"""``pacesetter plan``: the planning engine from the command line.

pacesetter plan funnel --revenue 4000 --deal-size 1000 --rate demo:deal=0.5 --rate call:demo=0.3
pacesetter plan waterfall --from 50 --to 100 --step 10 --every week --start 2026-12-07
pacesetter plan cascade --annual 12000000 --year 2027 --over-assign 1.1 --name FY27
pacesetter plan list | show NAME[@V] | compare A B | activate NAME[@V]
pacesetter plan import-workbook FILE [--dry-run]   (an edited `pacesetter export plan` workbook)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q

from pacesetter import planning
from pacesetter.goals import funnel_history
from pacesetter.goals.models import Plan
from pacesetter.goals.selectors import plan_by_label, plan_compare
from pacesetter.goals.services import (
    currency_symbol,
    plan_activate,
    plan_create_cascade,
    plan_replan,
    stretch_goals_create,
    stretch_offers,
    waterfall_goals_create,
)
from pacesetter.org.models import OrgSettings, Person, Unit
from pacesetter.org.selectors import members_on, subtree_ids, today_in_org, work_calendar
from pacesetter.tabular import FORMATS, render
from pacesetter.workbook import plan_workbook_import


def decimal_arg(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return value


decimal_arg.__name__ = "number"  # argparse says "invalid number value: 'x'"


def ramp_arg(text: str) -> tuple[Decimal, ...]:
    parts = [decimal_arg(p) for p in text.split(",") if p.strip()]
    if not parts:
        raise ValueError("empty ramp")
    return tuple(p / 100 for p in parts)


ramp_arg.__name__ = "ramp (percents like 0,25,50,75,100)"


def drag_arg(text: str) -> tuple[Decimal, int]:
    percent, _, months = text.partition(":")
    if not months.isdigit():
        raise ValueError("use PERCENT:MONTHS, e.g. 10:2")
    return decimal_arg(percent) / 100, int(months)


drag_arg.__name__ = "drag (PERCENT:MONTHS)"


def seasonality_arg(text: str) -> str | dict[int, Decimal]:
    if text in ("learned", "flat"):
        return text
    path = Path(text)
    if not path.is_file():
        raise ValueError(f"{text!r}: use learned, flat, or a file of 12 monthly weights")
    raw = path.read_text().replace(",", " ").split()
    numbers = [decimal_arg(v) for v in raw]
    if len(numbers) != 12:
        raise ValueError(f"{text}: expected 12 weights (January first), found {len(numbers)}")
    return {month: weight for month, weight in enumerate(numbers, start=1)}


seasonality_arg.__name__ = "seasonality"


def _person(who: str) -> Person:
    person = Person.objects.filter(Q(email=who) | Q(user__username=who)).first()
    if person is None:
        raise ValueError(f"no person with e-mail or login {who!r}")
    return person


def _unit(name: str) -> Unit:
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        raise ValueError(f"no unit named {name!r}")
    return unit


class Command(BaseCommand):
    help = "Plan goals: reverse funnel, waterfall steps, the annual cascade, and plan versions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        def add(name: str, help_text: str) -> CommandParser:
            p = sub.add_parser(name, help=help_text, description=help_text)
            p.add_argument("--format", choices=FORMATS, default="table")
            return p

        p = add("funnel", "Activities needed for a revenue goal (M4 reverse funnel).")
        p.add_argument("--revenue", type=decimal_arg, required=True)
        p.add_argument("--deal-size", type=decimal_arg, help="average deal (default: history)")
        p.add_argument(
            "--rate",
            action="append",
            default=[],
            metavar="FROM:TO=RATE",
            help="conversion, from the deal upward: demo:deal=0.5 then call:demo=0.3",
        )
        p.add_argument(
            "--person", metavar="EMAIL", help="use this rep's history (e-mail or login name)"
        )
        p.add_argument("--per", choices=["month", "week", "day"], default="month")
        p.add_argument("--period", help="the month the goal is for (default: this month)")
        p.add_argument("--history-months", type=int, default=6)

        p = add("waterfall", "Step a target up gradually (M2).")
        p.add_argument("--from", dest="baseline", type=decimal_arg, required=True)
        p.add_argument("--to", dest="target", type=decimal_arg, required=True)
        how = p.add_mutually_exclusive_group(required=True)
        how.add_argument("--step", type=decimal_arg, help="fixed step")
        how.add_argument("--percent", type=decimal_arg, help="compounding percent step")
        how.add_argument("--steps", type=int, help="number of equal steps")
        p.add_argument("--every", choices=["week", "month"], default="week")
        p.add_argument("--start", type=dt.date.fromisoformat, help="first step (next period)")
        p.add_argument("--person", metavar="EMAIL", help="save the steps as this rep's goals")
        p.add_argument("--unit", metavar="NAME", help="save the steps as this unit's goals")
        p.add_argument("--metric", help="the metric the goals measure, e.g. emails_sent")

        p = add("cascade", "Annual target → monthly goals for every unit and rep (M1).")
        p.add_argument("--annual", type=decimal_arg, required=True)
        p.add_argument("--year", type=int, required=True, help="fiscal year (the year it ends)")
        p.add_argument(
            "--seasonality",
            type=seasonality_arg,
            default="learned",
            help="learned (from past revenue), flat, or a file of 12 weights",
        )
        p.add_argument(
            "--over-assign",
            type=decimal_arg,
            default=Decimal("1"),
            help="reps' quotas add up to this times their team's (e.g. 1.1)",
        )
        p.add_argument("--ramp", type=ramp_arg, help="percent by month of tenure: 0,25,50,75,100")
        p.add_argument("--drag", type=drag_arg, help="training drag per new hire, e.g. 10:2")
        p.add_argument("--name", help="scenario name (default FY<year>); saved as a new version")
        p.add_argument("--activate", action="store_true", help="make it the active plan")
        p.add_argument("--level", choices=["company", "unit", "team", "person", "seat"],
                       help="show only lines of this level")  # fmt: skip

        p = add("replan", "Re-plan mid-year: closed months at actuals, the rest re-spread.")
        p.add_argument("plan", metavar="NAME[@VERSION]")
        p.add_argument("--as-of", type=dt.date.fromisoformat, help="default: today")
        p.add_argument("--level", choices=["company", "unit", "team", "person", "seat"])

        p = add("stretch", "Stretch tiers (M7): the tier of a target, or offers to eligible reps.")
        p.add_argument("--target", type=decimal_arg, help="just compute the tier of this target")
        p.add_argument("--month", help="offer tiers on the reps' goals of this month (YYYY-MM)")
        p.add_argument("--unit", metavar="NAME", help="only reps in this unit and below")
        p.add_argument("--percent", type=decimal_arg, default=Decimal("125"))
        p.add_argument("--periods", type=int, default=3, help="months met in a row to qualify")
        p.add_argument("--save", action="store_true", help="create the eligible reps' tiers")

        p = add("show", "Print a stored plan's lines.")
        p.add_argument("plan", metavar="NAME[@VERSION]")
        p.add_argument("--level", choices=["company", "unit", "team", "person", "seat"])

        p = add("compare", "Two plans side by side, line by line.")
        p.add_argument("a", metavar="NAME_A[@V]")
        p.add_argument("b", metavar="NAME_B[@V]")
        p.add_argument("--changed", action="store_true", help="only lines that differ")

        add("list", "Stored plans and their status.")

        p = add("activate", "Make a plan active and write the goals it implies.")
        p.add_argument("plan", metavar="NAME[@VERSION]")

        p = add("import-workbook", "Read an edited plan workbook back as a new draft version.")
        p.add_argument("file", type=Path, metavar="FILE", help="the edited .xlsx workbook")
        p.add_argument("--dry-run", action="store_true", help="check and list changes only")
        p.add_argument("--max-bytes", type=int, help="refuse larger files")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "do_" + options["action"].replace("-", "_"))(options)
        except (ValueError, Plan.DoesNotExist) as error:
            raise CommandError(str(error)) from None

    def emit(self, options: dict, rows: list[dict], **kwargs: Any) -> None:
        self.stdout.write(render(rows, options["format"], **kwargs))

    # --- funnel -------------------------------------------------------------------------
    def do_funnel(self, options: dict) -> None:
        cal = work_calendar()
        today = today_in_org()
        period = planning.parse_period(options["period"], cal) if options["period"] else (
            planning.month_of(today)
        )  # fmt: skip
        rates = list(options["rate"])
        deal_size = options["deal_size"]
        blend_text = None
        if options["person"]:
            person = _person(options["person"])
            blended = funnel_history.blended_funnel(
                person, today, months=options["history_months"], given_rates=rates or None
            )
            rates = list(blended.rates)
            deal_size = deal_size or blended.deal_size
            blend_text = blended.explanation
        if not rates:
            raise ValueError("give --rate FROM:TO=RATE (from the deal upward) or --person EMAIL")
        if deal_size is None:
            raise ValueError("give --deal-size, or --person EMAIL to use their history")
        result = planning.reverse_funnel(
            options["revenue"], deal_size, rates, currency=currency_symbol()
        )
        per = options["per"]
        if per == "month":
            periods = 1
        elif per == "week":
            periods = len(planning.weeks_of(period, cal))
        else:
            periods = planning.working_day_count(period, cal)
            if periods == 0:
                raise ValueError(f"{period.label} has no working days")
        each = planning.per_period(result.needed, periods)
        conversions = [
            r if isinstance(r, planning.Conversion) else planning.parse_conversion(r) for r in rates
        ]
        document = {
            "needed": result.needed,
            "per": per,
            "periods": periods,
            "per_period": each,
            "period": period.label,
            "revenue": options["revenue"],
            "deal_size": Decimal(deal_size),
            "rates": [
                {"from": c.from_stage, "to": c.to_stage, "rate": c.rate} for c in conversions
            ],
            "explanation": list(result.explanation),
            "blend": blend_text,
        }
        rows = [
            {"stage": stage, "needed": n, f"per {per}": each[stage], "how": how}
            for (stage, n), how in zip(result.needed.items(), result.explanation, strict=True)
        ]
        title = f"{period.label}: {len(rows)} stages over {periods} {per}(s)"
        if blend_text:
            title += f" — rates from {blend_text}"
        self.emit(options, rows, document=document, title=title)

    # --- waterfall ----------------------------------------------------------------------
    def do_waterfall(self, options: dict) -> None:
        cal = work_calendar()
        start = options["start"]
        if start is None:
            today = today_in_org()
            if options["every"] == "week":
                start = planning.week_of(today, cal).end
            else:
                start = planning.month_of(today).end
        steps = planning.waterfall(
            options["baseline"],
            options["target"],
            step=options["step"],
            percent=options["percent"],
            steps=options["steps"],
            every=options["every"],
            start=start,
            cal=cal,
        )
        rows = [{"start": s.start, "end": s.end, "target": s.target} for s in steps]
        title = f"{len(rows)} {options['every']}ly steps from {options['baseline']}"
        assignee = options["person"] or options["unit"]
        if assignee:
            if not options["metric"]:
                raise ValueError("--metric is needed to save the steps as goals")
            person = _person(options["person"]) if options["person"] else None
            unit = _unit(options["unit"]) if options["unit"] else None
            waterfall_goals_create(
                metric=options["metric"], steps=steps, every=options["every"],
                person=person, unit=unit,
            )  # fmt: skip
            title += f", saved as {options['metric']} goals of {person or unit}"
        self.emit(
            options,
            rows,
            document={"baseline": options["baseline"], "steps": rows},
            title=title,
        )

    # --- cascade and stored plans -----------------------------------------------------
    def do_cascade(self, options: dict) -> None:
        plan = plan_create_cascade(
            name=options["name"] or f"FY{options['year']}",
            year=options["year"],
            annual_target=options["annual"],
            seasonality=options["seasonality"],
            ramp=options["ramp"],
            drag=options["drag"],
            over_assign=options["over_assign"],
        )
        if options["activate"]:
            plan_activate(plan=plan)
            plan.refresh_from_db()
        self.show_plan(plan, options)

    def do_replan(self, options: dict) -> None:
        plan = plan_replan(source=plan_by_label(options["plan"]), as_of=options["as_of"])
        self.show_plan(plan, options)

    def do_stretch(self, options: dict) -> None:
        if options["target"] is not None:
            tier = planning.stretch_target(options["target"], options["percent"])
            row = {"target": options["target"], "percent": options["percent"], "stretch": tier}
            self.emit(options, [row], document=row)
            return
        if not options["month"]:
            raise ValueError("give --target AMOUNT, or --month YYYY-MM to offer tiers to reps")
        month = planning.parse_period(options["month"], work_calendar())
        if month.kind != "month":
            raise ValueError(f"--month wants a month like 2026-12, got {options['month']!r}")
        people = None
        if options["unit"]:
            unit = _unit(options["unit"])
            people = [p.pk for p in members_on(subtree_ids([unit.pk]), month.start)]
        offers = stretch_offers(
            month=month.start,
            person_ids=people,
            percent=options["percent"],
            periods=options["periods"],
        )
        saved = stretch_goals_create(offers=offers) if options["save"] else 0
        rows = [
            {
                "person": o.goal.person.full_name,
                "goal": o.goal.target,
                "stretch": o.stretch,
                "eligible": "yes" if o.eligible else "no",
                "history": " ".join(f"{h}%" for h in o.history),
                "reason": o.reason,
            }
            for o in sorted(offers, key=lambda o: (not o.eligible, o.goal.person.full_name))
        ]
        title = f"Stretch tiers at {options['percent']} % for {month.label}: "
        title += f"{sum(o.eligible for o in offers)} of {len(offers)} reps qualify"
        if options["save"]:
            title += f"; {saved} tier goals saved"
        self.emit(options, rows, document={"month": month.label, "offers": rows}, title=title)

    def do_show(self, options: dict) -> None:
        self.show_plan(plan_by_label(options["plan"]), options)

    def show_plan(self, plan: Plan, options: dict) -> None:
        lines = plan.lines.select_related("unit", "person", "seat").order_by("month", "id")
        if options.get("level"):
            lines = lines.filter(level=options["level"])
        rows = [
            {
                "level": line.level,
                "unit": line.unit.name,
                "person": line.person.full_name if line.person else None,
                "seat": str(line.seat) if line.seat else None,
                "month": line.month.strftime("%Y-%m"),
                "target": line.target,
                "explanation": line.explanation,
            }
            for line in lines
        ]
        document = {
            "plan": {
                "name": plan.name,
                "version": plan.version,
                "status": plan.status,
                "fiscal_year": plan.fiscal_year,
                "annual_target": plan.annual_target,
                "inputs": plan.inputs,
            },
            "lines": rows,
        }
        self.emit(
            options,
            rows,
            document=document,
            columns=["level", "unit", "person", "month", "target", "explanation"],
            title=f"Plan {plan}",
        )

    def do_list(self, options: dict) -> None:
        plans = Plan.objects.annotate(n=Count("lines")).order_by("-fiscal_year", "name", "version")
        zone = OrgSettings.load().zone  # times are shown in the org's zone, as on the web
        rows = [
            {
                "name": p.name,
                "version": p.version,
                "status": p.status,
                "fiscal_year": p.fiscal_year,
                "annual_target": p.annual_target,
                "lines": p.n,
                "created_at": p.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            }
            for p in plans
        ]
        self.emit(options, rows, columns=list(rows[0]) if rows else ["name"], document={
            "plans": rows})  # fmt: skip

    def do_compare(self, options: dict) -> None:
        a, b = plan_by_label(options["a"]), plan_by_label(options["b"])
        diffs = plan_compare(a, b)
        if options["changed"]:
            diffs = [d for d in diffs if d.a != d.b]
        rows = [
            {
                "level": d.level,
                "unit": d.unit,
                "person": d.person,
                "month": d.month,
                a.label: d.a,
                b.label: d.b,
                "change": d.change,
            }
            for d in diffs
        ]
        self.emit(
            options,
            rows,
            columns=["level", "unit", "person", "month", a.label, b.label, "change"],
            document={"a": a.label, "b": b.label, "lines": rows},
            title=f"{a.label} vs {b.label}",
        )

    def do_activate(self, options: dict) -> None:
        plan = plan_by_label(options["plan"])
        counts = plan_activate(plan=plan)
        row = {"plan": plan.label, "status": "active", **counts}
        self.emit(options, [row], document=row)

    def do_import_workbook(self, options: dict) -> None:
        result = plan_workbook_import(
            options["file"], dry_run=options["dry_run"], max_bytes=options["max_bytes"]
        )
        if result.errors:
            rows = [e.as_dict() for e in result.errors]
            self.emit(options, rows, columns=["sheet", "row", "column", "value", "reason"],
                      document={"summary": result.summary(), "errors": rows},
                      title=result.summary())  # fmt: skip
            raise CommandError(f"nothing imported: {len(result.errors)} problem(s)")
        rows = [
            {"team": c.team, "rep": c.who, "month": c.month.strftime("%Y-%m"), "old": c.old,
             "new": c.new, "change": c.change}
            for c in result.changes
        ]  # fmt: skip
        document = {
            "summary": result.summary(),
            "source": result.source.label if result.source else None,
            "plan": result.plan.label if result.plan else None,
            "duplicate_of": result.duplicate_of.label if result.duplicate_of else None,
            "changes": rows,
        }
        columns = ["team", "rep", "month", "old", "new", "change"]
        self.emit(options, rows, columns=columns, document=document, title=result.summary())
