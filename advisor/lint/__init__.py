"""The schema linter: rules over the logical model, each finding with a fix hint.

>>> from advisor.requirements import read_requirements
>>> from advisor.schema import build_schema
>>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: user}]\\n")
>>> [(f.rule, f.location) for f in lint(build_schema(shop, "postgresql"))]
[('reserved-word-identifier', 'table user')]
"""

from __future__ import annotations

from advisor.lint.rules import RULE_HELP, RULES, SEVERITIES, Finding, Rule, Subject, lint, subject

__all__ = ["RULES", "RULE_HELP", "SEVERITIES", "Finding", "Rule", "Subject", "lint", "subject"]
