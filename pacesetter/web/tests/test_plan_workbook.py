"""The plan workbook on the web: a manager downloads their own teams' sheets, an admin every
team's; an edited workbook uploaded becomes a new draft, or shows its problems row by row.

The plan is web_org's FY-test: a flat year for Team Alpha (Alice, Bob) and Team Beta
(Charlie). Team sheets list reps from row 6 in name order; March is column F.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from pacesetter.conftest import PASSWORD, make_person
from pacesetter.goals.models import Plan, PlanLine
from pacesetter.goals.services import CascadeOptions, plan_create_cascade
from pacesetter.org.models import Membership, Role, Unit

ALICE, BOB, MARCH = 6, 7, 6


def download(client, plan: Plan, **query):
    response = client.get(reverse("plan_workbook", args=[plan.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response, load_workbook(io.BytesIO(response.content))


def upload(client, plan: Plan, book, **data):
    buffer = io.BytesIO()
    book.save(buffer)
    data["file"] = SimpleUploadedFile("edited.xlsx", buffer.getvalue())
    return client.post(reverse("plan_workbook_upload", args=[plan.pk]), data)


def march(plan: Plan) -> str:
    """How a report names the March column (F) of the plan's fiscal year."""
    months = sorted(set(plan.lines.values_list("month", flat=True)))
    return f"F ({months[2]:%Y-%m})"


def all_text(book) -> set[str]:
    return {str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row}


def test_a_manager_downloads_only_their_own_teams_sheets(client, web_org):
    client.login(username="mia", password=PASSWORD)
    response, book = download(client, web_org.plan)
    assert "Team Alpha" in book.sheetnames and "Team Beta" not in book.sheetnames
    assert "Charlie Chen" not in all_text(book) and "Alice Adams" in all_text(book)
    assert 'filename="plan-fy-test-v1-team-alpha.xlsx"' in response["Content-Disposition"]


def test_an_admin_downloads_every_team_or_one_team_to_hand_out(client, web_org):
    client.login(username="olga", password=PASSWORD)
    _response, book = download(client, web_org.plan)
    assert {"Team Alpha", "Team Beta"} <= set(book.sheetnames)
    response, beta = download(client, web_org.plan, unit=web_org.org.beta.pk)
    assert "Team Alpha" not in beta.sheetnames and "Team Beta" in beta.sheetnames
    assert "team-beta.xlsx" in response["Content-Disposition"]


def test_a_manager_whose_teams_are_not_in_the_plan_gets_a_404(client, web_org):
    gamma = Unit.objects.create(name="Team Gamma", kind=Unit.Kind.TEAM, parent=web_org.org.region)
    gina = make_person("Gina Gamma")
    Role.objects.create(person=gina, kind=Role.Kind.MANAGER, unit=gamma)
    Membership.objects.create(person=gina, unit=gamma, valid_from=dt.date(2025, 1, 1))
    client.login(username="gina", password=PASSWORD)
    assert client.get(reverse("plan_workbook", args=[web_org.plan.pk])).status_code == 404
    page = reverse("plan_workbook_upload", args=[web_org.plan.pk])
    assert client.get(page).status_code == 404
    assert (
        client.get(reverse("plan_workbook", args=[web_org.plan.pk]), {"unit": "x"}).status_code
        == 404
    )


def test_the_plan_page_offers_the_download_and_the_upload(client, web_org):
    client.login(username="olga", password=PASSWORD)
    page = client.get(reverse("plan_detail", args=[web_org.plan.pk])).content.decode()
    assert reverse("plan_workbook", args=[web_org.plan.pk]) in page
    assert 'id="upload-workbook"' in page and 'enctype="multipart/form-data"' in page


def test_the_workbook_page_shows_each_teams_months_as_bars(client, web_org):
    client.login(username="rhea", password=PASSWORD)
    page = client.get(reverse("plan_workbook_upload", args=[web_org.plan.pk])).content.decode()
    alpha = page[page.index(f'id="team-{web_org.org.alpha.pk}"') :]
    alpha = alpha[: alpha.index("</tr>")]
    assert alpha.count("<rect") == 12
    assert f"?unit={web_org.org.beta.pk}" in page  # one team's workbook, to hand out
    # The year's total is revenue, written as money like everywhere else.
    lines = web_org.plan.lines.filter(level=PlanLine.Level.TEAM, unit=web_org.org.alpha)
    year = sum(lines.values_list("target", flat=True), Decimal(0))
    assert f'<td class="num">${year:,.2f}</td>' in alpha


