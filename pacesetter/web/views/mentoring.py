"""The Mentoring page (M8): one page, three views of the same relationships.

* A **mentor** sees each mentee's development goals with progress bars, logs a mentoring
  check-in (own mentees only) and agrees development goals; the credit their scorecard
  gets from the mentees' progress this month is shown on top.
* A **manager** (or admin) sees the mentoring pairs in their subtree — how often each pair
  met, not what was said — picks a person and gets suggested mentors (reps strong where the
  person is weak) with an assign button, and ends a mentoring.
* A **rep** sees their own mentors and the notes their mentors wrote about them.

Every POST checks the scope first: a mentee who is not the mentor's is 404, a page action
for another role is 403.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pacesetter import planning
from pacesetter.coaching.models import MentoringCheckIn
from pacesetter.coaching.selectors import (
    MenteeCredit,
    MentoringActivity,
    MentorLink,
    mentee_credit,
    mentor_links,
    mentoring_activity,
    mentoring_checkins,
)
from pacesetter.coaching.services import (
    MentorError,
    development_goal_create,
    mentor_assign,
    mentor_end,
    mentoring_checkin_record,
)
from pacesetter.coaching.suggestions import Suggestion, mentor_suggestions
from pacesetter.explanations import message_of
from pacesetter.goals.access import Scope
from pacesetter.goals.errors import GoalError
from pacesetter.goals.models import Goal
from pacesetter.metrics.engine import Window
from pacesetter.org.models import Person, Role
from pacesetter.org.selectors import work_calendar
from pacesetter.tracking.progress import goal_progress
from pacesetter.tracking.selectors import goals_overlapping
from pacesetter.web.access import managers_only, scoped
from pacesetter.web.cards import GoalCard, cards_for
from pacesetter.web.forms.common import MAX_TARGET, choice_field, metric_choices
from pacesetter.web.requests import ScopedRequest
from pacesetter.web.views.rendering import page_or_fragment

NOTES_PER_MENTEE = 5


# --- forms: the typed boundary of each POST -------------------------------------------------


class MentoringCheckInForm(forms.Form):
    mentee = forms.TypedChoiceField(label=gettext_lazy("Mentee"), coerce=int)
    met_on = forms.DateField(label=gettext_lazy("We met on"))
    notes = forms.CharField(
        label=gettext_lazy("What we talked about"),
        max_length=4000,
        widget=forms.Textarea({"rows": 3}),
    )
    next_steps = forms.CharField(
        label=gettext_lazy("Next steps"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args: Any, mentees: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "mentee").choices = mentees


class DevelopmentGoalForm(forms.Form):
    mentee = forms.TypedChoiceField(label=gettext_lazy("For"), coerce=int)
    metric = forms.ChoiceField(label=gettext_lazy("Metric"))
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=12,
        help_text=gettext_lazy("e.g. 2026-12, 2026-W49 or 2026-Q1"),
    )
    target = forms.DecimalField(label=gettext_lazy("Target"), min_value=0, max_value=MAX_TARGET)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, mentees: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "mentee").choices = mentees
        choice_field(self, "metric").choices = metric_choices()

    def clean_period(self) -> planning.Period:
        try:
            return planning.parse_period(self.cleaned_data["period"], work_calendar())
        except ValueError as error:
            raise forms.ValidationError(message_of(error)) from None


class PairForm(forms.Form):
    """A mentor and a mentee, by id (the assign and end buttons)."""

    mentor = forms.IntegerField()
    mentee = forms.IntegerField()
    focus = forms.CharField(max_length=300, required=False)


# --- the page ---------------------------------------------------------------------------


@dataclass
class MenteePanel:
    link: MentorLink
    credit: MenteeCredit
    cards: list[GoalCard]
    notes: list[MentoringCheckIn]


@dataclass
class PairRow:
    link: MentorLink
    activity: MentoringActivity
    can_end: bool


@dataclass
class MentoringPage:
    today: dt.date
    month: planning.Period
    mentees: list[MenteePanel] = field(default_factory=list)
    credit_met: int = 0
    credit_total: int = 0
    my_mentors: list[MentorLink] = field(default_factory=list)
    notes_about_me: list[MentoringCheckIn] = field(default_factory=list)
    my_development: list[GoalCard] = field(default_factory=list)
    pairs: list[PairRow] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)  # whom a manager may find mentors for
    chosen: Person | None = None
    suggestion: Suggestion | None = None

    @property
    def credit_percent(self) -> Decimal | None:
        if not self.credit_total:
            return None
        return (Decimal(self.credit_met) * 100 / self.credit_total).quantize(Decimal("0.1"))


def _mentor_panels(scope: Scope, page: MentoringPage) -> None:
    """A mentor's mentees: development goals this month (the scorecard credit) and notes."""
    me = scope.person
    assert me is not None
    cal = work_calendar()
    links = [link for link in mentor_links(mentor_ids=[me.pk]) if link.mentor.pk == me.pk]
    credits = {
        c.mentee.pk: c
        for c in mentee_credit(me.pk, Window(page.month.start, page.month.end), page.today)
    }
    notes: dict[int, list[MentoringCheckIn]] = defaultdict(list)
    for note in mentoring_checkins(mentee_ids=scope.mentee_ids, mentor_id=me.pk, limit=200):
        if len(notes[note.mentee_id]) < NOTES_PER_MENTEE:
            notes[note.mentee_id].append(note)
    for link in links:
        credit = credits.get(link.mentee.pk) or MenteeCredit(link.mentee, (), 0)
        cards = cards_for(list(credit.goals), cal)
        page.mentees.append(MenteePanel(link, credit, cards, notes[link.mentee.pk]))
    page.credit_met = sum(c.met for c in credits.values())
    page.credit_total = sum(c.total for c in credits.values())


