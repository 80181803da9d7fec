"""Mentor suggestions (M8): for a struggling rep, colleagues who are strong exactly where the
rep is weak.

Over the last three whole months — whole months read the monthly rollups, so each metric
is one cheap query for everyone compared, whatever the org's size — five metrics of the
funnel are computed for the rep and their peers. The rep's weakest metrics are the ones
furthest below the peers' median, measured as a share of the median so that calls and a
close rate can be compared. Candidates are ranked by their strength on exactly those
metrics, each weighted by how far behind the rep is on it, and come with the reason a
manager can check: "close rate 38.0 % vs your 12.0 %".

Peers are the rep's own team when it has enough reps to make a median meaningful, else
every rep compared. Only people the caller may see are compared (``within``), so a
manager's suggestions never reveal another subtree's numbers.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from pacesetter.coaching.selectors import mentor_counts
from pacesetter.coaching.services import MAX_MENTORS
from pacesetter.explanations import english
from pacesetter.metrics.engine import Window, person_values
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, OrgSettings, Person, Role
from pacesetter.planning.calendar import add_months
from pacesetter.planning.explain import Explanation, Items, Term, joined
from pacesetter.presentation import currency_symbol, metric_value

# The funnel from first call to revenue; all of them higher-is-better.
COMPARED_METRICS = ("calls_made", "meetings_booked", "demos_held", "close_rate", "revenue_won")
LOOKBACK_MONTHS = 3
# The mentee works on this many weak spots at a time.
WEAKEST = 2
# A team median needs this many peers besides the mentee; smaller teams compare with all.
MIN_TEAM_PEERS = 3
# A mentor should know the job: at least this long with the company (unknown hire date: yes).
MIN_TENURE_MONTHS = 6
# Capacity: someone who already mentors this many people is not suggested again.
MAX_MENTEES = 2
HUNDRED = Decimal(100)


def _percent_of(value: Decimal | None, scale: Decimal) -> Decimal:
    if not value or not scale:
        return Decimal(0)
    return (value * HUNDRED / scale).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Comparison:
    """Where the mentee stands on one metric against the peers' median."""

    metric: Metric
    mentee: Decimal | None
    median: Decimal
    shortfall: Decimal | None  # (median − mentee) ÷ median; positive: below the median
    symbol: str = "$"

    def show(self, value: Decimal | None) -> str:
        return metric_value(value, self.metric.unit, self.symbol)

    @property
    def label(self) -> Term:
        """The metric inside a sentence: "close rate", "成交率"."""
        return Term("metric", self.metric.name, self.metric.label.lower())

    @property
    def mentee_text(self) -> str:
        return self.show(self.mentee)

    @property
    def median_text(self) -> str:
        return self.show(self.median)

    @property
    def text(self) -> Explanation:
        """ "close rate 12.0 % vs median 30.0 %"."""
        return Explanation(
            "mentor.comparison",
            {"metric": self.label, "mentee": self.mentee_text, "median": self.median_text},
        )

    @property
    def weak(self) -> bool:
        return self.shortfall is not None and self.shortfall > 0

    @property
    def scale(self) -> Decimal:
        # A quarter more than the larger of the two, so the median marker never sits on the
        # edge of the picture.
        return max(self.mentee or Decimal(0), self.median) * Decimal("1.25")

    @property
    def mentee_percent(self) -> Decimal:
        return _percent_of(self.mentee, self.scale)

    @property
    def median_percent(self) -> Decimal:
        return _percent_of(self.median, self.scale)


@dataclass(frozen=True)
class Strength:
    """A candidate above the median on one of the mentee's weak metrics."""

    weakness: Comparison
    value: Decimal

    @property
    def reason(self) -> Explanation:
        """ "close rate 38.0 % vs your 12.0 %"."""
        w = self.weakness
        return Explanation(
            "mentor.strength", {"metric": w.label, "value": self.value_text, "mine": w.mentee_text}
        )

    @property
    def value_text(self) -> str:
        return self.weakness.show(self.value)

    @property
    def scale(self) -> Decimal:
        return max(self.value, self.weakness.scale)

    @property
    def candidate_percent(self) -> Decimal:
        return _percent_of(self.value, self.scale)

    @property
    def mentee_percent(self) -> Decimal:
        return _percent_of(self.weakness.mentee, self.scale)

    @property
    def median_percent(self) -> Decimal:
        return _percent_of(self.weakness.median, self.scale)


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: Decimal
    strengths: tuple[Strength, ...]
    mentees: int  # how many people they mentor already

    @property
    def reason(self) -> Explanation:
        return joined([s.reason for s in self.strengths])

    @property
    def focus(self) -> str:
        """The reason as a mentorship's focus keeps it: in English (``explanations.read_stored``
        shows it in the reader's language)."""
        return english(self.reason)