def test_an_admins_upload_becomes_a_new_draft_and_opens_it(client, web_org):
    client.login(username="olga", password=PASSWORD)
    _response, book = download(client, web_org.plan)
    book["Team Beta"].cell(6, MARCH).value = 12345
    response = upload(client, web_org.plan, book)
    draft = Plan.objects.get(name="FY-test", version=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_detail", args=[draft.pk])
    assert draft.status == "draft" and draft.created_by.username == "olga"
    assert draft.lines.get(person=web_org.org.charlie, month__month=3).target == 12345
    assert draft.inputs["workbook"]["imported_by"] == "olga"


def test_a_managers_upload_opens_the_new_drafts_workbook_page(client, web_org):
    client.login(username="mia", password=PASSWORD)
    _response, book = download(client, web_org.plan)
    book["Team Alpha"].cell(BOB, MARCH).value = 1000
    response = upload(client, web_org.plan, book)
    draft = Plan.objects.get(name="FY-test", version=2)
    assert response["Location"] == reverse("plan_workbook_upload", args=[draft.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="workbook-source"' in page and "FY-test@1" in page
    assert "saved as the new draft FY-test@2" in page  # the message


def test_problems_are_shown_row_by_row_and_nothing_is_saved(client, web_org):
    client.login(username="mia", password=PASSWORD)
    _response, book = download(client, web_org.plan)
    book["Team Alpha"].cell(ALICE, MARCH).value = "lots"
    book["Team Alpha"].cell(BOB, MARCH).value = -3
    response = upload(client, web_org.plan, book)
    assert response.status_code == 400
    page = response.content.decode()
    errors = page[page.index('id="errors"') :]
    assert march(web_org.plan) in errors
    assert "not a number" in errors and "negative" in errors
    assert Plan.objects.count() == 1


def test_a_manager_cannot_change_another_teams_quotas(client, web_org):
    client.login(username="olga", password=PASSWORD)
    _response, book = download(client, web_org.plan)  # the admin's workbook: both teams
    book["Team Beta"].cell(6, MARCH).value = 1
    client.logout()
    client.login(username="mia", password=PASSWORD)
    response = upload(client, web_org.plan, book)
    assert response.status_code == 400
    assert "you may not change the quotas of Team Beta" in response.content.decode()
    assert Plan.objects.count() == 1


def test_a_workbook_of_another_plan_is_refused_on_this_plans_page(client, web_org):
    other = plan_create_cascade(
        name="Other",
        year=web_org.plan.fiscal_year,
        annual_target=Decimal(1),
        options=CascadeOptions(seasonality="flat"),
    )
    client.login(username="olga", password=PASSWORD)
    _response, book = download(client, web_org.plan)
    book["Team Alpha"].cell(ALICE, MARCH).value = 1
    response = upload(client, other, book)
    assert response.status_code == 400
    assert "this workbook is of plan FY-test@1, not Other@1" in response.content.decode()
    assert Plan.objects.count() == 2


def test_an_unedited_workbook_says_so_and_makes_no_version(client, web_org):
    client.login(username="olga", password=PASSWORD)
    _response, book = download(client, web_org.plan)
    response = upload(client, web_org.plan, book)
    assert response.status_code == 200
    assert "nothing imported, no new version" in response.content.decode()
    assert Plan.objects.count() == 1


def test_check_only_lists_the_changes_and_saves_nothing(client, web_org):
    client.login(username="rhea", password=PASSWORD)
    _response, book = download(client, web_org.plan)
    book["Team Alpha"].cell(ALICE, MARCH).value = 50000
    response = upload(client, web_org.plan, book, dry_run="on")
    assert response.status_code == 200
    changes = response.content.decode()
    changes = changes[changes.index('id="changes"') :]
    assert "Alice Adams" in changes and march(web_org.plan)[3:10] in changes
    assert Plan.objects.count() == 1


def test_a_file_that_is_not_a_workbook_is_refused(client, web_org):
    client.login(username="olga", password=PASSWORD)
    data = {"file": SimpleUploadedFile("plan.xlsx", b"name,quota\nalice,5\n")}
    response = client.post(reverse("plan_workbook_upload", args=[web_org.plan.pk]), data)
    assert response.status_code == 400
    assert "not an XLSX workbook" in response.content.decode()
