"""`python -m advisor lint`: the design's lint findings in the forms CI systems read, the exit
codes CI jobs act on, and findings accepted in the requirements or in a baseline."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from advisor.cli import build_parser, main
from advisor.design import create_design
from advisor.lint import RULE_HELP, RULES
from advisor.requirements import read_requirements
from tests.advisor.conftest import DEMO_PATH, ROOT

SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"

# Line 7 holds `product`, line 10 its unique text (a B-tree over text: an error), line 9 a
# price as a float (a warning); `user` (line 4) is a reserved word.
SHOP = """\
format: advisor/v1
project: Shop
entities:
  - name: user
    attributes:
      - {name: email, type: string, unique: true, required: true, case_insensitive: true}
  - name: product
    attributes:
      - {name: price, type: float}
      - {name: manual, type: text, unique: true, required: true}
"""
B_TREE = "postgresql: product: unique constraint uq_product_manual"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def outside_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["lint", *args])
    out, err = capsys.readouterr()
    return status, out, err


def lint_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    status, out, _ = lint(capsys, *args, "--format", "json")
    return status, json.loads(out)


def test_text_shows_each_finding_at_its_line_and_an_error_fails(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = lint(capsys, str(shop), "--dialect", "postgresql")
    assert status == 1
    assert f"{shop}:7: error [b-tree-on-unindexable-column] {B_TREE}" in out
    assert f"{shop}:9: warning [money-as-float] postgresql: product.price" in out
    assert "fix: use decimal with a precision and scale" in out
    assert out.endswith(
        "1 error, 2 warnings, 0 info, 0 suppressed; 1 at or above error: failing.\n"
    )
    assert err == ""


@pytest.mark.parametrize(
    ("fail_on", "status"), [("error", 1), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on_sets_the_severity_that_fails(
    shop: Path, capsys: pytest.CaptureFixture[str], fail_on: str, status: int
) -> None:
    assert lint(capsys, str(shop), "--fail-on", fail_on)[0] == status


def test_warnings_alone_pass_unless_fail_on_says_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "warnings.yaml"
    path.write_text(SHOP.replace("type: text, unique: true", "type: text"), encoding="utf-8")
    assert lint(capsys, str(path), "--dialect", "postgresql")[0] == 0
    assert lint(capsys, str(path), "--dialect", "postgresql", "--fail-on", "warning")[0] == 1


def test_the_findings_are_the_ones_the_design_writes_into_lint_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    design = create_design(read_requirements(DEMO_PATH.read_text(encoding="utf-8")))
    written = json.loads(design.file("lint.json").text)["dialects"]  # type: ignore[union-attr]
    expected = [
        (finding["rule"], f"{dialect}: {finding['location']}", finding["message"])
        for dialect, findings in written.items()
        for finding in findings
    ]
    _, report = lint_json(capsys, str(DEMO_PATH))
    assert [(f["rule"], f["location"], f["message"]) for f in report["findings"]] == expected


def test_json_is_the_documented_stable_form(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, report = lint_json(capsys, str(shop), "--dialect", "postgresql")
    assert status == 1
    assert report["format"] == "advisor/lint-report/v1"
    assert (report["tool"], report["file"], report["fail_on"]) == ("lint", str(shop), "error")
    assert report["passed"] is False
    assert report["summary"] == {
        "error": 1,
        "warning": 2,
        "info": 0,
        "suppressed": 0,
        "failing": 1,
    }
    [failing] = [finding for finding in report["findings"] if finding["failing"]]
    assert failing == {
        "rule": "b-tree-on-unindexable-column",
        "severity": "error",
        "location": B_TREE,
        "message": failing["message"],
        "fix": failing["fix"],
        "path": "entities[1]",
        "line": 7,
        "fingerprint": failing["fingerprint"],
        "suppressed": None,
        "failing": True,
    }
    ci_doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert all(f"`{key}`" in ci_doc for key in [*report, *failing])


def test_sarif_is_valid_sarif_2_1_0_with_rules_help_and_lines(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = lint(capsys, str(shop), "--dialect", "postgresql", "--format", "sarif")
    assert status == 1
    sarif = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    [run] = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert all(rule["help"]["text"] and rule["shortDescription"]["text"] for rule in rules)
    by_rule = {result["ruleId"]: result for result in run["results"]}
    error = by_rule["b-tree-on-unindexable-column"]
    assert error["level"] == "error" and by_rule["money-as-float"]["level"] == "warning"
    assert rules[error["ruleIndex"]]["id"] == "b-tree-on-unindexable-column"
    [location] = error["locations"]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == shop.as_uri()
    assert location["physicalLocation"]["region"] == {"startLine": 7}
    assert error["message"]["text"].startswith(B_TREE)


def test_sarif_names_a_file_below_the_working_directory_by_its_relative_path(
    shop: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shop.parent)
    _, out, _ = lint(capsys, "shop.yaml", "--format", "sarif")
    for result in json.loads(out)["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "shop.yaml"


def test_github_annotations_are_the_default_inside_github_actions(
    shop: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    status, out, err = lint(capsys, str(shop), "--dialect", "postgresql")
    assert status == 1
    lines = out.splitlines()
    assert (
        f"::error file={shop},line=7,title=b-tree-on-unindexable-column::{B_TREE}: unique "
        "constraint uq_product_manual is a B-tree over manual" in out
    )
    assert f"::warning file={shop},line=9,title=money-as-float::" in out
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "1 at or above error: failing" in err
    status, out, _ = lint(capsys, str(shop), "--dialect", "postgresql", "--format", "text")
    assert not out.startswith("::")


def test_junit_has_a_failure_per_failing_finding_and_a_passing_case_per_clean_rule(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = lint(capsys, str(shop), "--dialect", "postgresql", "--format", "junit")
    suites = ET.fromstring(out)
    [suite] = suites.findall("testsuite")
    cases = suite.findall("testcase")
    failed = [case for case in cases if case.find("failure") is not None]
    assert [(case.get("classname"), case.get("name"), case.get("line")) for case in failed] == [
        ("advisor.lint.b-tree-on-unindexable-column", B_TREE, "7")
    ]
    assert suite.get("tests") == str(len(cases)) and suite.get("failures") == "1"
    assert suites.get("failures") == "1"
    passing = {case.get("name") for case in cases if case.get("classname") == "advisor.lint"}
    assert "table-without-primary-key" in passing and "money-as-float" not in passing
    _, out, _ = lint(
        capsys, str(shop), "--dialect", "postgresql", "--format", "junit", "--fail-on", "warning"
    )
    assert ET.fromstring(out).get("failures") == "3"


def test_the_requirements_can_accept_a_finding_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "accepted.yaml"
    path.write_text(
        SHOP
        + "lint:\n  ignore:\n"
        + "    - {rule: b-tree-on-unindexable-column, target: product, reason: short manuals}\n"
        + "    - {rule: money-as-float, target: nothing.here}\n"
        + "    - {rule: money-as-flot}\n",
        encoding="utf-8",
    )
    status, out, err = lint(capsys, str(path), "--dialect", "postgresql", "--format", "json")
    assert status == 0
    [accepted] = [f for f in json.loads(out)["findings"] if f["suppressed"]]
    assert accepted["rule"] == "b-tree-on-unindexable-column"
    assert accepted["suppressed"] == {"by": "lint.ignore[0]", "reason": "short manuals"}
    assert "note: lint.ignore[1]: no money-as-float finding at 'nothing.here' to ignore" in err
    assert "lint.ignore[2].rule: 'money-as-flot' is not a lint rule (did you mean" in err
    _, out, _ = lint(capsys, str(path), "--dialect", "postgresql", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    [suppressed] = [result for result in results if "suppressions" in result]
    assert suppressed["suppressions"] == [{"kind": "inSource", "justification": "short manuals"}]


@pytest.mark.parametrize(
    "target",
    [
        "product",
        "product: unique constraint uq_product_manual",
        "postgresql: product: unique constraint uq_product_manual",
    ],
)
def test_a_target_is_a_table_a_location_or_a_location_in_one_dialect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    path = tmp_path / "accepted.yaml"
    path.write_text(
        SHOP + "lint: {ignore: [{rule: b-tree-on-unindexable-column, target: "
        f"{json.dumps(target)}}}]}}\n",
        encoding="utf-8",
    )
    assert lint(capsys, str(path), "--dialect", "postgresql")[0] == 0


def test_a_baseline_accepts_the_known_findings_so_that_only_new_ones_fail(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "lint-baseline.json"
    status, _, err = lint(capsys, str(shop), "--write-baseline", str(baseline))
    assert status == 0 and "Wrote the baseline" in err
    written = baseline.read_text(encoding="utf-8")
    assert lint(capsys, str(shop), "--write-baseline", str(baseline))[0] == 0
    assert baseline.read_text(encoding="utf-8") == written  # the same findings, the same file
    assert lint(capsys, str(shop), "--baseline", str(baseline))[0] == 0

    shop.write_text(
        SHOP + "      - {name: notes, type: text, unique: true, required: true}\n",
        encoding="utf-8",
    )
    status, report = lint_json(capsys, str(shop), "--baseline", str(baseline))
    assert status == 1
    failing = {f["location"] for f in report["findings"] if f["failing"]}
    assert "postgresql: product: unique constraint uq_product_notes" in failing
    assert not any("uq_product_manual" in location for location in failing)
    suppressed = {f["suppressed"]["by"] for f in report["findings"] if f["suppressed"]}
    assert suppressed == {"baseline"}


def test_json_and_sarif_stdout_hold_the_document_alone(shop: Path) -> None:
    for format in ("json", "sarif"):
        done = subprocess.run(
            [sys.executable, "-m", "advisor", "lint", str(shop), "--format", format],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "GITHUB_ACTIONS": "true"},
            check=False,
        )
        assert done.returncode == 1
        assert json.loads(done.stdout)  # nothing before or after the document
        assert "failing" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml"], "error: missing.yaml: no such file"),
        (["{bad}", "--dialect", "cobol"], "error: --dialect: no SQL schema for 'cobol'"),
        (["{invalid}"], "the requirements document is invalid"),
        (["{unreadable}"], "not valid YAML or JSON"),
        (["{bad}", "--baseline", "{unreadable}"], "not JSON"),
        (["{bad}", "--baseline", "{other}"], "not a lint baseline"),
        (["{bad}", "--write-baseline", "{folder}"], "cannot write"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_nothing_on_stdout(
    tmp_path: Path, shop: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("format: advisor/v1\nprojet: Shop\n", encoding="utf-8")
    unreadable = tmp_path / "unreadable.yaml"
    unreadable.write_text("project: [Shop\n", encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text("[]", encoding="utf-8")
    places = {"bad": shop, "invalid": invalid, "unreadable": unreadable, "other": other}
    places["folder"] = tmp_path
    status, out, err = lint(capsys, *(arg.format(**places) for arg in args), "--format", "json")
    assert status == 2
    assert out == ""
    assert message in err


def test_every_rule_has_help_and_a_row_in_docs_ci() -> None:
    ids = {rule.__name__.replace("_", "-") for rule in RULES}
    assert set(RULE_HELP) == ids
    ci_doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert [rule for rule in RULE_HELP if f"\n| `{rule}` | " not in ci_doc] == []


def test_every_command_of_docs_ci_is_one_the_command_line_accepts() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8").replace(">\n", "\n")
    commands = re.findall(r"python -m advisor ([^>\n]+)", text)
    assert len(commands) > 10
    parser = build_parser()
    for command in commands:
        if "[" in command or "`" in command:
            continue  # the synopsis, and commands named in the prose
        arguments = shlex.split(command.split("#")[0].replace('"$REQUIREMENTS"', "r.yaml"))
        parser.parse_args(arguments)  # exits 2 on anything the parser refuses
