"""The margin of the choice and what would change it (issue 10, step 4)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from advisor.design import create_design
from advisor.draft import Draft
from advisor.engine import _scoring_rules, advise, ten_times_load
from advisor.facts import Facts, build_facts
from advisor.matrix import DEFAULT_MATRIX
from advisor.recommendation import render_text
from advisor.requirements import Requirements, parse_requirements, read_requirements
from advisor.requirements.synthetic import synthetic_document
from advisor.rules import RULES
from advisor.rules.design import rank
from advisor.sensitivity import _changes, _only_adds, kept_for, record, rescore

ROOT = Path(__file__).resolve().parents[2]
SHOP = read_requirements((ROOT / "docs" / "examples" / "online-shop.yaml").read_text())
DOCUMENTS = {
    path.stem: path
    for path in sorted((ROOT / "tests" / "fixtures" / "requirements").glob("*.yaml"))
    if not path.name.endswith(".expected.yaml")
}


def test_the_margin_is_measured_against_the_best_other_category() -> None:
    recommendation = advise(SHOP)
    confidence = recommendation.confidence
    assert confidence is not None
    other = next(
        a for a in recommendation.alternatives if a.category != recommendation.primary.category
    )
    assert confidence.runner_up == other.technologies[0].technology
    assert abs(confidence.margin - (recommendation.primary.score - other.score)) < 1e-9
    assert confidence.level in ("high", "medium", "low")
    assert not confidence.flips_checked and confidence.flips == ()


def test_the_smallest_change_that_flips_the_answer_is_found() -> None:
    confidence = advise(SHOP, flips=True).confidence
    assert confidence is not None and confidence.flips_checked
    by_input = {flip.input: flip for flip in confidence.flips}
    # The shop asks for strong consistency: a second write region needs consensus.
    regions = by_input["workload.regions"]
    assert regions.technology in ("cockroachdb", "yugabytedb", "spanner")
    for flip in confidence.flips:
        assert flip.technology != advise(SHOP).primary.technology


def test_each_flip_really_gives_that_store() -> None:
    writes_heavy = read_requirements(
        "format: advisor/v1\nproject: Events\n"
        "workload: {writes_per_second: 4000, consistency: eventual, transactions: none}\n"
        "entities: [{name: event, attributes: [{name: at, type: datetime}]}]\n"
        "access_patterns: [{name: put, entity: event, operation: write, kind: append}]\n"
    )
    recommendation = advise(writes_heavy, flips=True)
    assert recommendation.confidence is not None
    flip = next(
        f for f in recommendation.confidence.flips if f.input == "workload.writes_per_second"
    )
    factor = int(flip.change.rsplit("(x", 1)[1].rstrip(")"))
    text = (
        "format: advisor/v1\nproject: Events\n"
        f"workload: {{writes_per_second: {4000 * factor}, consistency: eventual,"
        " transactions: none}\n"
        "entities: [{name: event, attributes: [{name: at, type: datetime}]}]\n"
        "access_patterns: [{name: put, entity: event, operation: write, kind: append}]\n"
    )
    assert advise(read_requirements(text)).primary.technology == flip.technology


def test_the_record_and_the_command_line_say_what_would_change_the_answer() -> None:
    design = create_design(SHOP)
    record = next(d for d in design.decisions if d.key == "primary-store")
    assert any(line.startswith("Confidence: ") for line in record.more_information)
    assert any("What would change this answer" in line for line in record.more_information)
    text = render_text(design.recommendation)
    assert "Confidence: " in text and "would give" in text


def test_facts_built_for_a_flip_from_the_original_ones_are_the_facts_built_afresh() -> None:
    facts = build_facts(SHOP, DEFAULT_MATRIX)
    changes = [change for options in _changes(SHOP).values() for _, change in options]
    assert len(changes) >= 5
    for change in changes:
        changed = change(SHOP)
        assert build_facts(changed, DEFAULT_MATRIX, like=facts) == build_facts(
            changed, DEFAULT_MATRIX
        )


def test_facts_of_other_entities_lend_nothing() -> None:
    other = read_requirements(
        "format: advisor/v1\nproject: Notes\n"
        "entities: [{name: note, attributes: [{name: body, type: text}]}]\n"
    )
    shop = build_facts(SHOP, DEFAULT_MATRIX)
    assert build_facts(other, DEFAULT_MATRIX, like=shop) == build_facts(other, DEFAULT_MATRIX)


def _document(name: str) -> Requirements:
    if name == "generated":
        return parse_requirements(synthetic_document(60))
    if name == "partly derived":  # the durability rule then reads the sizes
        first, *rest = SHOP.entities
        entities = (dataclasses.replace(first, derived=True), *rest)
        return dataclasses.replace(SHOP, entities=entities)
    if name == "avoiding managed services":  # a second write region rules out more first
        return dataclasses.replace(
            SHOP, team=dataclasses.replace(SHOP.team, managed_service="avoid")
        )
    return read_requirements(DOCUMENTS[name].read_text())


@pytest.mark.parametrize("name", ["generated", *DOCUMENTS])
def test_facts_lent_from_one_change_to_the_next_are_the_facts_built_afresh(name: str) -> None:
    """The search builds each change's facts from the stated ones, which lend their layout,
    their sizes and remembered needs, and each pattern whose figures did not change; lending
    them on from change to change must not change a figure either."""
    requirements = _document(name)
    facts = build_facts(requirements, DEFAULT_MATRIX)
    changed = [change(requirements) for o in _changes(requirements).values() for _, change in o]
    previous = facts
    for item in [*changed, ten_times_load(requirements), requirements]:
        afresh = build_facts(item, DEFAULT_MATRIX)
        assert build_facts(item, DEFAULT_MATRIX, like=facts) == afresh
        lent = build_facts(item, DEFAULT_MATRIX, like=previous)
        assert lent == afresh
        assert _positions(lent) == _positions(afresh)
        previous = lent


def _positions(facts: Facts) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    return dict(facts.positions_by_kind), facts.write_positions


def test_patterns_in_another_order_are_found_where_they_now_stand() -> None:
    """The facts of a changed workload share where the patterns of each kind stand with the
    facts they are built like; patterns of the same entities in another order share nothing."""
    facts = build_facts(SHOP, DEFAULT_MATRIX)
    reordered = dataclasses.replace(SHOP, access_patterns=SHOP.access_patterns[::-1])
    lent = build_facts(reordered, DEFAULT_MATRIX, like=facts)
    assert _positions(lent) == _positions(build_facts(reordered, DEFAULT_MATRIX))
    assert _positions(lent) != _positions(facts)


@pytest.mark.parametrize(
    "name", ["generated", "partly derived", "avoiding managed services", *DOCUMENTS]
)
def test_a_change_rescored_from_the_stated_run_is_the_change_scored_afresh(name: str) -> None:
    """The search keeps the part of the stated requirements' draft that each rule added when
    the rule reads nothing the change touches (as declared with `advisor.rules.reads`):
    criteria, reasons and choice must be those of every scoring rule run again on the changed
    facts."""
    requirements = _document(name)
    facts = build_facts(requirements, DEFAULT_MATRIX)
    scoring = _scoring_rules(RULES)
    steps = record(Draft(facts), scoring)
    kept_somewhere = 0
    for path, options in _changes(requirements).items():
        kept = [_only_adds(before, after) and kept_for(rule, path) for rule, before, after in steps]
        kept_somewhere += sum(kept)
        for _, change in options:
            changed = Draft(build_facts(change(requirements), DEFAULT_MATRIX, like=facts))
            assert rescore(changed, steps, kept) == record(changed, scoring)[-1][2]
    assert kept_somewhere > 0


@pytest.mark.parametrize(
    "name", ["generated", "partly derived", "avoiding managed services", *DOCUMENTS]
)
def test_a_quiet_draft_is_scored_as_one_that_explains(name: str) -> None:
    """The search ranks quiet drafts, whose rules write no reasons: the criteria, the ruled
    out and the familiar stores, and so the ranking, must be those of the scoring rules run
    with their reasons."""
    requirements = _document(name)
    facts = build_facts(requirements, DEFAULT_MATRIX)
    scoring = _scoring_rules(RULES)[:-1]  # all but the choice, which the search only ranks
    steps = record(Draft(facts), scoring)
    for path, options in _changes(requirements).items():
        kept = [_only_adds(before, after) and kept_for(rule, path) for rule, before, after in steps]
        for _, change in options:
            changed = build_facts(change(requirements), DEFAULT_MATRIX, like=facts)
            quiet = rescore(Draft(changed, quiet=True), steps, kept)
            said = record(Draft(changed), scoring)[-1][2]
            assert quiet.trace == ()
            assert (quiet.criteria, quiet.disqualified, quiet.familiar) == (
                said.criteria,
                said.disqualified,
                said.familiar,
            )
            assert rank(quiet) == rank(said)
