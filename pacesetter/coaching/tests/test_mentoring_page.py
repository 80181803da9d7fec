"""The Mentoring page: a mentor's mentees with their development goals and the check-in
form; a mentee's mentors and notes; a manager's pairs and suggestions with assign buttons.
Dated around the real today, like the other page tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pacesetter import planning
from pacesetter.coaching.models import MentoringCheckIn
from pacesetter.coaching.services import (
    development_goal_create,
    mentor_assign,
    mentoring_checkin_record,
)
from pacesetter.coaching.tests.conftest import strong_where_weak
from pacesetter.conftest import PASSWORD, make_person
from pacesetter.goals.models import Goal
from pacesetter.org.models import Role
from pacesetter.org.selectors import today_in_org


@pytest.fixture
def page_org(mentor_org):
    """Charlie mentors Bob since today, with a development goal this month and a note;
    Bob also has a revenue goal, which is not his mentor's business."""
    o = mentor_org
    today = today_in_org()
    month = planning.month_of(today)
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=today, focus="close rate")
    o.development = development_goal_create(
        mentee=o.bob,
        metric="pd_events",
        period=month,
        target=Decimal(1),
        mentor=o.charlie,
        on=today,
    )
    o.revenue = Goal.objects.create(
        metric="revenue_won",
        person=o.bob,
        period_kind="month",
        period_start=month.start,
        period_end=month.end,
        target=Decimal(5000),
    )
    mentoring_checkin_record(
        mentor=o.charlie,
        mentee=o.bob,
        met_on=today,
        notes="Talked about the pricing objection",
        next_steps="Role-play it on Friday",
        today=today,
    )
    o.today = today
    return o


def _get(client, who: str, **params) -> str:
    assert client.login(username=who, password=PASSWORD)
    response = client.get(reverse("mentoring"), params)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_the_mentor_sees_the_mentees_development_goal_not_the_revenue_goal(client, page_org):
    page = _get(client, "charlie")
    mentees = _section(page, "my-mentees")
    assert "Bob Brown" in mentees and "close rate" in mentees
    assert f'id="goal-{page_org.development.pk}"' in mentees
    assert f'id="goal-{page_org.revenue.pk}"' not in page
    assert "Talked about the pricing objection" in mentees
    assert "Mentoring credit: 0 of 1 development goals met" in page
    assert 'id="mentoring-checkin-form"' in page and 'id="development-goal-form"' in page
    assert 'id="pairs"' not in page  # not a manager


