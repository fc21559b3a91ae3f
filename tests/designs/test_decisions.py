"""The decision log: recorded from designs, superseded never overwritten, written by hand."""

from __future__ import annotations

import copy
import io
import threading
import zipfile
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, TestCase
from django.urls import reverse

from advisor.engine import advise
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import parse_requirements
from designs import decisions as log
from designs import services
from designs.generation import design_generate
from designs.models import Decision, Design, Project

ROOT = Path(__file__).resolve().parents[2]
DEMO = yaml.safe_load((ROOT / "docs" / "examples" / "online-shop.yaml").read_text())
EVENTS = yaml.safe_load(
    (ROOT / "tests" / "fixtures" / "requirements" / "event-logging.yaml").read_text()
)


def global_scale(document: dict) -> dict:
    changed = copy.deepcopy(document)
    changed["workload"].update({"writes_per_second": 200_000, "regions": 3})
    return changed


def event_log(
    *, expertise: list[str], writes: int, consistency: str = "strong", regions: int = 1
) -> dict:
    """An append-only event history read by time range: PostgreSQL at 500 writes/s in one
    region; Apache Cassandra at 80,000 eventually consistent writes/s in two regions; at
    200,000 strongly consistent writes/s a close call that the team's store decides."""
    changed = copy.deepcopy(EVENTS)
    changed["team"]["expertise"] = expertise
    changed["workload"].update(
        writes_per_second=writes,
        consistency=consistency,
        transactions="single_entity",
        data_volume_gb=400,
        growth_gb_per_month=20,
        regions=regions,
    )
    changed["access_patterns"][0]["per_second"] = writes
    return changed


def primary_of(document: dict) -> str:
    return advise(parse_requirements(document)).primary.technology


def generate(project: Project, document: dict, user) -> list[Decision]:
    try:
        version = services.requirements_save(project=project, document=document, created_by=user)
    except services.NothingChanged as unchanged:
        version = unchanged.version
    _, records = design_generate(version=version, created_by=user)
    return records


def primary_record(project: Project, status: str = "accepted") -> Decision:
    return project.decisions.get(key="primary-store", status=status)


def test_a_first_design_records_its_decisions_as_accepted(alice, alice_project) -> None:
    records = generate(alice_project, DEMO, alice)
    assert records, "the demo's design decides things"
    assert [r.number for r in records] == list(range(1, len(records) + 1))
    assert {r.status for r in records} == {"accepted"}
    assert "PostgreSQL" in primary_record(alice_project).title


def test_regenerating_an_unchanged_version_adds_nothing(alice, alice_project) -> None:
    generate(alice_project, DEMO, alice)
    before = alice_project.decisions.count()
    version = alice_project.versions.get()
    _, records = design_generate(version=version, created_by=alice)
    assert records == []
    assert alice_project.decisions.count() == before


def test_a_changed_decision_supersedes_the_old_record(alice, alice_project) -> None:
    generate(alice_project, DEMO, alice)
    old = primary_record(alice_project)
    records = generate(alice_project, global_scale(DEMO), alice)
    new = primary_record(alice_project)
    assert new in records and new.supersedes == old
    old.refresh_from_db()
    assert old.status == "superseded"
    assert old.title == primary_record(alice_project, "superseded").title  # never rewritten
    assert f"Superseded by [{new.number:04d}]" in log.record_markdown(old)
    assert f"Supersedes [{old.number:04d}]" in log.record_markdown(new)


def test_a_store_change_records_its_data_migration_once(alice, alice_project) -> None:
    generate(alice_project, DEMO, alice)
    generate(alice_project, global_scale(DEMO), alice)
    moved = primary_record(alice_project)
    text = log.record_markdown(moved)
    assert "### Migration" in text and "**Shadow reads** (a deployment)." in text
    # Generated again, the design follows a Spanner design: no migration, and nothing to record
    # (the plan stays with the record of the design that changed the store).
    records = generate(alice_project, global_scale(DEMO), alice)
    assert "primary-store" not in {record.key for record in records}
    assert primary_record(alice_project) == moved


