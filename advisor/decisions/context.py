"""What every record builder reads: one frozen object made from a design."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from advisor.baseline import Baseline
from advisor.facts import Facts, build_facts
from advisor.matrix import DEFAULT_MATRIX, Matrix, Technology
from advisor.recommendation import Recommendation
from advisor.requirements.model import Requirements
from advisor.schema import SQL_DIALECTS, Schema
from advisor.stores import StoreSchema

# The SQL schema a record quotes when the primary store speaks no SQL dialect of its own.
FALLBACK_DIALECT = "postgresql"


@dataclass(frozen=True)
class RecordContext:
    """A design as the record builders see it.

    `facts` are the engine's facts about the requirements (rates, projected volume, patterns);
    `primary` is the primary store's technology from the matrix the design was made with;
    `schema` is the generated SQL schema in the primary's dialect (`dialect`), PostgreSQL's
    when the primary speaks no SQL. `previous` is the design this one follows, when there is
    one: what a record that changed says the way from.
    """

    requirements: Requirements
    recommendation: Recommendation
    facts: Facts
    primary: Technology
    schema: Schema
    stores: tuple[StoreSchema, ...] = ()  # the other stores' schemas, the primary's first
    previous: Baseline | None = None

    @functools.cached_property
    def drivers_written(self) -> dict[str, str | None]:
        """The decision driver of each input path a record has read so far, for the records
        that read it again: the primary store's, the pattern's and the scaling record each
        read most access patterns."""
        return {}

    @property
    def matrix(self) -> Matrix:
        return self.facts.matrix

    @property
    def dialect(self) -> str:
        """The SQL schema the records quote: the family of the dialect the primary runs
        (`postgresql` for CockroachDB), PostgreSQL's when it runs none."""
        return _quoted(self.recommendation, self.primary)

    @property
    def scores(self) -> dict[str, float]:
        """Every ranked technology's score, by technology id."""
        return {
            technology.technology: technology.score
            for alternative in self.recommendation.alternatives
            for technology in alternative.technologies
        }


def record_context(
    requirements: Requirements,
    recommendation: Recommendation,
    schemas: Mapping[str, Schema],
    *,
    matrix: Matrix = DEFAULT_MATRIX,
    facts: Facts | None = None,
    stores: tuple[StoreSchema, ...] = (),
    previous: Baseline | None = None,
) -> RecordContext:
    """The context of a design from its parts; `schemas` maps each SQL dialect to its schema.

    >>> from advisor.engine import advise
    >>> from advisor.requirements import read_requirements
    >>> from advisor.schema import build_schema
    >>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: a}]")
    >>> schemas = {"postgresql": build_schema(shop, "postgresql")}
    >>> context = record_context(shop, advise(shop), schemas)
    >>> context.primary.id, context.dialect, [table.name for table in context.schema.tables]
    ('postgresql', 'postgresql', ['a'])
    """
    primary = matrix.technologies[recommendation.primary.technology]
    return RecordContext(
        requirements=requirements,
        recommendation=recommendation,
        facts=facts if facts is not None else build_facts(requirements, matrix),
        primary=primary,
        schema=schemas[_quoted(recommendation, primary)],
        stores=stores,
        previous=previous,
    )


def _quoted(recommendation: Recommendation, primary: Technology) -> str:
    target = recommendation.primary_schema
    if target is None:  # a recommendation made by hand
        return SQL_DIALECTS.get(primary.id, FALLBACK_DIALECT)
    return target.family or FALLBACK_DIALECT
