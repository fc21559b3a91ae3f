"""Decision records as MADR 4 files: the demo's golden records, their structure, the index."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
import yaml

from advisor.decisions import (
    STATUSES,
    Decision,
    Option,
    decision_log_index,
    filename,
    render_madr,
    slug,
)
from advisor.decisions.markdown import escape
from advisor.design import Design, create_design
from advisor.requirements import Requirements, read_requirements
from tests.advisor.conftest import ROOT

GOLDEN_DIR = ROOT / "tests" / "fixtures" / "decisions"
REQUIREMENTS = sorted(
    path
    for path in (ROOT / "tests" / "fixtures" / "requirements").glob("*.yaml")
    if not path.name.endswith(".expected.yaml")
)
DAY = datetime.date(2025, 1, 1)
HEADINGS = (
    "# ",
    "## Context and Problem Statement",
    "## Decision Drivers",
    "## Considered Options",
    "## Decision Outcome",
    "### Consequences",
    "### Confirmation",
    "## Pros and Cons of the Options",
    "## More Information",
)
# Set UPDATE_GOLDEN=1 to rewrite the golden files, then review every changed line.
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def demo_design(demo: Requirements) -> Design:
    return create_design(demo, partitions_from=DAY)


def design_of(path: Path) -> Design:
    return create_design(read_requirements(path.read_text(encoding="utf-8")), partitions_from=DAY)


def front_matter(text: str) -> dict[str, object]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, text[:200]
    loaded = yaml.safe_load(match.group(1))
    assert isinstance(loaded, dict)
    return loaded


def headings(text: str) -> list[str]:
    body = text.split("\n---\n", 1)[1]
    return [line for line in body.splitlines() if line.startswith("#") and " " in line]


def test_the_demo_records_match_their_golden_files(demo: Requirements) -> None:
    design = demo_design(demo)
    decisions = design.decisions
    expected = sorted(path.name for path in GOLDEN_DIR.glob("0*.md"))
    written = []
    for number, decision in enumerate(decisions, start=1):
        name = filename(number, decision.title)
        text = render_madr(decision, number=number, status="accepted", date=DAY)
        if UPDATE:
            (GOLDEN_DIR / name).write_text(text, encoding="utf-8")
        written.append(name)
        assert text == (GOLDEN_DIR / name).read_text(encoding="utf-8"), name
    assert written == expected


def test_the_demo_design_carries_the_records_and_the_architecture_document(
    demo: Requirements,
) -> None:
    design = demo_design(demo)
    paths = [item.path for item in design.files]
    records = [path for path in paths if path.startswith("decisions/")]
    assert records == [f"decisions/{path.name}" for path in sorted(GOLDEN_DIR.glob("0*.md"))]
    assert paths[-1] == "architecture.md"
    first = design.file(records[0])
    assert first is not None and first.media_type == "text/markdown"
    assert first.text == (GOLDEN_DIR / Path(records[0]).name).read_text(encoding="utf-8")


def test_the_demo_decides_store_components_pattern_scaling_and_modelling(
    demo: Requirements,
) -> None:
    pairs = [(d.key, d.outcome) for d in demo_design(demo).decisions]
    assert pairs == [
        ("primary-store", "postgresql"),
        ("component:cache", "redis; sync=cache_aside"),
        ("component:search_index", "elasticsearch; sync=change_data_capture"),
        ("architecture-pattern", "single_database"),
        ("scaling", "replicas=1; cache=redis; sharding=none; regions=single_region"),
        ("primary-keys", "bigint_identity"),
        (
            "enum-representation",
            "postgresql=create_type; mysql=inline; sqlite=check; sqlserver=check; oracle=check",
        ),
    ]


@pytest.mark.parametrize("path", REQUIREMENTS, ids=lambda path: path.stem)
def test_every_golden_document_yields_well_formed_records(path: Path) -> None:
    decisions = design_of(path).decisions
    keys = [decision.key for decision in decisions]
    assert keys[:1] == ["primary-store"]
    assert {"architecture-pattern", "scaling", "primary-keys"} <= set(keys)
    assert len(keys) == len(set(keys))
    for number, decision in enumerate(decisions, start=1):
        assert decision.outcome and decision.title and decision.options
        text = render_madr(decision, number=number, status="accepted", date=DAY)
        meta = front_matter(text)
        assert meta["status"] == "accepted"
        assert meta["date"] == DAY
        assert meta["decision-makers"] == "database design advisor"
        found = headings(text)
        assert found[0] == f"# {escape(decision.title)}"
        order = [
            next(i for i, h in enumerate(HEADINGS) if line.startswith(h))
            for line in found
            if any(line.startswith(h) for h in HEADINGS)
        ]
        assert order == sorted(order), found
        assert "## Decision Outcome" in found and "## Context and Problem Statement" in found
        assert 'Chosen option: "' in text


def test_a_document_store_records_embedding_or_referencing() -> None:
    path = ROOT / "tests" / "fixtures" / "requirements" / "content-management.yaml"
    decisions = {d.key: d for d in design_of(path).decisions}
    modelling = decisions["document-modelling"]
    assert modelling.outcome == "article.author reference author"
    assert "relationships[0]" in modelling.inputs


def test_time_partitioning_is_recorded_with_the_partitioned_table() -> None:
    path = ROOT / "tests" / "fixtures" / "ddl" / "events.yaml"
    decisions = {d.key: d for d in design_of(path).decisions}
    partitioning = decisions["partitioning"]
    assert partitioning.outcome == "event:time(happened_at); table event:happened_at/day"
    text = render_madr(partitioning, number=5, status="accepted", date=DAY)
    assert "pg_inherits" in text and "no default one" in text and "create\\_parent" in text


def test_a_time_series_primary_gets_no_record_of_sql_partitions() -> None:
    path = ROOT / "tests" / "fixtures" / "requirements" / "iot-telemetry.yaml"
    design = design_of(path)
    assert design.recommendation.primary.technology == "timescaledb"
    assert "partitioning" not in {d.key for d in design.decisions}


def test_links_to_other_records_are_listed_under_more_information() -> None:
    decision = create_design(
        read_requirements("format: advisor/v1\nproject: Shop\nentities: [{name: a}]")
    ).decisions[0]
    text = render_madr(
        decision,
        number=7,
        status="superseded",
        date=DAY,
        supersedes=((3, "Use MySQL as the primary store"),),
        superseded_by=((12, "Use CockroachDB as the primary store"),),
        amends=((2, "Use bigint identity primary keys"),),
    )
    more = text.split("## More Information", 1)[1]
    assert "* Supersedes [0003](0003-use-mysql-as-the-primary-store.md)" in more
    assert "* Superseded by [0012](0012-use-cockroachdb-as-the-primary-store.md)" in more
    assert "* Amends [0002](0002-use-bigint-identity-primary-keys.md)" in more
    assert front_matter(text)["status"] == "superseded"


def test_an_unknown_status_is_refused() -> None:
    decision = Decision("k", "T", "o", "c", (), (), (), (), (), (), (), ())
    with pytest.raises(ValueError, match="not a status"):
        render_madr(decision, number=1, status="approved", date=DAY)


HOSTILE = "a | b *c* _d_ `e` <script>alert(1)</script> [x](y) # h"


def test_names_from_the_requirements_cannot_break_the_markdown() -> None:
    decision = Decision(
        key="k",
        title=HOSTILE,
        outcome="o",
        context="ctx",
        drivers=(),
        options=(Option(HOSTILE, 1.0, "s"),),
        justification=(),
        good=(),
        bad=(),
        confirmation=(),
        more_information=(),
        inputs=(),
    )
    text = render_madr(decision, number=1, status="proposed", date=DAY)
    assert "<script>" not in text
    title = next(line for line in text.splitlines() if line.startswith("# "))
    assert title == (
        "# a \\| b \\*c\\* \\_d\\_ \\`e\\` &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](y) # h"
    )
    assert 'Chosen option: "a \\| b' in text


def test_a_hostile_project_renders_safe_records_and_a_safe_architecture_document() -> None:
    text = f"""