def _mentee_view(me: Person, page: MentoringPage) -> None:
    """A rep's own mentors, what they wrote, and the development goals agreed this month."""
    page.my_mentors = [link for link in mentor_links(mentee_ids=[me.pk]) if link.mentee == me]
    page.notes_about_me = mentoring_checkins(mentee_ids=[me.pk], limit=30)
    goals = goals_overlapping(page.month.start, page.month.end, person_ids=[me.pk]).filter(
        kind=Goal.Kind.DEVELOPMENT
    )
    if page.my_mentors or page.notes_about_me:
        page.my_development = cards_for(goal_progress(list(goals), page.today), work_calendar())


def _manager_view(scope: Scope, page: MentoringPage, chosen: Person | None) -> None:
    """The mentoring pairs in the manager's subtree, and suggestions for one person."""
    if scope.is_admin:
        links = mentor_links()
    else:
        links = mentor_links(mentee_ids=scope.person_ids, mentor_ids=scope.person_ids)
    activity = mentoring_activity((link.mentor.pk, link.mentee.pk) for link in links)
    page.pairs = [
        PairRow(
            link, activity[(link.mentor.pk, link.mentee.pk)], scope.edits_person(link.mentee.pk)
        )
        for link in links
    ]
    reps = Role.objects.filter(kind=Role.Kind.REP).values("person_id")
    page.people = list(scope.editable_people().filter(pk__in=reps).order_by("full_name"))
    if chosen is not None:
        page.chosen = chosen
        within = None if scope.is_admin else scope.person_ids
        page.suggestion = mentor_suggestions(chosen, page.today, within=within)


def _chosen(request: ScopedRequest) -> Person | None:
    """The person a manager asks suggestions for (``?person=ID``): 403 for a page of
    another role, 404 for someone outside the subtree."""
    raw = request.GET.get("person", "")
    if not raw:
        return None
    scope: Scope = request.scope
    if not scope.is_manager:
        raise PermissionDenied
    if not raw.isdigit() or not scope.edits_person(int(raw)):
        raise Http404
    person = Person.objects.filter(pk=int(raw)).first()
    if person is None:
        raise Http404
    return person


def mentoring_page(scope: Scope, today: dt.date, chosen: Person | None = None) -> MentoringPage:
    """What ``scope`` sees on the Mentoring page on ``today``."""
    page = MentoringPage(today=today, month=planning.month_of(today))
    if scope.person is not None:
        if scope.mentee_ids:
            _mentor_panels(scope, page)
        _mentee_view(scope.person, page)
    if scope.is_manager:
        _manager_view(scope, page, chosen)
    return page


def _mentee_choices(page: MentoringPage) -> list[tuple[int, str]]:
    return [(p.link.mentee.pk, p.link.mentee.full_name) for p in page.mentees]


