"""Rows as CRMs really export them: custom stage labels, the export's own closed and won
columns, blank cells where a clean file would have values, owners as user ids or decorated
e-mails, API column names, tasks not done. Each file is shaped like the vendor's export and
each expected number is worked out in the test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter.ledger.models import Activity, Deal, DealMonth
from pacesetter.org.models import CrmIdentity

from .test_import_helpers import errors_of, importing, stored


def export(tmp_path, name: str, text: str, *, bom: bool = True):
    """A file exactly as written (vendors quote and add a BOM their own way)."""
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return path


def won_by_owner() -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for deal in Deal.objects.filter(status="won").select_related("owner"):
        name = deal.owner.full_name
        totals[name] = totals.get(name, Decimal(0)) + deal.amount
    return totals


HUBSPOT_DEALS = """\
"Record ID","Deal Name","Deal Stage","Amount","Close Date","Create Date","Deal owner","Is Deal Closed?","Deal probability"
"9001","Acme renewal","Closed: won","1200.50","2026-03-10 14:05","2026-02-01 09:00","alice@example.com","true","1.0"
"9002","Globex","Closed: won","","2026-03-12","2026-02-03","Bob Brown","true","1.0"
"9003","Initech","Closed: lost","800","","2026-02-04","alice@example.com","true","0.0"
"9004","Umbrella","Closed: abandoned","500","2026-04-30","2026-02-05","bob@example.com (Deactivated User)","false","0.1"
"9005","Hooli","","300","","2026-02-06","Alice Adams","false",""
"9006","Stark","Negotiation","2000","2026-03-20","2026-02-07","BOB@EXAMPLE.COM (Deactivated User)","true","1.0"
"""  # noqa: E501


def test_a_hubspot_export_with_custom_stage_labels_reads_its_own_closed_columns(
    small_org, tmp_path
):
    report = importing("deals", export(tmp_path, "hubspot.csv", HUBSPOT_DEALS), preset="hubspot")

    assert report.committed and report.created == 6, report.errors
    status = dict(Deal.objects.values_list("external_id", "status"))
    # "Is Deal Closed?" + "Deal probability" decide, whatever the stages are called:
    # 9006's stage says Negotiation but the deal is closed at 100 %: won.
    assert status == {"9001": "won", "9002": "won", "9003": "lost", "9004": "open",
                      "9005": "open", "9006": "won"}  # fmt: skip
    # 1200.50 (Alice) + 0 (a won deal without an amount) + 2000 (Bob, deactivated user).
    assert won_by_owner() == {"Alice Adams": Decimal("1200.50"), "Bob Brown": Decimal("2000")}
    # The lost deal without a close date is lost on its created date.
    assert Deal.objects.get(external_id="9003").closed_on == dt.date(2026, 2, 4)
    understood = report.understood
    assert understood.outcomes == {"won": 3, "lost": 1, "open": 2}
    assert understood.won_cents == 320_050
    assert understood.per_person == {"Alice Adams": 3, "Bob Brown": 3}
    assert understood.open_stages == {"Closed: abandoned": 1}
    assert understood.warnings == {
        "won deals have no amount: imported as won with 0": 1,
        "lost deals have no close date: lost on their created date": 1,
        "deals have a blank stage: read as open": 1,
    }


def test_without_closed_columns_custom_labels_still_decide_by_their_words(small_org, tmp_path):
    text = (
        "Record ID,Deal Stage,Amount,Close Date,Create Date,Deal owner\n"
        "1,Closed: won,100,2026-03-10,2026-03-01,Alice Adams\n"
        "2,closedwon,50,2026-03-11,2026-03-01,Alice Adams\n"
        "3,Lost to competitor,70,2026-03-12,2026-03-01,Alice Adams\n"
        "4,Contract Sent,90,2026-04-12,2026-03-01,Alice Adams\n"
    )
    report = importing("deals", export(tmp_path, "d.csv", text), preset="hubspot")

    assert dict(Deal.objects.values_list("external_id", "status")) == {
        "1": "won", "2": "won", "3": "lost", "4": "open",
    }  # fmt: skip
    assert report.understood.won_cents == 15_000


def test_a_file_with_close_dates_and_no_won_deal_is_imported_with_a_warning(small_org, tmp_path):
    text = (
        "Record ID,Deal Stage,Amount,Close Date,Create Date,Deal owner\n"
        "1,Signed,100,2026-03-10,2026-03-01,Alice Adams\n"
        "2,Signed,50,2026-03-11,2026-03-01,Bob Brown\n"
    )
    report = importing("deals", export(tmp_path, "d.csv", text), preset="hubspot")

    assert report.understood.outcomes == {"open": 2}
    assert report.understood.warnings == {
        "the file has close dates but no won deal: check which stages mean won (stages read "
        "as open: Signed; give --won-stages STAGE)": 2,
    }
    assert importing("deals", export(tmp_path, "d.csv", text), preset="hubspot",
                     won_stages=("Signed",)).updated == 2  # fmt: skip
    assert set(Deal.objects.values_list("status", flat=True)) == {"won"}


SALESFORCE_OPPORTUNITIES = """\
"Id","Name","StageName","Amount","CloseDate","CreatedDate","OwnerId","AccountId","IsClosed","IsWon","Probability"
"0065g00000AAAAAAA1","Big deal","Closed Won","5000.00","2025-11-03","2026-01-15T10:00:00.000Z","0055g00000ALICEAAA","0015g00000XYZAAAA1","true","true","100"
"0065g00000AAAAAAA2","Small deal","Signed (custom)","750.25","2025-12-01","2026-01-15T10:00:00.000Z","0055g00000BOBBBAAA","","true","true","100"
"0065g00000AAAAAAA3","Lost deal","Closed Lost","900","2025-12-05","2026-01-15T10:00:00.000Z","0055g00000ALICEAAA","","true","false","0"
"0065g00000AAAAAAA4","Open deal","Prospecting","1000","2026-06-30","2026-01-15T10:00:00.000Z","0055g00000BOBBBAAA","","false","false","10"
"""  # noqa: E501


def test_a_salesforce_data_loader_export_with_api_names_and_owner_ids(small_org, tmp_path):
    # The org file gave each rep's Salesforce user id (15 characters, as reports show them);
    # Data Loader writes the 18-character form.
    CrmIdentity.objects.create(person=small_org.alice, source="salesforce",
                               crm_id="0055g00000ALICE")  # fmt: skip
    CrmIdentity.objects.create(person=small_org.bob, source="salesforce",
                               crm_id="0055g00000BOBBBAAA")  # fmt: skip
    path = export(tmp_path, "Opportunity.csv", SALESFORCE_OPPORTUNITIES, bom=False)

    report = importing("deals", path, preset="salesforce")

    assert report.committed and report.created == 4, report.errors
    assert won_by_owner() == {"Alice Adams": Decimal("5000.00"), "Bob Brown": Decimal("750.25")}
    # CreatedDate is the day the records were loaded into Salesforce, after they closed:
    # the deals are kept, without a created date, so that they stay out of lead times.
    big = Deal.objects.get(external_id="0065g00000AAAAAAA1")
    assert (big.created_on, big.closed_on) == (None, dt.date(2025, 11, 3))
    assert report.understood.warnings["closed deals were created after they closed (records "
                                      "loaded into the CRM later?): kept, without a created "
                                      "date, so they stay out of lead times"] == 3  # fmt: skip
    assert DealMonth.objects.get(status="won", month=dt.date(2025, 11, 1)).amount == 5000
    again = importing("deals", path, preset="salesforce")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_owner_ids_that_match_nobody_are_named_with_the_closest_people(small_org, tmp_path):
    text = (
        "Opportunity Owner,Opportunity Name,Stage,Amount,Close Date,Created Date,Opportunity ID\n"
        "Alice Adam,A,Closed Won,10,3/20/2026,3/1/2026,006A\n"
        "Alice Adam,B,Closed Won,10,3/20/2026,3/1/2026,006B\n"
        "Bob Brown,C,Closed Won,10,3/20/2026,3/1/2026,006C\n"
    )
    report = importing("deals", export(tmp_path, "r.csv", text), preset="salesforce")

    assert report.failed
    unknown = "unknown person: no one has this e-mail or full name"
    assert errors_of(report)[0] == (2, "Opportunity Owner", unknown)
    assert report.understood.unmatched == [("Alice Adam", 2, ["Alice Adams"])]


SALESFORCE_TASKS = """\
Id,Subject,ActivityDate,Status,TaskSubtype,Type,OwnerId,IsClosed
00T1,Call,2026-03-02,Completed,Call,,0055g00000ALICE,true
00T2,Email: pricing,2026-03-02,Completed,Email,,0055g00000ALICE,true
00T3,Call back,2026-03-03,Not Started,Call,,0055g00000ALICE,false
00T4,Send quote,2026-03-04,Not Started,Task,,0055g00000ALICE,false
00T5,Prepare QBR,2026-03-04,Completed,Task,,0055g00000ALICE,true
00T6,Intro meeting,2026-03-05,Completed,Task,Meeting,0055g00000ALICE,true
00T7,Email: follow-up,2026-03-05,Completed,Task,,0055g00000ALICE,true
"""


def test_only_completed_salesforce_tasks_count_by_type_subtype_or_subject(small_org, tmp_path):
    CrmIdentity.objects.create(person=small_org.alice, source="salesforce",
                               crm_id="0055g00000ALICE")  # fmt: skip
    path = export(tmp_path, "Task.csv", SALESFORCE_TASKS, bom=False)

    report = importing("activities", path, preset="salesforce")

    assert report.committed, report.errors
    kinds = dict(Activity.objects.values_list("external_id", "kind"))
    # 00T3/00T4 are not done; 00T5 is a to-do that is no call, e-mail or meeting.
    assert kinds == {"00T1": "call", "00T2": "email", "00T6": "meeting", "00T7": "email"}
    assert report.understood.outcomes == {"call": 1, "email": 2, "meeting": 1,
                                          "not done (skipped)": 2}  # fmt: skip
    assert report.ignored == 3
    assert report.understood.warnings == {
        "done activities of type 'Task' are not a call, e-mail or meeting: not counted "
        "(give --type-map 'Task=call' to count them)": 1,
    }


def test_a_hubspot_calls_export_has_no_type_column_its_columns_say_calls(small_org, tmp_path):
    text = (
        "Record ID,Call Title,Activity date,Activity assigned to,Call status,Call outcome\n"
        "1,Intro,2026-03-02 10:00,Alice Adams,COMPLETED,Connected\n"
        "2,Retry,2026-03-02 11:00,Alice Adams,NO_ANSWER,No answer\n"
        "3,Later,2026-03-09 11:00,Alice Adams,QUEUED,\n"
        "4,Oops,2026-03-02 12:00,Alice Adams,CANCELED,\n"
    )
    report = importing("activities", export(tmp_path, "calls.csv", text), preset="hubspot")

    assert report.committed, report.errors
    # A call that rang out was still a call made; queued and canceled ones were not.
    assert sorted(Activity.objects.values_list("external_id", "kind")) == [
        ("1", "call"), ("2", "call"),
    ]  # fmt: skip
    assert report.understood.outcomes == {"call": 2, "not done (skipped)": 2}


PIPEDRIVE_NO_OWNER = """\
"Deal - ID","Deal - Title","Deal - Value","Deal - Status","Deal - Won time","Deal - Lost time","Deal - Deal created"
"11","Alpha","1000","won","2026-03-03 10:00:00","","2026-02-01 10:00:00"
"12","Beta","250.5","won","2026-03-04 10:00:00","","2026-02-01 10:00:00"
"13","Gamma","99","lost","","2026-03-05 10:00:00","2026-02-01 10:00:00"
"14","Delta","10","deleted","","","2026-02-01 10:00:00"
"""  # noqa: E501


def test_a_pipedrive_export_without_an_owner_column_takes_the_default_owner(small_org, tmp_path):
    path = export(tmp_path, "deals.csv", PIPEDRIVE_NO_OWNER, bom=False)

    refused = importing("deals", path, preset="pipedrive")
    assert refused.failed and "--default-owner" in refused.errors[0].reason

    report = importing("deals", path, preset="pipedrive", default_owner="bob@example.com")
    assert report.committed and (report.created, report.ignored) == (3, 1)
    assert won_by_owner() == {"Bob Brown": Decimal("1250.50")}
    assert report.understood.warnings == {"deals marked deleted were not imported": 1}


def test_columns_match_whatever_their_spacing_case_and_punctuation(small_org, tmp_path):
    text = (
        "ID,OWNER,STAGE_NAME,close-date,CreatedDate,AMOUNT\n"
        "d1,alice@example.com,won,2026-03-10,2026-03-01,10\n"
    )
    report = importing("deals", export(tmp_path, "d.csv", text),
                       mapping={"stage": "Stage Name"})  # fmt: skip
    assert report.committed, report.errors
    deal = Deal.objects.get()
    assert (deal.status, deal.closed_on) == ("won", dt.date(2026, 3, 10))


def test_a_missing_column_is_named_with_the_columns_the_file_has(small_org, tmp_path):
    text = "Opportunity,Owner Full Name,Stage,Created\nx,Alice Adams,won,2026-03-01\n"
    report = importing("deals", export(tmp_path, "d.csv", text), preset="salesforce")

    assert report.failed
    (error,) = report.errors
    assert error.reason.startswith(
        "missing column for the field 'external_id' (looked for 'Opportunity ID' or 'Id' or "
        "'Opportunity.Id'; the file has 'Opportunity', 'Owner Full Name', 'Stage', 'Created'"
    )


@pytest.mark.parametrize("hints_web", [False, True])
def test_advice_names_the_option_the_way_its_audience_gives_it(small_org, tmp_path, hints_web):
    from pacesetter.ledger.importers.hints import Hints

    text = "external_id,owner,stage,amount,created,closed\nd1,Alice Adams,won,1.5555,2026-03-01,2026-03-02\n"  # noqa: E501
    report = importing("deals", export(tmp_path, "d.csv", text), hints=Hints(web=hints_web))

    (error,) = report.errors
    assert error.reason == (
        'more than 2 decimal places (fill in "Round amounts to cents" to round)' if hints_web
        else "more than 2 decimal places (give --round-cents to round)"
    )  # fmt: skip
    assert stored()["Deal"] == []
