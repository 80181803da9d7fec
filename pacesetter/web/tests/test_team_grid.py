"""The team page's health at a glance and its grid's server-side sort and filters; the risk
thresholds edited in the admin."""

from __future__ import annotations

import re

from django.urls import reverse

from pacesetter.conftest import PASSWORD
from pacesetter.org.models import OrgSettings


def _section(page: str, name: str) -> str:
    part = page[page.index(f'id="{name}"') :]
    return part[: part.index("</section>")]


def _grid_reps(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="col-rep"><a [^>]*>([^<]+)</a>', page)


def _get(client, user: str, unit, query: str = "") -> str:
    client.login(username=user, password=PASSWORD)
    response = client.get(reverse("unit_team", args=[unit.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_regional_manager_sees_the_teams_grouped_with_a_subtotal(client, web_org):
    o = web_org.org
    health = _section(_get(client, "rhea", o.region), "health")
    rows = re.findall(r'<tr class="depth-(\d)( subtotal)?" data-unit="(\d+)">', health)
    assert [(d, int(u)) for d, _, u in rows] == [
        ("0", o.region.pk),
        ("1", o.alpha.pk),
        ("1", o.beta.pk),
    ]
    assert rows[0][1] == " subtotal"
    # Alice is on pace (30 of 30), Bob and Charlie are behind: 1 of 3 in the region.
    assert "1 of 3 (33 %)" in health and "1 of 2 (50 %)" in health and "0 of 1 (0 %)" in health


def test_the_grid_has_a_team_column_and_sorts_and_filters_on_the_server(client, web_org):
    o = web_org.org
    page = _get(client, "rhea", o.region)
    assert '<th scope="col" class="col-team">Team</th>' in page
    assert _grid_reps(page) == ["Charlie Chen", "Bob Brown", "Alice Adams"]  # worst first
    assert _grid_reps(_get(client, "rhea", o.region, "?sort=rep")) == [
        "Alice Adams",
        "Bob Brown",
        "Charlie Chen",
    ]
    by_team = _get(client, "rhea", o.region, "?sort=team")
    assert _grid_reps(by_team) == ["Bob Brown", "Alice Adams", "Charlie Chen"]
    only_beta = _get(client, "rhea", o.region, f"?team={o.beta.pk}")
    assert _grid_reps(only_beta) == ["Charlie Chen"] and "1 of 3 reps" in only_beta
    achieved = _get(client, "rhea", o.region, "?status=achieved")
    assert _grid_reps(achieved) == ["Alice Adams"]
    development = _section(_get(client, "rhea", o.region, "?metric=pd_events"), "grid")
    head = development[development.index("<thead>") : development.index("</thead>")]
    assert "Demos held" not in head and "Professional-development events" in head


def test_the_filters_never_reach_outside_the_managers_subtree(client, web_org):
    """Mia manages Team Alpha: asking her grid for Team Beta (or junk) shows nobody from
    Beta, and her own page has no team column (one team)."""
    o = web_org.org
    page = _get(client, "mia", o.alpha, f"?team={o.beta.pk}")
    assert "Charlie Chen" not in page and _grid_reps(page) == []
    assert "No rep matches these filters." in page
    junk = _get(client, "mia", o.alpha, "?sort=__class__&team=x&status=evil&metric=%3Cb%3E")
    assert _grid_reps(junk) == ["Bob Brown", "Alice Adams"]  # unknown values are ignored
    assert "&lt;b&gt;" not in junk
    assert 'class="col-team"' not in _get(client, "mia", o.alpha)


def test_the_wrong_user_is_refused(client, web_org):
    o = web_org.org
    client.login(username="mia", password=PASSWORD)
    assert client.get(reverse("unit_team", args=[o.region.pk])).status_code == 404
    assert client.get(reverse("unit_team", args=[o.beta.pk]) + "?sort=rep").status_code == 404
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("unit_team", args=[o.alpha.pk])).status_code == 404


def test_an_admin_edits_the_risk_thresholds(client, small_org):
    OrgSettings.load()
    client.login(username="olga", password=PASSWORD)
    url = reverse("admin:org_orgsettings_change", args=[1])
    form = client.get(url).content.decode()
    for name in ("risk_top_goals", "risk_wait_share", "risk_likely_below", "risk_savable_from"):
        assert f'name="{name}"' in form
    org = OrgSettings.load()
    data = {f.name: getattr(org, f.name) for f in OrgSettings._meta.fields if f.name != "id"}
    data.update(risk_top_goals=2, risk_likely_below=40, risk_savable_from=10)
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert (org.risk_top_goals, org.risk_likely_below, org.risk_savable_from) == (2, 40, 10)
    data.update(risk_savable_from=60)  # above "likely to be missed": refused
    client.post(url, data)
    org.refresh_from_db()
    assert org.risk_savable_from == 10