format: advisor/v1
project: "{HOSTILE}"
workload: {{reads_per_second: 500}}
entities:
  - name: "or|der*"
    attributes:
      - {{name: "st`at<b>us", type: enum, values: ["a|b", "<i>"], required: true}}
access_patterns:
  - {{name: "find | <b>it</b>", entity: "or|der*", operation: read, kind: lookup,
      filter: ["st`at<b>us"], per_second: 2000}}
"""
    from advisor.decisions import architecture_document

    design = create_design(read_requirements(text), partitions_from=DAY)
    documents = [
        render_madr(d, number=n, status="accepted", date=DAY)
        for n, d in enumerate(design.decisions, start=1)
    ]
    documents.append(architecture_document(design))
    for document in documents:
        assert not raw_html(document), raw_html(document)
        header: int | None = None
        for line in document.splitlines():
            if not line.startswith("|"):
                header = None
                continue
            cells = len(re.split(r"(?<!\\)\|", line))
            header = header or cells
            assert cells == header, line


def raw_html(markdown: str) -> list[str]:
    """Tags outside code spans (which show their text as it is); autolinks are not tags."""
    outside = re.sub(r"(`+)(?:(?!\1).)+?\1", "", markdown)
    return re.findall(r"<(?!https?://)/?[A-Za-z][^>]*>", outside)


def test_slugs_are_ascii_lower_case_and_at_most_60_characters() -> None:
    long = slug("Scale with 15 read replicas, a Redis cache, sharding message by conversation")
    assert len(long) <= 60 and not long.endswith("-")
    assert re.fullmatch(r"[a-z0-9-]+", slug("Ünïcødé «names» & `code` | pipes"))
    assert filename(12, "Use X") == "0012-use-x.md"


def test_the_log_index_groups_records_by_status_and_links_their_files() -> None:
    records = [
        (1, "Use MySQL as the primary store", "superseded", DAY),
        (2, "Use bigint identity primary keys", "accepted", DAY),
        (3, "Use PostgreSQL as the primary store", "accepted", datetime.date(2025, 2, 1)),
        (4, "Shard orders", "proposed", datetime.date(2025, 3, 1)),
        (5, "Cache | everything", "rejected", datetime.date(2025, 3, 2)),
        (6, "Keep one region", "deprecated", datetime.date(2025, 3, 3)),
    ]
    index = decision_log_index(records)
    groups = [line for line in index.splitlines() if line.startswith("## ")]
    assert groups == ["## Accepted", "## Proposed", "## Superseded", "## Deprecated", "## Rejected"]
    accepted = index.split("## Accepted", 1)[1].split("## Proposed", 1)[0]
    assert "* [2. Use bigint identity primary keys](0002-use-bigint-identity-primary-keys.md)" in (
        accepted
    )
    assert "(0003-use-postgresql-as-the-primary-store.md) (2025-02-01)" in accepted
    assert "[5. Cache \\| everything](0005-cache-everything.md)" in index
    assert set(STATUSES) == {"accepted", "proposed", "superseded", "deprecated", "rejected"}


def test_the_log_index_refuses_records_in_the_wrong_order() -> None:
    with pytest.raises(ValueError, match="number, title, status, date"):
        decision_log_index([(1, "accepted", "Use X", DAY)])
