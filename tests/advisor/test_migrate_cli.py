"""`python -m advisor migrate`: SQL, JSON or the findings for CI, exit 1 on unaccepted lint errors,
2 on bad input."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from advisor.cli import main
from advisor.migrate.lint import RULE_HELP

ROOT = Path(__file__).resolve().parents[2]
V1 = str(ROOT / "docs" / "examples" / "online-shop.yaml")
V2 = str(ROOT / "tests" / "fixtures" / "migrate" / "online-shop-v2.yaml")
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
ACCEPT = ["--backfill", "order.channel=web", "--accept", "DS103:customer.phone"]


def test_it_prints_the_postgresql_plan_with_hazards_and_fails_on_lint_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["migrate", V1, V2, "--dialect", "postgresql"]) == 1
    out, err = capsys.readouterr()
    assert "CREATE INDEX CONCURRENTLY ix_customer_full_name" in out
    assert "SET lock_timeout = '3s';" in out
    assert "-- Hazard deletes_data: the values of customer.phone" in out
    assert "MF103 adding-required-field" in err and "DS103 ban-drop-column" in err


def test_accepting_the_findings_and_giving_a_value_makes_it_pass(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["migrate", V1, V2, "--dialect", "sqlite", *ACCEPT]) == 0
    out = capsys.readouterr().out
    assert "PRAGMA foreign_keys = OFF;" in out
    assert "[error (accepted)] customer.phone" in out


def test_json_has_both_directions_and_the_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", V1, V2, "--dialect", "mysql", "--format", "json", *ACCEPT]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["renames"]["columns"] == {"customer.email": "email_address"}
    operations = [step["operation"] for step in document["rollback"]]
    assert "drop_table" in operations and "add_column" in operations
    assert {f["rule"] for f in document["lint"]} >= {"DS103", "BC102", "changing-column-type"}


def test_the_rollback_is_printed_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    main(["migrate", V1, V2, "--dialect", "postgresql", "--direction", "rollback", *ACCEPT])
    out = capsys.readouterr().out
    assert out.startswith("-- rollback migration for postgresql")
    assert "DROP TABLE catalogue.review;" in out
    assert "data_not_restored: the column customer.phone comes back empty" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--dialect", "cobol"], "no migration plans for 'cobol'"),
        (["--dialect", "mysql", "--backfill", "channel"], "--backfill: 'channel' is not"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["migrate", V1, V2, *extra]) == 2
    assert message in capsys.readouterr().err


def test_a_rename_of_something_absent_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(Path(V2).read_text().replace("renamed_from: email", "renamed_from: mail"))
    assert main(["migrate", V1, str(new), "--dialect", "sqlite"]) == 2
    assert "entities[0].attributes[0].renamed_from: 'mail' is not an attribute" in (
        capsys.readouterr().err
    )


def test_sarif_holds_the_findings_at_their_lines_of_the_new_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["migrate", V1, V2, "--dialect", "postgresql", "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    [run] = sarif["runs"]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["DS103"]["name"] == "ban-drop-column" and rules["DS103"]["help"]["text"]
    by_rule = {result["ruleId"]: result for result in run["results"]}
    [location] = by_rule["MF103"]["locations"]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("online-shop-v2.yaml")
    assert location["physicalLocation"]["region"]["startLine"] == 57  # order's channel
    assert by_rule["BC102"]["level"] == "warning"


def test_github_annotations_and_junit_mark_accepted_findings_as_not_failing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["migrate", V1, V2, "--dialect", "sqlite", *ACCEPT, "--format", "github"]) == 0
    out = capsys.readouterr().out
    assert "DS103" not in out  # accepted
    assert f"::warning file={V2},line=27,title=BC102 renaming-column::sqlite: " in out
    assert main(["migrate", V1, V2, "--dialect", "sqlite", *ACCEPT, "--format", "junit"]) == 0
    suite = ET.fromstring(capsys.readouterr().out).find("testsuite")
    assert suite is not None and suite.get("failures") == "0" and suite.get("skipped") == "1"


def test_fail_on_warning_fails_on_a_rename(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["migrate", V1, V2, "--dialect", "sqlite", *ACCEPT]
    assert main([*args, "--fail-on", "warning"]) == 1
    assert "lint warning: BC102 renaming-column" in capsys.readouterr().err


def test_every_migration_rule_has_its_name_and_help_for_sarif() -> None:
    source = (ROOT / "advisor" / "migrate" / "lint.py").read_text(encoding="utf-8")
    body = source[: source.index("RULE_HELP")]
    assert set(re.findall(r'"([A-Z]{2}\d{3})"', body)) <= set(RULE_HELP)
    # ... and every rule with help is one the linter gives (an Atlas code or a squawk name).
    assert all(f'"{rule}"' in body for rule in RULE_HELP)