def test_the_mentor_logs_a_check_in_for_their_mentee(client, page_org):
    client.login(username="charlie", password=PASSWORD)
    data = {
        "mentee": page_org.bob.pk,
        "met_on": page_org.today.isoformat(),
        "notes": "Reviewed two lost deals",
        "next_steps": "Call them back",
    }
    response = client.post(reverse("mentoring_checkin"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring") + f"#mentee-{page_org.bob.pk}"
    note = MentoringCheckIn.objects.get(notes="Reviewed two lost deals")
    assert (note.mentor, note.mentee, note.created_by) == (
        page_org.charlie,
        page_org.bob,
        page_org.charlie.user,
    )


def test_a_check_in_for_someone_elses_mentee_is_refused(client, page_org):
    data = {"mentee": page_org.alice.pk, "met_on": page_org.today.isoformat(), "notes": "x"}
    client.login(username="charlie", password=PASSWORD)
    assert client.post(reverse("mentoring_checkin"), data).status_code == 404
    client.login(username="alice", password=PASSWORD)  # mentors nobody
    assert client.post(reverse("mentoring_checkin"), data).status_code == 403
    assert MentoringCheckIn.objects.count() == 1


def test_a_bad_check_in_shows_the_form_again_with_the_reason(client, page_org):
    client.login(username="charlie", password=PASSWORD)
    data = {"mentee": page_org.bob.pk, "met_on": "2999-01-01", "notes": "From the future"}
    response = client.post(reverse("mentoring_checkin"), data)
    assert response.status_code == 200
    assert "2999-01-01 is in the future" in response.content.decode()
    assert MentoringCheckIn.objects.count() == 1


def test_the_mentor_agrees_a_development_goal(client, page_org):
    client.login(username="charlie", password=PASSWORD)
    next_month = planning.month_of(page_org.development.period_end)
    data = {"mentee": page_org.bob.pk, "metric": "pd_events", "period": next_month.label,
            "target": "2", "note": "two events"}  # fmt: skip
    assert client.post(reverse("mentoring_goal"), data).status_code == 302
    goal = Goal.objects.get(person=page_org.bob, period_start=next_month.start)
    assert (goal.kind, goal.target, goal.agreement.mentor) == (
        "development",
        Decimal(2),
        page_org.charlie,
    )


def test_the_mentee_reads_their_mentors_and_notes(client, page_org):
    mine = _section(_get(client, "bob"), "my-mentors")
    assert "Charlie Chen" in mine and "close rate" in mine
    assert "Talked about the pricing objection" in mine and "Role-play it on Friday" in mine
    assert f'id="goal-{page_org.development.pk}"' in mine


def test_a_rep_without_mentors_or_mentees_is_told_so(client, page_org):
    page = _get(client, "alice")
    assert "You have no mentor at the moment" in page
    assert "pricing objection" not in page and 'id="suggestions"' not in page


def test_the_manager_sees_pairs_but_not_what_was_said(client, page_org):
    pairs = _section(_get(client, "mia"), "pairs")
    assert "Bob Brown" in pairs and "Charlie Chen" in pairs
    assert "pricing objection" not in pairs
    assert reverse("mentoring_end") in pairs


def test_the_manager_gets_suggestions_from_their_own_teams_only(client, page_org):
    strong_where_weak(page_org, page_org.today)
    Role.objects.filter(kind=Role.Kind.MENTOR).delete()
    found = _section(_get(client, "mia", person=page_org.bob.pk), "find")
    assert "Evan Evans" in found and "calls made 120 vs your 40" in found
    assert "Charlie Chen" not in found and "Dana Diaz" not in found  # Team Beta
    assert reverse("mentoring_assign") in found
    assert "mentors 0 people" not in found  # nobody mentors anyone yet: nothing to say
    # Rhea manages both teams: Charlie, strong on Bob's close rate, comes first.
    found = _section(_get(client, "rhea", person=page_org.bob.pk), "find")
    assert found.index("Charlie Chen") < found.index("Evan Evans")
    assert "close rate 40.0 % vs your 10.0 %" in found


def test_htmx_asks_for_the_suggestions_alone(client, page_org):
    client.login(username="mia", password=PASSWORD)
    response = client.get(
        reverse("mentoring"), {"person": page_org.bob.pk}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="suggestions">')
    assert "<html" not in body


def test_suggestions_for_someone_outside_the_subtree_are_refused(client, page_org):
    client.login(username="mia", password=PASSWORD)
    assert client.get(reverse("mentoring"), {"person": page_org.charlie.pk}).status_code == 404
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("mentoring"), {"person": page_org.bob.pk}).status_code == 403


def test_a_manager_assigns_within_the_subtree_and_ends(client, page_org):
    o = page_org
    client.login(username="mia", password=PASSWORD)
    pair = {"mentor": o.evan.pk, "mentee": o.bob.pk, "focus": "calls"}
    response = client.post(reverse("mentoring_assign"), pair)
    assert response["Location"] == reverse("mentoring") + f"?person={o.bob.pk}"
    assert Role.objects.filter(kind="mentor", person=o.evan, mentee=o.bob).exists()
    # A third mentor: refused with the reason, nothing changes.
    response = client.post(reverse("mentoring_assign"), {"mentor": o.alice.pk, "mentee": o.bob.pk},
                           follow=True)  # fmt: skip
    assert "Bob Brown already has 2 mentors" in response.content.decode()
    # Charlie is outside Mia's team: she can neither assign him nor give Alice to him.
    outside = {"mentor": o.charlie.pk, "mentee": o.alice.pk}
    assert client.post(reverse("mentoring_assign"), outside).status_code == 404
    # Mia ends Charlie's mentoring of Bob (her rep), though Charlie is not in her team.
    client.post(reverse("mentoring_end"), {"mentor": o.charlie.pk, "mentee": o.bob.pk})
    assert list(Role.objects.filter(kind="mentor").values_list("person__full_name", flat=True)) == [
        "Evan Evans"
    ]


def test_the_mentor_page_costs_the_same_for_more_mentees(client, page_org, quiet_database):
    client.login(username="charlie", password=PASSWORD)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("mentoring")).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for i in range(4):
        mentee = make_person(f"Mentee{i} Rep")
        mentor_assign(mentor=page_org.charlie, mentee=mentee, on=page_org.today)
        development_goal_create(
            mentee=mentee,
            metric="pd_events",
            period=planning.month_of(page_org.today),
            target=Decimal(1),
            on=page_org.today,
        )
    assert queries() == one


def test_a_manager_sets_a_development_goal_for_the_chosen_person(client, page_org):
    assert 'id="chosen-goal-form"' in _get(client, "mia", person=page_org.alice.pk)
    data = {"mentee": page_org.alice.pk, "metric": "pd_events", "period": "2031-01", "target": "2"}
    response = client.post(reverse("mentoring_goal"), data)
    assert response["Location"] == reverse("mentoring") + f"?person={page_org.alice.pk}"
    goal = Goal.objects.get(person=page_org.alice, kind="development")
    assert (goal.target, goal.agreement.mentor) == (Decimal(2), None)
    assert goal.history.get().reason == "development goal set by the manager"
