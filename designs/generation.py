"""Generating a design from a requirements version and recording its decisions."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from advisor.baseline import MODEL_FILE, Baseline, baseline_from_files
from advisor.design import STAGES, Progress, create_design
from designs import services
from designs.decisions import decision_files_renumber, decisions_record
from designs.models import Decision, Design, RequirementsVersion

# What a design job does, in order: the engine's stages between reading and storing.
DESIGN_STAGES = ("loading the requirements", *STAGES, "storing the design")


def design_generate(
    *,
    version: RequirementsVersion,
    created_by: AbstractBaseUser | None,
    progress: Progress | None = None,
) -> tuple[Design, list[Decision]]:
    """Make, store and record the design of `version`; returns it and the records it created.

    A version is designed once: when another run stored its design meanwhile (two clicks, a
    task delivered twice), that design is returned with no records. `progress(stage, done)`
    is called at the start of each of `DESIGN_STAGES`.
    """
    report = progress or (lambda stage, done: None)
    report("loading the requirements", 0.0)
    requirements = services.requirements_of(version)
    previous = _baseline(services.latest_design(version.project))
    design = create_design(requirements, progress=report, previous=previous)
    report("storing the design", 0.0)
    with transaction.atomic():
        # Runs for one version queue here (PostgreSQL); the unique constraint backs it up.
        RequirementsVersion.objects.select_for_update(no_key=True).get(pk=version.pk)
        existing = services.design_for(version)
        if existing is not None:
            return existing, []
        stored = services.design_store(version=version, design=design, created_by=created_by)
        records = decisions_record(design=stored, decisions=design.decisions, created_by=created_by)
        decision_files_renumber(design=stored, decisions=design.decisions)
    return stored, records


def _baseline(stored: Design | None) -> Baseline | None:
    """What the last stored design was, read from its files, for the migration plan."""
    if stored is None:
        return None
    paths = ("recommendation.json", MODEL_FILE)
    files = stored.files.filter(path__in=paths).values_list("path", "content")
    baseline = baseline_from_files(dict(files))
    if baseline is None:
        return None
    return replace(baseline, requirements=services.requirements_of(stored.version))
