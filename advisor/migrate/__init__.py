"""Migrations between two versions of a design: the schema diff (with the renames the new
version declares), forward and rollback plans per dialect with typed hazards, the migration
linter, and the verification of a plan on a real engine. See docs/migrations.md."""

from __future__ import annotations

from advisor.migrate.diff import Renames, SchemaDiff, diff_schemas, renames_between
from advisor.migrate.hazards import HAZARDS, Hazard
from advisor.migrate.plan import Migration, plan_migration, plan_schemas
from advisor.migrate.steps import Plan, Step
from advisor.migrate.verify import Verification, verify

__all__ = [
    "HAZARDS",
    "Hazard",
    "Migration",
    "Plan",
    "Renames",
    "SchemaDiff",
    "Step",
    "Verification",
    "diff_schemas",
    "plan_migration",
    "plan_schemas",
    "renames_between",
    "verify",
]
