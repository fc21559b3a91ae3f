"""The public case benchmark (tests/fixtures/cases, docs/cases.md): every case is valid and
sourced, the command runs, and the accuracy does not fall below the recorded baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from advisor.benchmark import (
    CASES_DIR,
    InvalidCase,
    Report,
    case_paths,
    load_case,
    run_benchmark,
)
from advisor.cli import main
from advisor.matrix import DEFAULT_MATRIX

CASES = case_paths(CASES_DIR)
BASELINE = yaml.safe_load((CASES_DIR / "BASELINE.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report() -> Report:
    return run_benchmark()


def test_there_are_at_least_40_cases_and_every_category_is_expected_somewhere() -> None:
    assert len(CASES) >= 40
    expected = {load_case(path).expected for path in CASES}
    assert expected == set(DEFAULT_MATRIX.categories)


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_case_is_valid_and_names_its_sources(path: Path) -> None:
    case = load_case(path)

    assert case.sources and all(source.startswith("http") for source in case.sources)
    assert case.notes.strip() and case.chose.strip()
    assert 1970 <= case.year <= 2030


def test_case_titles_are_unique() -> None:
    titles = [load_case(path).title for path in CASES]
    assert len(titles) == len(set(titles))


def test_the_command_prints_accuracy_confusion_shares_misses_and_the_target(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["benchmark"]) == 0
    out = capsys.readouterr().out

    assert f"Case benchmark: {len(CASES)} cases" in out
    assert "(target 90%)" in out and "(target at most 33%)" in out
    assert "Confusion matrix (rows: expected, columns: chosen):" in out
    assert "Chosen technologies:" in out and "Misses (" in out


def test_the_json_form_has_the_numbers_and_one_result_per_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["benchmark", str(CASES_DIR), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)

    assert document["cases"] == len(CASES) == len(document["results"])
    assert document["target_accuracy"] == 0.9
    hits = sum(result["hit"] for result in document["results"])
    assert document["accuracy"] == round(hits / len(CASES), 4)
    assert sum(row["cases"] for row in document["technologies"]) == len(CASES)


def test_accuracy_does_not_fall_below_the_recorded_floor(report: Report) -> None:
    assert report.accuracy >= BASELINE["accuracy_floor"], (
        f"accuracy {report.accuracy:.3f} fell below the floor {BASELINE['accuracy_floor']}; "
        "misses: " + ", ".join(miss.case.name for miss in report.misses)
    )


def test_no_technology_takes_a_larger_share_than_recorded(report: Report) -> None:
    technology, count, share = report.technology_shares()[0]
    assert share <= BASELINE["largest_technology_share_ceiling"], (
        f"{technology} is chosen for {count} cases ({share:.3f}), above the recorded ceiling"
    )


def test_a_miss_reports_the_two_leading_categories_and_their_margin(report: Report) -> None:
    for result in report.results:
        assert result.chosen.category != result.runner_up.category
        assert result.margin == pytest.approx(result.chosen.score - result.runner_up.score)
        # The team's familiarity may pick a store up to its margin behind the best score.
        assert result.margin >= -DEFAULT_MATRIX.threshold("familiarity_margin_points")


def test_an_invalid_case_file_exits_2_naming_the_file_and_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = (CASES_DIR / "personal-blog.yaml").read_text(encoding="utf-8")
    (tmp_path / "blog.yaml").write_text(good, encoding="utf-8")
    bad = good.replace("accepted_categories: [relational]", "accepted_categories: [relationl]")
    (tmp_path / "typo.yaml").write_text(bad.replace("slug, type: string", "slug, type: strng"))

    assert main(["benchmark", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert str(tmp_path / "typo.yaml") in error
    assert "'relationl' is not a category of the matrix" in error


def test_a_case_without_sources_is_invalid(tmp_path: Path) -> None:
    document = yaml.safe_load((CASES_DIR / "personal-blog.yaml").read_text(encoding="utf-8"))
    del document["case"]["sources"]
    path = tmp_path / "unsourced.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")

    with pytest.raises(InvalidCase, match=r"case\.sources: is required"):
        load_case(path)


def test_invalid_requirements_in_a_case_are_reported_with_their_path(tmp_path: Path) -> None:
    document = yaml.safe_load((CASES_DIR / "personal-blog.yaml").read_text(encoding="utf-8"))
    document["requirements"]["workload"]["writes_per_sec"] = 1
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")

    with pytest.raises(InvalidCase, match=r"requirements\.workload\.writes_per_sec"):
        load_case(path)
