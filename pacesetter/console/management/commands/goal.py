"""``pacesetter goal show|set``: one goal, its version and history; its target changed.

pacesetter goal show 42
pacesetter goal set 42 --target 500 --reason "bigger territory" --based-on 3 --by mia

Like the web's "Change the target" form, a change names the version it is based on (the
one ``show`` printed): if the goal changed since, it is refused with what changed meanwhile.
A goal whose period has ended is frozen (see ``pacesetter period``). With ``--by``, the
change is recorded as that user's and allowed only where they may change goals (a manager
within their units, an admin everywhere).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.console.arguments import user_scope
from pacesetter.console.plan.arguments import decimal_arg
from pacesetter.goals.errors import GoalError
from pacesetter.goals.models import Goal
from pacesetter.goals.setting import goal_update
from pacesetter.tabular import FORMATS, render


class Command(BaseCommand):
    help = "Show a goal (its version and history), or change its target based on a version."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("show", help="a goal, its version and its history")
        p.add_argument("id", type=int)
        p.add_argument("--format", choices=FORMATS, default="table")
        p = sub.add_parser("set", help="change a goal's target, based on its version")
        p.add_argument("id", type=int)
        p.add_argument("--target", type=decimal_arg, required=True)
        p.add_argument("--reason", required=True, help="why (kept in the history)")
        p.add_argument(
            "--based-on", type=int, required=True, metavar="VERSION",
            help="the version you looked at (`goal show` prints it)",
        )  # fmt: skip
        p.add_argument("--priority", type=int, help="a new priority (default: as it is)")
        p.add_argument("--by", metavar="LOGIN", help="whose change it is")

    def handle(self, *args: Any, **options: Any) -> None:
        goal = Goal.objects.select_related("person", "unit").filter(pk=options["id"]).first()
        if goal is None:
            raise CommandError(f"no goal with id {options['id']}")
        if options["action"] == "show":
            self._show(goal, options["format"])
            return
        user, scope = user_scope(options["by"])
        if scope is not None and not scope.edits_goal(goal):
            raise CommandError(f"{options['by']} may not change this goal")
        try:
            goal_update(
                goal=goal,
                target=options["target"],
                priority=options["priority"] or goal.priority,
                reason=options["reason"],
                by=user,
                based_on=options["based_on"],
            )
        except GoalError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Goal {goal.pk}: target {goal.target}, now version {goal.version}.")

    def _show(self, goal: Goal, fmt: str) -> None:
        rows = [
            {
                "version": c.version,
                "at": c.changed_at.isoformat(timespec="seconds"),
                "by": c.changed_by.get_username() if c.changed_by else None,
                "old": c.old_target,
                "new": c.new_target,
                "reason": c.reason,
            }
            for c in goal.history.select_related("changed_by").order_by("changed_at", "id")
        ]
        who = goal.person or goal.unit
        title = (
            f"Goal {goal.pk}: {goal.metric} of {who}, {goal.period_start} to {goal.period_end}"
            f" — target {goal.target}, priority {goal.priority}, version {goal.version}"
        )
        document = {
            "id": goal.pk,
            "metric": goal.metric,
            "target": goal.target,
            "priority": goal.priority,
            "version": goal.version,
            "history": rows,
        }
        self.stdout.write(render(rows, fmt, document=document, title=title))