def _render(
    request: ScopedRequest,
    page: MentoringPage,
    *,
    checkin_form: MentoringCheckInForm | None = None,
    goal_form: DevelopmentGoalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    mentees = _mentee_choices(page)
    if mentees and checkin_form is None:
        checkin_form = MentoringCheckInForm(mentees=mentees, initial={"met_on": page.today})
    if mentees and goal_form is None:
        initial = {"metric": "pd_events", "period": page.month.label, "target": 1}
        goal_form = DevelopmentGoalForm(mentees=mentees, initial=initial)
    chosen_goal_form = None
    if page.chosen is not None:  # a manager may set the chosen person's development goal
        initial = {"mentee": page.chosen.pk, "metric": "pd_events", "period": page.month.label}
        chosen_goal_form = DevelopmentGoalForm(
            mentees=[(page.chosen.pk, page.chosen.full_name)], initial={**initial, "target": 1}
        )
    context = {
        "page": page,
        "scope": request.scope,
        "checkin_form": checkin_form,
        "goal_form": goal_form,
        "chosen_goal_form": chosen_goal_form,
    }
    return page_or_fragment(
        request, "web/mentoring.html", "web/mentoring_suggestions.html", context, status
    )


@require_GET
@scoped
def mentoring(request: ScopedRequest) -> HttpResponse:
    page = mentoring_page(request.scope, request.today, _chosen(request))
    return _render(request, page)


def _back(anchor: str = "", person: int | None = None) -> HttpResponse:
    url = reverse("mentoring") + (f"?person={person}" if person else "")
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _posted_id(request: HttpRequest, name: str) -> int:
    raw = request.POST.get(name, "")
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@scoped
def mentoring_checkin(request: ScopedRequest) -> HttpResponse:
    """A mentor logs a conversation with one of their own mentees."""
    scope: Scope = request.scope
    if scope.person is None or not scope.mentee_ids:
        raise PermissionDenied
    if _posted_id(request, "mentee") not in scope.mentee_ids:
        raise Http404
    page = mentoring_page(scope, request.today)
    form = MentoringCheckInForm(request.POST, mentees=_mentee_choices(page))
    if not form.is_valid():
        return _render(request, page, checkin_form=form)
    d = form.cleaned_data
    mentee = Person.objects.get(pk=d["mentee"])
    try:
        mentoring_checkin_record(
            mentor=scope.person,
            mentee=mentee,
            met_on=d["met_on"],
            notes=d["notes"],
            next_steps=d["next_steps"],
            today=request.today,
            by=request.user,
        )
    except MentorError as error:
        form.add_error(None, str(error))
        return _render(request, page, checkin_form=form)
    messages.success(request, _("The check-in is saved; %(name)s can read it.") % {"name": mentee})
    return _back(f"mentee-{mentee.pk}")


@require_POST
@scoped
def mentoring_goal(request: ScopedRequest) -> HttpResponse:
    """A development goal agreed by a mentor with their mentee, or set by the mentee's
    manager (or an admin)."""
    scope: Scope = request.scope
    if not scope.mentee_ids and not scope.is_manager:
        raise PermissionDenied
    mentee_id = _posted_id(request, "mentee")
    as_mentor = mentee_id in scope.mentee_ids
    if not as_mentor and not scope.edits_person(mentee_id):
        raise Http404
    mentee = Person.objects.filter(pk=mentee_id).first()
    if mentee is None:
        raise Http404
    form = DevelopmentGoalForm(request.POST, mentees=[(mentee.pk, mentee.full_name)])
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back(person=None if as_mentor else mentee.pk)
    d = form.cleaned_data
    try:
        development_goal_create(
            mentee=mentee,
            metric=d["metric"],
            period=d["period"],
            target=d["target"],
            mentor=scope.person if as_mentor else None,
            note=d["note"],
            on=request.today,
            by=request.user,
        )
    except (MentorError, GoalError) as error:  # GoalError: a goal of an ended period
        messages.error(request, str(error))
    else:
        messages.success(request, _("The development goal of %(name)s is set.") % {"name": mentee})
    return _back(f"mentee-{mentee.pk}") if as_mentor else _back(person=mentee.pk)


def _pair(request: ScopedRequest, *, mentor_in_scope: bool) -> tuple[Person, Person, PairForm]:
    """The posted mentor and mentee, both of them people this manager may act on."""
    scope: Scope = request.scope
    form = PairForm(request.POST)
    if not form.is_valid():
        raise Http404
    mentor_id, mentee_id = form.cleaned_data["mentor"], form.cleaned_data["mentee"]
    if not scope.edits_person(mentee_id):
        raise Http404
    if mentor_in_scope and not scope.sees_person(mentor_id):
        raise Http404
    people = Person.objects.in_bulk([mentor_id, mentee_id])
    if mentor_id not in people or mentee_id not in people:
        raise Http404
    return people[mentor_id], people[mentee_id], form


@require_POST
@managers_only
def mentoring_assign(request: ScopedRequest) -> HttpResponse:
    """A manager makes someone in their subtree the mentor of someone in their subtree."""
    mentor, mentee, form = _pair(request, mentor_in_scope=True)
    try:
        mentor_assign(
            mentor=mentor,
            mentee=mentee,
            on=request.today,
            focus=form.cleaned_data["focus"],
            by=request.user,
        )
    except MentorError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(mentor)s now mentors %(mentee)s.") % {"mentor": mentor, "mentee": mentee}
        )
    return _back(person=mentee.pk)


@require_POST
@managers_only
def mentoring_end(request: ScopedRequest) -> HttpResponse:
    """A manager ends the mentoring of someone in their subtree (whoever the mentor is)."""
    mentor, mentee, _form = _pair(request, mentor_in_scope=False)
    try:
        mentor_end(mentor=mentor, mentee=mentee, on=request.today, by=request.user)
    except MentorError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(mentor)s no longer mentors %(mentee)s.") % {"mentor": mentor, "mentee": mentee},
        )
    return _back("pairs")
