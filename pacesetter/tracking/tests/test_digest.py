"""The managers' digest: at-risk reps first with what each needs, and only one's own subtree."""

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.management import call_command

from pacesetter.goals.models import Goal
from pacesetter.tracking.digest import build_digests, render_digest

from .conftest import TODAY


def month_goal(person=None, unit=None, metric="demos_held", target="21") -> Goal:
    return Goal.objects.create(
        metric=metric,
        person=person,
        unit=unit,
        period_kind="month",
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 12, 1),
        target=Decimal(target),
    )


def with_history(org, ledger):
    """April to October 2026: Alice, Bob and Charlie each held one or two demos a working
    day (1.5 on average): seven past months of their own for the risk list."""
    from pacesetter import planning
    from pacesetter.ledger.models import Activity
    from pacesetter.metrics.tests.conftest import at

    days = planning.working_days(
        (dt.date(2026, 4, 1), dt.date(2026, 11, 1)), planning.WorkCalendar()
    )
    Activity.objects.bulk_create(
        Activity(source="test", external_id=f"h-{rep.pk}-{day}-{i}", kind="demo", person=rep,
                 occurred_at=at(day, 9 + i))
        for rep in (org.alice, org.bob, org.charlie)
        for n, day in enumerate(days)
        for i in range(1 + n % 2)
    )  # fmt: skip


def setup_month(org, ledger):
    ledger.activities(org.alice, "demo", dt.date(2026, 11, 5), 12)  # on pace (10 expected)
    ledger.activities(org.bob, "demo", dt.date(2026, 11, 5), 3)  # behind
    ledger.activities(org.charlie, "demo", dt.date(2026, 11, 5), 1)  # behind, other team
    ledger.activities(org.bob, "meeting_booked", dt.date(2026, 11, 5), 4)
    ledger.done()
    for person in (org.alice, org.bob, org.charlie):
        month_goal(person)
    month_goal(unit=org.alpha, target="42")


def test_a_team_manager_sees_only_their_team_with_the_rep_behind_first(new_york, ledger):
    """The risk list: Bob (3 of 21 on the 16th, a demo and a half a day before) is likely to
    miss and can still make it; Alice (12 of 21) is likely to make it."""
    with_history(new_york, ledger)
    setup_month(new_york, ledger)
    (digest,) = build_digests(TODAY, [new_york.manager])
    assert [r.person.full_name for r in digest.attention] == ["Bob Brown"]
    assert [p.assignee for p in digest.on_pace] == ["Alice Adams"]
    assert [p.assignee for p in digest.unit_goals] == ["Team Alpha"]
    assert digest.off_pace == []  # Bob's goal behind its pace is on the risk list
    text, html = render_digest(digest)
    assert "Charlie" not in text and "Charlie" not in html
    assert "other rep" not in text
    assert "- Bob Brown — Demos held: 12 more by Fri 20 Nov" in text
    assert (
        "Demos held (Month): 38 % chance to meet it — 3 of 21 done, 18 to go, 11 working days "
        "left; judged on the rep's own history." in text
    )
    assert "Meetings booked, Team Alpha: 1. Bob Brown (4), 2. Alice Adams (0)" in text
    assert digest.subject == "Pacesetter — Team Alpha: 1 rep needs a conversation (2026-11)"


def test_a_regional_manager_sees_every_team_below(new_york, ledger):
    with_history(new_york, ledger)
    setup_month(new_york, ledger)
    (digest,) = build_digests(TODAY, [new_york.regional_manager])
    # Charlie (1 of 21) has more at stake than Bob (3 of 21): he comes first.
    assert [r.person.full_name for r in digest.attention] == ["Charlie Chen", "Bob Brown"]


