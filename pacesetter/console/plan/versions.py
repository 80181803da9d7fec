"""Stored plans for ``pacesetter plan``: the annual cascade, re-plans, versions listed, shown
and compared, activation, and an edited plan workbook read back as a new draft."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from pacesetter.console.arguments import admin_named
from pacesetter.console.plan import Table
from pacesetter.goals.activation import ACTIONS
from pacesetter.goals.models import Plan
from pacesetter.goals.selectors import plan_by_label, plan_compare
from pacesetter.goals.services import (
    CascadeOptions,
    plan_activate,
    plan_activation_preview,
    plan_create_cascade,
    plan_replan,
)
from pacesetter.org.models import OrgSettings
from pacesetter.workbook import plan_workbook_import


def cascade(options: dict[str, Any]) -> Table:
    """A new plan version from the annual target (activated with ``--activate``)."""
    plan = plan_create_cascade(
        name=options["name"] or f"FY{options['year']}",
        year=options["year"],
        annual_target=options["annual"],
        options=CascadeOptions(
            seasonality=options["seasonality"],
            ramp=options["ramp"],
            drag=options["drag"],
            over_assign=options["over_assign"],
        ),
    )
    if options["activate"]:  # a new plan: activating it was asked for with the cascade
        plan_activate(plan=plan, by=admin_named(options.get("by")))
        plan.refresh_from_db()
    return plan_table(plan, options.get("level"))


def replan(options: dict[str, Any]) -> Table:
    plan = plan_replan(source=plan_by_label(options["plan"]), as_of=options["as_of"])
    return plan_table(plan, options.get("level"))


def show(options: dict[str, Any]) -> Table:
    return plan_table(plan_by_label(options["plan"]), options.get("level"))


def plan_table(plan: Plan, level: str | None = None) -> Table:
    """A plan's lines (of one ``level``, if given), month by month."""
    lines = plan.lines.select_related("unit", "person", "seat").order_by("month", "id")
    if level:
        lines = lines.filter(level=level)
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
    columns = ["level", "unit", "person", "month", "target", "explanation"]
    return Table(rows, document, f"Plan {plan}", columns)


def listing(options: dict[str, Any]) -> Table:
    """Every stored plan version and its status."""
    del options  # nothing to choose
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
    return Table(rows, {"plans": rows}, columns=list(rows[0]) if rows else ["name"])


def compare(options: dict[str, Any]) -> Table:
    """Two plans line by line (``--changed``: only the lines that differ)."""
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
    return Table(
        rows,
        {"a": a.label, "b": b.label, "lines": rows},
        f"{a.label} vs {b.label}",
        ["level", "unit", "person", "month", a.label, b.label, "change"],
    )


def activate(options: dict[str, Any]) -> Table:
    """What activating the plan does to each month's goals; with ``--yes``, activate it.
    Goals of closed months are kept unless an admin re-opened the month
    (``pacesetter period reopen``)."""
    plan = plan_by_label(options["plan"])
    by = admin_named(options.get("by"))
    preview = plan_activation_preview(plan=plan)
    rows = [
        {
            "month": m.month.strftime("%Y-%m"),
            "month_is": "re-opened" if m.reopened else "closed" if m.closed else "open",
            **m.counts,
        }
        for m in preview.months
    ]
    columns = ["month", "month_is", *ACTIONS]
    totals = preview.totals
    summary = ", ".join(f"{n} {action.replace('_', ' ')}" for action, n in totals.items())
    if not options.get("yes"):  # a preview, like a dry run: nothing is written
        document = {"plan": plan.label, "activated": False, "totals": totals, "months": rows}
        title = (
            f"Activating {plan.label} would: {summary}. Nothing activated yet: run again "
            "with --yes to activate it as previewed."
        )
        return Table(rows, document, title, columns)
    counts = plan_activate(plan=plan, by=by, confirmed=preview.fingerprint)
    summary = ", ".join(f"{n} {action.replace('_', ' ')}" for action, n in counts.items())
    document = {"plan": plan.label, "activated": True, "totals": counts, "months": rows}
    return Table(rows, document, f"{plan.label} is active: {summary}", columns)


def import_workbook(options: dict[str, Any]) -> Table:
    """An edited plan workbook as a new draft version: its changes, or its problems."""
    result = plan_workbook_import(
        options["file"], dry_run=options["dry_run"], max_bytes=options["max_bytes"]
    )
    if result.errors:
        rows = [e.as_dict() for e in result.errors]
        return Table(
            rows,
            {"summary": result.summary(), "errors": rows},
            result.summary(),
            ["sheet", "row", "column", "value", "reason"],
            error=f"nothing imported: {len(result.errors)} problem(s)",
        )
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
    return Table(rows, document, result.summary(), columns)