@dataclass(frozen=True)
class Suggestion:
    mentee: Person
    window: Window
    peer_group: str | Explanation  # the team's name, or "all reps compared"
    peers: int
    comparisons: tuple[Comparison, ...]  # every metric with a median, in COMPARED_METRICS order
    weaknesses: tuple[Comparison, ...]  # the weakest first
    candidates: tuple[Candidate, ...]  # the best first
    mentors: tuple[Person, ...]  # the mentee's mentors today

    @property
    def full(self) -> bool:
        """The mentee has as many mentors as allowed: nobody more can be assigned."""
        return len(self.mentors) >= MAX_MENTORS

    @property
    def window_label(self) -> str:
        last = add_months(self.window.end, -1)
        return f"{self.window.start:%Y-%m} – {last:%Y-%m}"

    @property
    def weakness_text(self) -> Explanation:
        """ "close rate 10.0 % vs median 30.0 % and calls made 40 vs median 105"."""
        return Explanation("list", {"items": Items(tuple(w.text for w in self.weaknesses), "and")})


def comparison_window(today: dt.date) -> Window:
    """The last ``LOOKBACK_MONTHS`` whole months before ``today``'s month."""
    this_month = today.replace(day=1)
    return Window(add_months(this_month, -LOOKBACK_MONTHS), this_month)


def _active_reps(today: dt.date, within: Iterable[int] | None) -> list[Person]:
    reps = Person.objects.filter(
        Q(hire_date__isnull=True) | Q(hire_date__lte=today),
        Q(leave_date__isnull=True) | Q(leave_date__gte=today),
        roles__kind=Role.Kind.REP,
    )
    if within is not None:
        reps = reps.filter(pk__in=list(within))
    return list(reps.order_by("full_name", "pk"))


def weakest(comparisons: Iterable[Comparison], n: int = WEAKEST) -> tuple[Comparison, ...]:
    """The ``n`` metrics the mentee is furthest below the median on (ties: metric order)."""
    weak = [c for c in comparisons if c.weak]
    order = {name: i for i, name in enumerate(COMPARED_METRICS)}
    weak.sort(key=lambda c: (-(c.shortfall or 0), order.get(c.metric.name, len(order))))
    return tuple(weak[:n])


def strength_score(weaknesses: Iterable[Comparison], values: dict[str, Decimal | None]) -> Decimal:
    """Σ over the weak metrics of (how far behind the mentee is) × (candidate ÷ median):
    a candidate twice the median on the mentee's worst metric beats one twice the median
    on a metric the mentee is only a little behind on."""
    score = Decimal(0)
    for w in weaknesses:
        value = values.get(w.metric.name) or Decimal(0)
        score += (w.shortfall or Decimal(0)) * value / w.median
    return score.quantize(Decimal("0.001"))