def test_without_history_nobody_is_called_in_for_a_guess(new_york, ledger):
    setup_month(new_york, ledger)
    (digest,) = build_digests(TODAY, [new_york.regional_manager])
    assert digest.attention == []
    text, html = render_digest(digest)
    assert "No rep's most important goals are likely to be missed" in text
    # Bob and Charlie are behind their pace: not a conversation without evidence, but counted.
    assert {p.assignee for p in digest.off_pace} == {"Bob Brown", "Charlie Chen"}
    assert "2 other reps are behind the pace of a goal, but not a conversation yet" in text
    assert "2 other reps are behind the pace of a goal" in html


def test_send_mails_each_manager_their_own_digest(new_york, ledger):
    with_history(new_york, ledger)
    setup_month(new_york, ledger)
    out = StringIO()
    call_command("digest", "--send", "--today", "2026-11-16", stdout=out)
    assert out.getvalue().strip() == "Sent 2 digest(s)."
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"mia@example.com", "rhea@example.com"}
    assert "Charlie" not in by_recipient["mia@example.com"].body
    assert "Charlie Chen" in by_recipient["rhea@example.com"].body
    html = by_recipient["mia@example.com"].alternatives[0][0]
    assert "Bob Brown" in html and "12 more by Fri 20 Nov" in html


def test_without_send_the_digests_are_printed(new_york, ledger):
    setup_month(new_york, ledger)
    out = StringIO()
    call_command("digest", "--manager", "mia", "--today", "2026-11-16", stdout=out)
    assert out.getvalue().startswith("To: mia@example.com")
    assert mail.outbox == []


def test_the_digest_says_who_a_collective_goal_still_waits_for(new_york, ledger):
    """M9 in the digest: a team goal that pays only when every member meets their own — the
    manager reads who has met it and who the team is waiting for, with what they need; a
    collective of another team is not theirs to read."""
    setup_month(new_york, ledger)
    for team in (new_york.alpha, new_york.beta):
        Goal.objects.create(
            metric="demos_held",
            unit=team,
            kind=Goal.Kind.COLLECTIVE,
            period_kind="month",
            period_start=dt.date(2026, 11, 1),
            period_end=dt.date(2026, 12, 1),
            target=Decimal("42"),
        )
    (digest,) = build_digests(TODAY, [new_york.manager])
    (collective,) = digest.collectives
    assert collective.goal.unit == new_york.alpha and not collective.met
    # The furthest from their goal first: the one the team can help most.
    assert [m.person.full_name for m in collective.blockers] == ["Bob Brown", "Alice Adams"]
    text, html = render_digest(digest)
    assert "Collective goal, Team Alpha (demos_held): 0 of 2 met; 2 short" in text
    assert "Bob Brown (3 of 21, needs 2 per working day)" in text
    assert "Collective goals" in html and "Team Beta" not in html
    (regional,) = build_digests(TODAY, [new_york.regional_manager])
    assert {c.goal.unit.name for c in regional.collectives} == {"Team Alpha", "Team Beta"}


def test_send_queue_hands_the_digests_to_the_worker_and_a_retry_sends_only_the_rest(
    new_york, ledger, monkeypatch, django_capture_on_commit_callbacks
):
    """`digest --send --queue` returns at once; the job (run here by the tests' immediate
    backend) sends each digest once, even when it is run again after failing half-way."""
    from pacesetter.jobs.models import Job
    from pacesetter.jobs.services import job_retry
    from pacesetter.tracking import tasks

    setup_month(new_york, ledger)
    real = tasks.send_digests

    def down_after_one(digests):
        if mail.outbox:
            raise ConnectionRefusedError("the mail server is down")
        return real(digests)

    monkeypatch.setattr(tasks, "send_digests", down_after_one)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("digest", "--send", "--queue", "--today", "2026-11-16", stdout=out)
    job = Job.objects.get()
    assert out.getvalue().strip() == f"Queued as task #{job.pk}: `pacesetter worker` sends it."
    assert (job.kind, job.status, len(mail.outbox)) == ("digest", "failed", 1)

    monkeypatch.setattr(tasks, "send_digests", real)
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)
    job.refresh_from_db()
    assert job.status == "done" and len(job.result["sent"]) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["mia@example.com", "rhea@example.com"]