def test_the_timeline_filters_by_status(alice_client: Client, alice, alice_project) -> None:
    generate(alice_project, DEMO, alice)
    generate(alice_project, global_scale(DEMO), alice)
    url = reverse("decision_list", args=[alice_project.pk])
    partial = alice_client.get(url, {"status": "superseded"}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<section id="timeline"')
    superseded = alice_client.get(url, {"status": "superseded"})
    records = list(superseded.context["records"])
    assert records and all(record.status == "superseded" for record in records)


def test_a_superseding_record_shows_the_chain_the_diff_and_the_changed_inputs(
    alice_client: Client, alice, alice_project
) -> None:
    generate(alice_project, DEMO, alice)
    old = primary_record(alice_project)
    generate(alice_project, global_scale(DEMO), alice)
    new = primary_record(alice_project)
    page = alice_client.get(new.get_absolute_url()).content.decode()
    assert f"{old.number:04d}</a> → <strong>{new.number:04d}</strong>" in page
    assert 'class="diff"' in page
    assert f'Supersedes <a href="{old.get_absolute_url()}">' in page
    assert "workload.writes_per_second" in page
    assert "read by this decision" in page


def test_a_person_writes_a_proposal_edits_it_and_accepts_it(alice_client: Client, alice_project):
    form = {
        "title": "Keep audit logs for seven years",
        "context": "Auditors ask for seven years of history.",
        "options": "Keep in the database: simple\nArchive to object storage: cheap",
        "outcome": "Archive to object storage",
        "justification": "Cold data costs less there.",
    }
    response = alice_client.post(reverse("decision_create", args=[alice_project.pk]), form)
    record = alice_project.decisions.get()
    assert response["Location"] == record.get_absolute_url()
    assert record.status == "proposed"
    edit = reverse("decision_edit", args=[alice_project.pk, record.number])
    alice_client.post(edit, {**form, "title": "Keep audit logs for ten years"})
    record.refresh_from_db()
    assert record.title == "Keep audit logs for ten years"
    status = reverse("decision_status", args=[alice_project.pk, record.number])
    alice_client.post(status, {"status": "accepted"})
    record.refresh_from_db()
    assert record.status == "accepted"
    refused = alice_client.post(edit, {**form, "title": "Rewritten"}, follow=True)
    assert "is accepted and is never edited" in refused.content.decode()
    record.refresh_from_db()
    assert record.title == "Keep audit logs for ten years"


def test_an_amendment_links_to_the_record_it_amends(alice_client: Client, alice, alice_project):
    generate(alice_project, DEMO, alice)
    old = primary_record(alice_project)
    url = reverse("decision_create", args=[alice_project.pk]) + f"?amends={old.number}"
    prefilled = alice_client.get(url).content.decode()
    assert old.content["context"][:30] in prefilled
    form = {"title": "Also keep a logical replica", "context": "x", "outcome": "yes"}
    alice_client.post(url, form)
    amendment = alice_project.decisions.get(title="Also keep a logical replica")
    assert amendment.amends == old
    assert f"Amends [{old.number:04d}]" in log.record_markdown(amendment)


def test_invalid_status_changes_are_refused(alice_client: Client, alice, alice_project) -> None:
    generate(alice_project, DEMO, alice)
    record = primary_record(alice_project)
    status = reverse("decision_status", args=[alice_project.pk, record.number])
    response = alice_client.post(status, {"status": "proposed"}, follow=True)
    assert "cannot go from accepted to proposed" in response.content.decode()
    alice_client.post(status, {"status": "deprecated"})
    record.refresh_from_db()
    assert record.status == "deprecated"


def test_the_zip_is_a_madr_decision_folder(alice_client: Client, alice, alice_project) -> None:
    generate(alice_project, DEMO, alice)
    generate(alice_project, global_scale(DEMO), alice)
    response = alice_client.get(reverse("decision_zip", args=[alice_project.pk]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert "docs/decisions/README.md" in names
        records = [n for n in names if n != "docs/decisions/README.md"]
        assert len(records) == alice_project.decisions.count()
        first = archive.read(sorted(records)[0]).decode()
        index = archive.read("docs/decisions/README.md").decode()
    assert sorted(records)[0].startswith("docs/decisions/0001-")
    front = yaml.safe_load(first.split("---\n")[1])
    assert front["status"] in {"accepted", "superseded"}
    assert "## Decision Outcome" in first
    assert sorted(records)[0].removeprefix("docs/decisions/") in index


def test_the_command_line_records_and_prints_the_supersede_chain(alice, tmp_path) -> None:
    first = tmp_path / "shop.yaml"
    first.write_text(yaml.safe_dump(DEMO))
    second = tmp_path / "shop-global.yaml"
    second.write_text(yaml.safe_dump(global_scale(DEMO)))
    out = io.StringIO()
    call_command("advise", str(first), owner="alice", project="Shop", stdout=out)
    assert "Created project 'Shop' for alice." in out.getvalue()
    call_command("advise", str(second), owner="alice", project="Shop", stdout=out)
    project = Project.objects.get(name="Shop")
    new = primary_record(project)
    assert f"supersedes {new.supersedes.number:04d}" in out.getvalue()
    assert f"superseded by {new.number:04d}" in out.getvalue()
    again = io.StringIO()
    call_command("advise", str(second), owner="alice", project="Shop", stdout=again)
    assert "Requirements unchanged since v2." in again.getvalue()
    assert "was made from v2 already" in again.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_generations_at_once_never_share_a_number(alice) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (the CI run with DATABASE_URL set)")
    projects = services.project_create(owner=alice, name="Race")
    versions = [
        services.requirements_save(project=projects, document=doc, created_by=alice)
        for doc in (DEMO, global_scale(DEMO))
    ]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(version) -> None:
        try:
            barrier.wait()
            design_generate(version=version, created_by=alice)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(v,)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    numbers = list(projects.decisions.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert sorted(projects.designs.values_list("number", flat=True)) == [1, 2]


def test_no_accepted_record_names_a_store_the_design_no_longer_uses(alice, alice_project) -> None:
    postgresql = event_log(expertise=["postgresql"], writes=500)
    cassandra = event_log(expertise=["cassandra"], writes=80_000, consistency="eventual", regions=2)
    assert [primary_of(postgresql), primary_of(cassandra)] == ["postgresql", "cassandra"]
    names = {t.id: t.name for t in DEFAULT_MATRIX.technologies.values()}
    generate(alice_project, postgresql, alice)
    assert alice_project.decisions.filter(key="partitioning").exists()
    for document, dropped in ((cassandra, "postgresql"), (postgresql, "cassandra")):
        generate(alice_project, document, alice)
        latest = alice_project.designs.order_by("-number").first()
        used = {latest.recommendation["primary"]["technology"]}
        used |= {component["technology"] for component in latest.recommendation["components"]}
        assert dropped not in used
        accepted = alice_project.decisions.filter(status="accepted").exclude(key="")
        assert accepted.filter(design=latest).count() == accepted.count()
        for record in accepted:
            content = record.content
            said = " ".join(
                [record.title, content["context"], *content["good"], *content["bad"]]
                + content["confirmation"]
                + content["more_information"]
            )
            assert names[dropped] not in said, (record.title, names[dropped])
        # Cassandra buckets time in its partition keys: no SQL partitions, so no such record.
        partitioning = accepted.filter(key="partitioning").first()
        assert (partitioning is not None) == (primary_of(document) == "postgresql")
        if partitioning is not None:
            assert names["postgresql"] in partitioning.content["context"]
            assert "pg_inherits" in log.record_markdown(partitioning)


def test_the_change_table_marks_the_input_that_changed_the_store(
    alice_client: Client, alice, alice_project
) -> None:
    before = event_log(expertise=["postgresql"], writes=200_000)
    after = event_log(expertise=["cassandra"], writes=200_000)
    assert primary_of(before) != primary_of(after) == "cassandra"
    generate(alice_project, before, alice)
    generate(alice_project, after, alice)
    new = primary_record(alice_project)
    page = alice_client.get(new.get_absolute_url()).content.decode()
    assert (
        '<li class="read"><code>team.expertise</code>: <span class="old">PostgreSQL</span> → '
        '<span class="new">Apache Cassandra</span>'
    ) in page, "the change reads as a person writes it, not as a Python tuple"
    assert "(&#x27;postgresql&#x27;,)" not in page
    changes = alice_client.get(new.get_absolute_url()).context["changes"]
    assert [change["path"] for change in changes] == ["team.expertise"]
    assert all(change["read"] for change in changes)


def zip_records(client: Client, design: Design) -> dict[int, str]:
    url = reverse("design_zip", args=[design.project_id, design.number])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.get(url)  # a job draws the diagram first
    with zipfile.ZipFile(io.BytesIO(client.get(url).content)) as archive:
        return {
            int(Path(name).name[:4]): archive.read(name).decode()
            for name in archive.namelist()
            if "/decisions/" in name
        }


def test_the_design_zip_numbers_records_as_the_project_log(
    alice_client: Client, alice, alice_project
) -> None:
    first = generate(alice_project, DEMO, alice)
    second = generate(alice_project, global_scale(DEMO), alice)
    kept = {record.key for record in first} - {record.key for record in second}
    assert kept and second, "the second design changes some decisions and keeps others"
    designs = alice_project.designs.order_by("number")
    assert sorted(zip_records(alice_client, designs[0])) == [record.number for record in first]
    latest = zip_records(alice_client, designs[1])
    accepted = alice_project.decisions.filter(status="accepted").order_by("number")
    assert sorted(latest) == [record.number for record in accepted]
    for record in accepted:
        assert latest[record.number] == log.record_markdown(record)
    assert {record.number for record in first if record.key in kept} < set(latest)


def test_the_command_line_writes_the_design_with_the_logs_numbers(alice, tmp_path) -> None:
    first = tmp_path / "shop.yaml"
    first.write_text(yaml.safe_dump(DEMO))
    second = tmp_path / "shop-global.yaml"
    second.write_text(yaml.safe_dump(global_scale(DEMO)))
    call_command("advise", str(first), owner="alice", project="Shop", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "advise", str(second), owner="alice", project="Shop", out=str(tmp_path / "d"), stdout=out
    )
    project = Project.objects.get(name="Shop")
    written = sorted(path.name for path in (tmp_path / "d" / "decisions").iterdir())
    accepted = project.decisions.filter(status="accepted").order_by("number")
    assert written == [log.record_filename(record) for record in accepted]
    assert "files of design 2" in out.getvalue()


def test_a_generation_after_another_reads_the_stored_design_instead_of_redoing_it(
    alice, alice_project, monkeypatch
) -> None:
    import advisor.engine
    import advisor.facts

    generate(alice_project, DEMO, alice)
    counts = {"facts": 0, "runs": 0}

    def counting(name, original):
        def counted(*args, **kwargs):
            counts[name] += 1
            return original(*args, **kwargs)

        return counted

    monkeypatch.setattr(advisor.engine, "run", counting("runs", advisor.engine.run))
    for module in ("advisor.engine", "advisor.design"):
        monkeypatch.setattr(f"{module}.build_facts", counting("facts", advisor.facts.build_facts))
    generate(alice_project, global_scale(DEMO), alice)
    # The stated load and its 10x projection; the previous design is read from its files.
    assert counts == {"facts": 2, "runs": 2}
    latest = alice_project.designs.order_by("-number").first()
    plan = latest.files.get(path="architecture.md").content.split("## Migration plan", 1)[1]
    assert "PostgreSQL →" in plan
