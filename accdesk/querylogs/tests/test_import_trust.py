"""Nothing silently wrong on a query-log import (issue 10): other ORIs refused,
all-or-nothing by default, --skip-bad-rows, --json, encodings, binary files."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.core.management import CommandError

from accdesk import testing
from accdesk.core.models import ChangeRecord
from accdesk.querylogs import storage
from accdesk.querylogs.logfile import COLUMNS, LogFormatError
from accdesk.querylogs.models import LogImport
from accdesk.querylogs.tests.conftest import run_audit, url
from accdesk.querylogs.tests.test_querylog_command import run
from accdesk.querylogs.tests.test_upload import post

OTHER = "CA0190000"


def log_of(tmp_path, rows, name="log.csv"):
    return testing.make_querylog(tmp_path / name, rows)


def nothing_stored(agency):
    return not LogImport.objects.filter(agency=agency).exists() and (
        storage.months(agency) == []
    )


# -- Other ORIs ------------------------------------------------------------------------


def test_rows_of_another_ori_refuse_the_import_whatever_skip_bad_rows_says(
    agency, tmp_path
):
    rows = [{}] * 2 + [{"ori": OTHER}] * 412 + [{"timestamp": "bad"}]
    path = log_of(tmp_path, rows)
    for extra in ([], ["--skip-bad-rows"]):
        with pytest.raises(CommandError) as refused:
            run("import", str(path), "--agency", agency.ori, *extra)
        assert (
            f"412 rows carry ORI {OTHER}, which is not {agency.ori} or one of its "
            "additional ORIs" in str(refused.value)
        )
    assert nothing_stored(agency)


def test_each_other_ori_is_named_with_its_count(agency, tmp_path):
    rows = [{"ori": OTHER}, {"ori": "CA0370000"}, {"ori": "CA0370000"}, {"ori": ""}]
    with pytest.raises(CommandError) as refused:
        run("import", str(log_of(tmp_path, rows)), "--agency", agency.ori)
    message = str(refused.value)
    assert "2 rows carry ORI CA0370000" in message
    assert f"1 row carries ORI {OTHER}" in message
    assert "1 row carries no ORI" in message


def test_audit_with_an_agency_refuses_another_ori_and_writes_nothing(agency, tmp_path):
    out = tmp_path / "findings.csv"
    path = log_of(tmp_path, [{"ori": OTHER}])
    with pytest.raises(CommandError, match=f"1 row carries ORI {OTHER}"):
        run("audit", str(path), "--agency", agency.ori, "--findings-out", str(out))
    assert not out.exists()
    # Without an agency there is no ORI to compare with: the file is audited.
    run("audit", str(path), "--findings-out", str(out))
    assert out.exists()


def test_an_additional_ori_is_accepted(agency, tmp_path):
    agency.additional_oris = [*agency.additional_oris, OTHER]
    agency.save()
    out, _ = run(
        "import",
        str(log_of(tmp_path, [{}, {"ori": OTHER.lower()}])),
        "--agency",
        agency.ori,
    )
    assert "2 new in the archive" in out


def test_the_upload_page_says_so_before_anything_is_stored(as_alice, agency, tmp_path):
    path = log_of(tmp_path, [{"ori": OTHER}] * 3)
    response = post(as_alice, agency, io.BytesIO(path.read_bytes()))
    assert response.status_code == 400
    assert f"3 rows carry ORI {OTHER}, which is not {agency.ori}" in (
        response.content.decode()
    )
    assert nothing_stored(agency)


# -- Additional ORIs on the profile ------------------------------------------------------


def test_the_acc_sets_additional_oris_on_the_profile_and_the_change_is_recorded(
    as_alice, agency
):
    from django.urls import reverse

    target = reverse("agency:additional_oris", kwargs={"ori": agency.ori})
    response = as_alice.post(target, {"oris": "ca0190001\nCA0190002, CA0190001"})
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.additional_oris[-2:] == ["CA0190001", "CA0190002"]
    entry = ChangeRecord.objects.filter(agency_id=agency.pk).order_by("-pk").first()
    assert "additional_oris" in entry.changed_fields
    page = as_alice.get(reverse("agency:profile", kwargs={"ori": agency.ori}))
    assert b"CA0190002" in page.content
    as_alice.post(target, {"oris": "not an ori"})
    agency.refresh_from_db()
    assert agency.additional_oris[-2:] == ["CA0190001", "CA0190002"]


def test_a_viewer_cannot_change_additional_oris(agency, as_vera):
    from django.urls import reverse

    viewer = as_vera
    target = reverse("agency:additional_oris", kwargs={"ori": agency.ori})
    assert viewer.post(target, {"oris": "CA0190001"}).status_code == 403
    agency.refresh_from_db()
    assert "CA0190001" not in agency.additional_oris


# -- All or nothing -------------------------------------------------------------------------


def test_an_unreadable_row_refuses_the_import_naming_every_bad_row(agency, tmp_path):
    good = _text_log([{}]).splitlines()[1]
    lines = [good, good.replace("2026-03-02", "yesterday"), "a,b", good]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([",".join(COLUMNS), *lines]) + "\n")
    with pytest.raises(CommandError, match="2 rows cannot be read") as refused:
        run("import", str(path), "--agency", agency.ori)
    assert "nothing was stored" in str(refused.value)
    assert nothing_stored(agency)
    err = io.StringIO()
    with pytest.raises(CommandError):
        from django.core.management import call_command

        call_command(
            "querylog", "import", str(path), "--agency", agency.ori, stderr=err
        )
    lines = err.getvalue().splitlines()
    assert lines[0] == (
        "row 2, timestamp: 'yesterdayT08:00:00.00' is not an ISO 8601 date and time"
    )
    assert lines[1] == "row 3, whole row: Expected Number of Columns: 11 Found: 2"


def test_skip_bad_rows_stores_the_good_rows_and_counts_the_skipped(
    agency, as_alice, tmp_path
):
    path = log_of(tmp_path, [{}, {"timestamp": ""}, {"timestamp": "x"}])
    out, _ = run("import", str(path), "--agency", agency.ori, "--skip-bad-rows")
    log = LogImport.objects.get()
    assert (log.rows, log.new_rows, log.skipped_rows) == (3, 1, 2)
    page = as_alice.get(url("import_detail", agency, pk=log.pk)).content.decode()
    assert "Imported, 2 rows skipped" in page and "alert-warning" in page
    download = as_alice.get(url("import_detail", agency, pk=log.pk), {"format": "csv"})
    assert testing.downloaded(download) == [
        {"row": "2", "column": "timestamp", "reason": "is blank"},
        {
            "row": "3",
            "column": "timestamp",
            "reason": "'x' is not an ISO 8601 date and time",
        },
    ]


def test_the_upload_page_refuses_bad_rows_by_default_and_lists_them(
    as_alice, agency, tmp_path
):
    path = log_of(tmp_path, [{}, {"timestamp": "x"}])
    response = post(as_alice, agency, io.BytesIO(path.read_bytes()))
    assert response.status_code == 400
    page = response.content.decode()
    assert "row 2, timestamp: &#x27;x&#x27; is not" in page
    assert nothing_stored(agency)
    response = post(
        as_alice, agency, io.BytesIO(path.read_bytes()), data={"skip_bad_rows": "on"}
    )
    assert response.status_code == 302
    page = as_alice.get(response["Location"]).content.decode()
    assert "Imported, 1 row skipped" in page


def test_a_header_without_data_rows_is_refused(agency, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text(",".join(COLUMNS) + "\n")
    with pytest.raises(CommandError, match="no data rows"):
        run("import", str(path), "--agency", agency.ori, "--skip-bad-rows")
    assert nothing_stored(agency)


def test_audit_still_reports_unreadable_rows_and_audits_the_rest(tmp_path):
    path = log_of(tmp_path, [{"purpose_code": "R"}, {"timestamp": "x"}])
    out, err = run("audit", str(path), "--json")
    summary = json.loads(out)
    assert summary["skipped_rows"] == 1 and summary["rows_with_findings"] == 1
    assert "row 2: skipped" in err


# -- --json ---------------------------------------------------------------------------------


def test_import_json_is_the_contract(agency, tmp_path):
    path = log_of(tmp_path, [{}, {"purpose_code": "R"}, {"timestamp": "x"}])
    out, _ = run(
        "import", str(path), "--agency", agency.ori, "--skip-bad-rows", "--json"
    )
    first = json.loads(out)
    assert list(first) == [
        "rows",
        "new_rows",
        "duplicate_rows",
        "skipped_rows",
        "rows_with_findings",
        "seconds",
    ]
    assert {k: v for k, v in first.items() if k != "seconds"} == {
        "rows": 3,
        "new_rows": 2,
        "duplicate_rows": 0,
        "skipped_rows": 1,
        "rows_with_findings": 1,
    }
    again = json.loads(
        run("import", str(path), "--agency", agency.ori, "--skip-bad-rows", "--json")[0]
    )
    assert (again["new_rows"], again["duplicate_rows"], again["skipped_rows"]) == (
        0,
        2,
        1,
    )
    assert again["rows"] == sum(
        again[k] for k in ("new_rows", "duplicate_rows", "skipped_rows")
    )


# -- Encodings ------------------------------------------------------------------------------


def _text_log(rows: list[dict]) -> str:
    lines = [",".join(COLUMNS)]
    for row in rows:
        values = {**testing.QUERYLOG_ROW, **row}
        lines.append(",".join(f'"{values[c]}"' for c in COLUMNS))
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-8", "NGUYỄN,MUÑOZ"),
        ("utf-8-sig", "NGUYỄN,MUÑOZ"),
        ("utf-16", "NGUYỄN,MUÑOZ"),
        ("cp1252", "MUÑOZ,JOSÉ"),
    ],
)
@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_every_encoding_arrives_intact(agency, tmp_path, encoding, name, compress):
    data = _text_log([{"subject_name": name, "purpose_code": "R"}]).encode(encoding)
    path = tmp_path / "log.csv"
    path.write_bytes(gzip.compress(data) if compress else data)
    result, found = run_audit(path)
    assert (result.rows, result.skipped, [r for r, _, _ in found]) == (1, [], [1])
    testing.make_querylog_import(agency, path)
    stored = storage.connect(agency).execute(
        "SELECT subject_name FROM read_parquet($f)",
        {"f": storage.archive_files(agency)},
    )
    assert stored.fetchall() == [(name,)]


def test_a_windows_1252_byte_far_into_a_utf8_file_makes_it_windows_1252(tmp_path):
    # The head is plain ASCII: only the whole file tells (issue 10's rule).
    rows = [{}] * 3000 + [{"subject_name": "MUÑOZ,ANA", "purpose_code": "R"}]
    path = tmp_path / "late.csv"
    path.write_bytes(_text_log(rows).encode("cp1252"))
    result, found = run_audit(path)
    assert result.skipped == [] and [r for r, _, _ in found] == [3001]


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 4,
        b"PK\x03\x04" + bytes(range(256)) * 4,
        ",".join(COLUMNS).encode() + b"\n" + bytes(range(256)) * 12,
    ],
    ids=["pdf", "zip", "binary rows"],
)
def test_a_binary_file_gets_one_clear_sentence(agency, tmp_path, content):
    path = tmp_path / "log.csv"
    path.write_bytes(content)
    with pytest.raises(LogFormatError, match="this is not a CSV text file"):
        run_audit(path)
    with pytest.raises(CommandError, match="this is not a CSV text file"):
        run("import", str(path), "--agency", agency.ori)
    assert nothing_stored(agency)


def test_a_gzip_bomb_is_refused_naming_the_limit(agency, tmp_path, settings):
    settings.GZIP_MAX_RATIO = 10
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(
        gzip.compress(",".join(COLUMNS).encode() + b"\n" + b"," * (20 << 20))
    )
    with pytest.raises(CommandError, match="ACCDESK_GZIP_MAX_RATIO"):
        run("import", str(path), "--agency", agency.ori)
    assert nothing_stored(agency)
