"""``pacesetter metric NAME --period P``: a metric's value for every person or unit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter import planning
from pacesetter.metrics.engine import Window, person_values, unit_values
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person, Role, Unit
from pacesetter.org.selectors import today_in_org, work_calendar
from pacesetter.tabular import FORMATS, render


class Command(BaseCommand):
    help = (
        "A metric's value for every rep (or unit) in a period, e.g. revenue_won --period 2026-Q3."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="metric name, e.g. revenue_won (see the admin)")
        parser.add_argument("--period", required=True, help="2017, 2017-Q3, 2017-05 or 2017-W14")
        parser.add_argument("--by", choices=["person", "unit"], default="person")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        metric = Metric.objects.filter(name=options["name"]).first()
        if metric is None:
            names = ", ".join(Metric.objects.values_list("name", flat=True))
            raise CommandError(f"no metric {options['name']!r}; known metrics: {names}")
        try:
            period = planning.parse_period(options["period"], work_calendar())
        except ValueError as error:
            raise CommandError(str(error)) from None
        window = Window(period.start, period.end)
        today = today_in_org()
        if options["by"] == "person":
            reps = Person.objects.filter(roles__kind=Role.Kind.REP).order_by("full_name")
            values = person_values(metric, window, [p.pk for p in reps], as_of=today)
            rows = [{"person": p.full_name, "email": p.email, "value": values[p.pk]} for p in reps]
        else:
            units = list(Unit.objects.order_by("name"))
            values = unit_values(metric, window, [u.pk for u in units], as_of=today)
            rows = [{"unit": u.name, "kind": u.kind, "value": values[u.pk]} for u in units]
        self.stdout.write(
            render(
                rows,
                options["format"],
                title=f"{metric.name} ({metric.get_unit_display().lower()}) for {period.label}",
            )
        )
