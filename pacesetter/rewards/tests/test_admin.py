"""The admin edits rewards, programs and rules; a rule becomes active only through the action
that checks its budget; awards are read-only there."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from pacesetter.conftest import PASSWORD
from pacesetter.rewards.models import Award, Program, Reward, Rule

from .conftest import compute


def test_every_page_of_the_rewards_admin_opens(
    client, small_org, books, revenue_goals, revenue_rule
):
    books.won(small_org.alice, "12000")
    compute()
    client.login(username="olga", password=PASSWORD)
    award = Award.objects.get()
    for model, obj in ((Reward, revenue_rule.reward), (Program, revenue_rule.program),
                       (Rule, revenue_rule), (Award, award)):  # fmt: skip
        name = model._meta.model_name
        assert client.get(reverse(f"admin:rewards_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:rewards_{name}_change", args=[obj.pk])).status_code == 200


def test_awards_cannot_be_edited_or_deleted_in_the_admin(
    client, small_org, books, revenue_goals, revenue_rule
):
    books.won(small_org.alice, "12000")
    compute()
    client.login(username="olga", password=PASSWORD)
    award = Award.objects.get()

    client.post(reverse("admin:rewards_award_delete", args=[award.pk]), {"post": "yes"})

    assert Award.objects.filter(pk=award.pk).exists()
    page = client.get(reverse("admin:rewards_award_change", args=[award.pk])).content.decode()
    assert 'name="_save"' not in page


def test_the_activate_action_checks_the_budget(client, small_org, books, revenue_goals, program):
    program.budget = Decimal(100)
    program.save()
    rule = Rule.objects.create(
        program=program,
        reward=Reward.objects.create(name="$250 bonus", kind="cash", value=250),
        name="Revenue met",
        trigger=Rule.Trigger.GOAL_MET,
    )
    client.login(username="olga", password=PASSWORD)
    url = reverse("admin:rewards_rule_changelist")

    page = client.post(
        url, {"action": "activate", "_selected_action": [rule.pk]}, follow=True
    ).content.decode()

    assert "Not activated" in page and "OVER BUDGET" in page
    rule.refresh_from_db()
    assert rule.status == Rule.Status.DRAFT

    client.post(url, {"action": "activate_over_budget", "_selected_action": [rule.pk]})

    rule.refresh_from_db()
    assert rule.status == Rule.Status.ACTIVE and rule.over_budget_override