def mentor_suggestions(
    mentee: Person,
    today: dt.date,
    *,
    within: Iterable[int] | None = None,
    limit: int = 5,
) -> Suggestion:
    """Who could mentor ``mentee``: reps (other than the mentee and their mentors) with six
    months' tenure, not already mentoring ``MAX_MENTEES`` people, strong on the mentee's
    weakest metrics — compared among ``within`` (person ids the caller may see; None: all).

    A fixed number of queries: one per compared metric, plus the org, the reps, the team and
    the mentor roles.
    """
    window = comparison_window(today)
    org = OrgSettings.load()
    pool = [p for p in _active_reps(today, within) if p.pk != mentee.pk]
    team, team_ids = _team_of(mentee, today)
    metrics = {m.name: m for m in Metric.objects.filter(name__in=COMPARED_METRICS)}
    ids = [p.pk for p in pool] + [mentee.pk]
    values = {
        name: person_values(metrics[name], window, ids, as_of=today, zone=org.zone)
        for name in COMPARED_METRICS
        if name in metrics
    }
    group, group_name = _peer_group(pool, team, team_ids, window)
    comparisons = _comparisons(mentee, group, values, metrics, currency_symbol(org.currency))
    weaknesses = weakest(comparisons)
    mentors = tuple(
        Person.objects.filter(roles__kind=Role.Kind.MENTOR, roles__mentee=mentee).order_by(
            "full_name"
        )
    )
    candidates = _candidates(_eligible(pool, mentors, today), weaknesses, values)
    return Suggestion(
        mentee=mentee,
        window=window,
        peer_group=group_name,
        peers=len(group),
        comparisons=tuple(comparisons),
        weaknesses=weaknesses,
        candidates=tuple(candidates[:limit]),
        mentors=mentors,
    )


Values = dict[str, dict[int, Decimal | None]]  # metric name → person id → value


def _team_of(mentee: Person, today: dt.date) -> tuple[Membership | None, set[int]]:
    """The mentee's team membership today, and who is in that team."""
    team = Membership.objects.filter(person=mentee).on(today).select_related("unit").first()
    team_ids = (
        set(
            Membership.objects.filter(unit_id=team.unit_id)
            .on(today)
            .values_list("person_id", flat=True)
        )
        if team
        else set()
    )
    return team, team_ids


def _peer_group(
    pool: list[Person], team: Membership | None, team_ids: set[int], window: Window
) -> tuple[list[Person], str | Explanation]:
    """Whom the mentee is compared with, and how they are named: the team when it has
    enough peers, else every rep."""
    # The median is taken over peers who worked the whole window: a hire of last month
    # would drag it down and flatter everyone.
    peers = [p for p in pool if p.hire_date is None or p.hire_date <= window.start]
    team_peers = [p for p in peers if p.pk in team_ids]
    if team and len(team_peers) >= MIN_TEAM_PEERS:
        return team_peers, team.unit.name
    return peers, Explanation("mentor.all_reps")


def _comparisons(
    mentee: Person,
    group: list[Person],
    values: Values,
    metrics: dict[str, Metric],
    symbol: str,
) -> list[Comparison]:
    """The mentee against the group's median on every metric the group has values for."""
    comparisons = []
    for name, by_person in values.items():
        known = [v for p in group if (v := by_person.get(p.pk)) is not None]
        if not known:
            continue
        median = Decimal(statistics.median(known))
        mine = by_person.get(mentee.pk)
        shortfall = None
        if mine is not None and median > 0:
            shortfall = ((median - mine) / median).quantize(Decimal("0.001"))
        comparisons.append(Comparison(metrics[name], mine, median, shortfall, symbol))
    return comparisons


def _eligible(pool: list[Person], mentors: tuple[Person, ...], today: dt.date) -> list[Person]:
    """Reps who could mentor: tenured, and not the mentee's mentors already."""
    mentor_ids = {m.pk for m in mentors}
    tenured = add_months(today, -MIN_TENURE_MONTHS)
    return [
        p
        for p in pool
        if p.pk not in mentor_ids and (p.hire_date is None or p.hire_date <= tenured)
    ]


def _candidates(
    eligible: list[Person], weaknesses: tuple[Comparison, ...], values: Values
) -> list[Candidate]:
    """The eligible reps with room for a mentee who are above the median on at least one of
    the mentee's weak metrics, the strongest first."""
    load = mentor_counts(p.pk for p in eligible) if weaknesses else {}
    candidates = []
    for person in eligible:
        if not weaknesses or load.get(person.pk, 0) >= MAX_MENTEES:
            continue
        theirs = {name: by_person.get(person.pk) for name, by_person in values.items()}
        strengths = tuple(
            Strength(w, value)
            for w in weaknesses
            if (value := theirs.get(w.metric.name)) is not None and value > w.median
        )
        if strengths:
            score = strength_score(weaknesses, theirs)
            candidates.append(Candidate(person, score, strengths, load.get(person.pk, 0)))
    candidates.sort(key=lambda c: (-c.score, c.person.full_name, c.person.pk))
    return candidates
