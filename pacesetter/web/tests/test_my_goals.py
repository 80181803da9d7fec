"""The rep's page: own goals in priority order, the team's goals and leaderboard, and this
week's numbers saved from the form — the goal list comes back as an htmx fragment."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from pacesetter.conftest import PASSWORD
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
    assert entry.external_id == f"web:{web_org.org.alice.pk}:pd_events:{entry.week_start}"


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
    week_start = ManualEntry.objects.get().week_start
    assert heard == [[week_start.replace(day=1)]]
