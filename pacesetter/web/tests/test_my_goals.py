"""The rep's page: own goals in priority order, the team's goals and leaderboard, and this
week's numbers saved from the form — the goal list comes back as an htmx fragment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pacesetter.conftest import PASSWORD, set_org_time_zone
from pacesetter.goals.models import Goal
from pacesetter.ledger.models import ManualEntry
from pacesetter.org.models import Role
from pacesetter.web.tests.conftest import make_goal


def test_a_rep_sees_own_goals_in_priority_order_and_the_team_goals(client, web_org):
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    first, second = f'id="goal-{web_org.alice_demos.pk}"', f'id="goal-{web_org.alice_entries.pk}"'
    assert page.index(first) < page.index(second)  # priority 1 before 5
    assert f'id="goal-{web_org.alpha_meetings.pk}"' in page  # the team's collective goal
    assert f'id="goal-{web_org.bob_demos.pk}"' not in page  # a teammate's own goal
    assert f'id="goal-{web_org.beta_meetings.pk}"' not in page  # another team's goal
    assert 'id="leaderboard"' in page and "Bob Brown" in page  # names on the leaderboard


def test_the_page_and_its_fragment_share_one_url(client, web_org):
    client.login(username="alice", password=PASSWORD)
    full = client.get(reverse("home"))
    fragment = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert b"<html" in full.content and b"<html" not in fragment.content
    assert fragment.content.decode().lstrip().startswith('<section class="card" id="my-goals">')
    assert "HX-Request" in fragment["Vary"]


def test_this_weeks_numbers_are_saved_and_the_goal_list_comes_back(client, web_org):
    client.login(username="alice", password=PASSWORD)
    goal = f'id="goal-{web_org.alice_entries.pk}" data-status="'
    before = client.get(reverse("home")).content.decode()
    assert goal + "achieved" not in before
    response = client.post(
        reverse("week_numbers"), {"pd_events": "1"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert goal + "achieved" in html and 'role="status"' in html
    entry = ManualEntry.objects.get(person=web_org.org.alice, metric="pd_events")
    assert (entry.value, entry.source) == (Decimal(1), "web")
    assert entry.external_id == f"web:{web_org.org.alice.pk}:pd_events:{entry.first_day}"


def test_entering_the_week_again_replaces_the_number(client, web_org):
    client.login(username="alice", password=PASSWORD)
    client.post(reverse("week_numbers"), {"pd_events": "1"})
    client.post(reverse("week_numbers"), {"pd_events": "2"})
    assert list(ManualEntry.objects.values_list("value", flat=True)) == [Decimal(2)]


def test_a_negative_number_is_refused_with_a_message(client, web_org):
    client.login(username="alice", password=PASSWORD)
    response = client.post(
        reverse("week_numbers"), {"pd_events": "-3"}, headers={"HX-Request": "true"}
    )
    assert 'class="error"' in response.content.decode()
    assert not ManualEntry.objects.exists()


def test_a_goal_changed_since_the_last_check_in_asks_for_one(client, web_org):
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    ask = reverse("goal_checkin", args=[web_org.alice_entries.pk])
    assert ask in page  # set, never checked in
    answered = reverse("goal_checkin", args=[web_org.alice_demos.pk])
    assert answered not in page  # checked in after it was set


def test_a_rep_checks_in_and_the_manager_sees_the_answers(client, web_org):
    client.login(username="alice", password=PASSWORD)
    url = reverse("goal_checkin", args=[web_org.alice_entries.pk])
    answers = {"realistic": "2", "challenging": "5", "achievable": "3", "comment": "tight"}
    assert client.post(url, answers).status_code == 302
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("unit_checkins", args=[web_org.org.alpha.pk])).content.decode()
    assert "tight" in page and "Alice Adams" in page


def test_a_person_without_a_rep_role_still_gets_a_page(client, web_org):
    Role.objects.filter(person=web_org.org.alice).delete()
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_a_stretch_tier_shows_on_the_goal_it_stretches(client, web_org):
    goal = web_org.alice_demos
    Goal.objects.create(
        metric=goal.metric,
        person=goal.person,
        period_kind=goal.period_kind,
        period_start=goal.period_start,
        period_end=goal.period_end,
        target=Decimal("37.50"),
        kind="stretch",
        tier_of=goal,
        priority=2,
    )
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    card = page[page.index(f'id="goal-{goal.pk}"') :]
    card = card[: card.index("</article>")]
    assert 'class="stretch' in card and "37.50" in card


def test_a_weekly_habit_shows_its_streak(client, web_org):
    week = web_org.alice_entries
    make_goal(
        "articles_shared",
        week.period_start,
        week.period_end,
        1,
        person=web_org.org.alice,
        period_kind="week",
    )
    client.login(username="alice", password=PASSWORD)
    assert 'class="streak"' in client.get(reverse("home")).content.decode()


def test_a_weeks_numbers_tell_the_rest_of_pacesetter_which_month_moved(
    client, web_org, django_capture_on_commit_callbacks
):
    """Typed-in numbers count like imported ones: once saved, what depends on the ledger
    (earned rewards) is told which month to bring up to date."""
    from pacesetter.ledger.signals import ledger_changed

    heard = []

    def listen(sender, months, **kwargs):
        heard.append(months)

    ledger_changed.connect(listen)
    try:
        client.login(username="alice", password=PASSWORD)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("week_numbers"), {"pd_events": "1"})
    finally:
        ledger_changed.disconnect(listen)
    first_day = ManualEntry.objects.get().first_day
    assert heard == [[first_day.replace(day=1)]]


# --- a week that straddles two months -----------------------------------------------------
# Sunday 6 December 2026, 10:00 in New York: this week ran from Monday 30 November.
SUNDAY_6_DECEMBER = dt.datetime(2026, 12, 6, 15, 0, tzinfo=dt.UTC)
MONDAY_7_DECEMBER = dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC)


def december_goal(web_org) -> Goal:
    return make_goal(
        "pd_events", dt.date(2026, 12, 1), dt.date(2027, 1, 1), 1, person=web_org.org.alice
    )


@pytest.mark.time_machine(SUNDAY_6_DECEMBER)
def test_a_week_across_two_months_asks_for_each_months_part(client, web_org):
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert 'name="pd_events@2026-11-30"' in page and 'name="pd_events@2026-12-01"' in page
    assert 'name="pd_events"' not in page
    assert "This week runs into December" in page


@pytest.mark.time_machine(SUNDAY_6_DECEMBER)
def test_december_numbers_count_in_december_and_the_message_names_the_goals(client, web_org):
    december = december_goal(web_org)
    client.login(username="alice", password=PASSWORD)

    response = client.post(
        reverse("week_numbers"),
        {"week": "2026-W49", "pd_events@2026-11-30": "0", "pd_events@2026-12-01": "1"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert f'id="goal-{december.pk}" data-status="achieved"' in html
    saved = html[html.index('class="saved"') :]
    saved = saved[: saved.index("</p>")]
    assert "Professional-development events (2026-12)" in saved
    assert "Professional-development events (2026-W49)" in saved  # the weekly goal
    stored = ManualEntry.objects.order_by("first_day").values_list("first_day", "value")
    assert list(stored) == [(dt.date(2026, 11, 30), 0), (dt.date(2026, 12, 1), 1)]


@pytest.mark.time_machine(SUNDAY_6_DECEMBER)
def test_a_bare_number_is_not_filed_into_november(client, web_org):
    """A client that posts one number for the whole week (an old form) stores nothing: the
    week has two parts and the number cannot say which month it belongs to."""
    client.login(username="alice", password=PASSWORD)
    client.post(reverse("week_numbers"), {"week": "2026-W49", "pd_events": "1"})
    assert not ManualEntry.objects.exists()
    messages = [str(m) for m in client.get(reverse("home")).context["messages"]]
    assert messages == ["Saved. No goal changed: the numbers were already there."]


@pytest.mark.time_machine(MONDAY_7_DECEMBER)
def test_on_monday_last_weeks_numbers_can_still_be_entered(client, web_org):
    december_goal(web_org)
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert "?week=2026-W49" in page  # the link to last week

    last_week = client.get(reverse("home"), {"week": "2026-W49"}).content.decode()
    assert 'name="pd_events@2026-12-01"' in last_week and "Last week" in last_week
    client.post(reverse("week_numbers"), {"week": "2026-W49", "pd_events@2026-12-01": "1"})

    assert ManualEntry.objects.get().first_day == dt.date(2026, 12, 1)
    messages = [str(m) for m in client.get(reverse("home")).context["messages"]]
    assert messages == ["Saved. Goals updated: Professional-development events (2026-12)."]


@pytest.mark.time_machine(MONDAY_7_DECEMBER)
def test_weeks_other_than_this_one_and_the_last_are_not_open(client, web_org):
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("home"), {"week": "2026-W48"}).status_code == 404
    assert client.get(reverse("home"), {"week": "2026-W51"}).status_code == 404
    response = client.post(reverse("week_numbers"), {"week": "2026-W47", "pd_events": "1"})
    assert response.status_code == 404
    assert not ManualEntry.objects.exists()


@pytest.mark.time_machine(dt.datetime(2026, 12, 7, 4, 59, tzinfo=dt.UTC))
def test_the_week_is_the_one_the_form_showed_even_after_midnight(client, web_org, time_machine):
    """Sunday 23:59 in New York the form shows week 49; saved at 00:01 on Monday, the
    numbers still go to week 49, not to the week that has just begun."""
    set_org_time_zone("America/New_York")
    client.login(username="alice", password=PASSWORD)
    assert 'value="2026-W49"' in client.get(reverse("home")).content.decode()
    time_machine.move_to(dt.datetime(2026, 12, 7, 5, 1, tzinfo=dt.UTC))  # 00:01 on Monday
    client.post(reverse("week_numbers"), {"week": "2026-W49", "pd_events@2026-12-01": "2"})
    assert ManualEntry.objects.get().first_day == dt.date(2026, 12, 1)
