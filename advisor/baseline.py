"""What a new design compares itself with: the previous design, read back from its files.

A design stores its recommendation (`recommendation.json`) and its logical schema in the
dialect the migration plan is written for (`model.json`). The next design reads them back as a
`Baseline` for its migration plan, instead of running the engine on the old requirements again
(which, after an engine upgrade, would not even give the design that was stored).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from advisor.errors import AdvisorError
from advisor.recommendation import Recommendation
from advisor.requirements.model import Requirements
from advisor.schema import ColumnType, Schema
from advisor.typed_json import dump_text, load

MIGRATION_DIALECT = "postgresql"
MODEL_FILE = "model.json"
MODEL_FORMAT = "advisor/model/v1"


@dataclass(frozen=True)
class Baseline:
    recommendation: Recommendation
    schema: Schema  # in MIGRATION_DIALECT
    # The previous version's requirements, when the caller has them: the renames the new
    # version declares (`renamed_from`) are read against them; without them, none are.
    requirements: Requirements | None = None


def model_json(schema: Schema) -> str:
    """The text of `model.json`: the logical schema the next design's migration starts from."""
    document = {"format": MODEL_FORMAT, "dialect": schema.dialect, "schema": schema}
    return dump_text(document, shared={ColumnType}) + "\n"


def baseline_from_files(files: Mapping[str, str]) -> Baseline | None:
    """The baseline in a stored design's files (path -> text); None when the design predates
    `model.json` or its files cannot be read back (it then gets no migration plan).

    >>> from advisor.design import create_design
    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: a}]")
    >>> design = create_design(shop)
    >>> baseline = baseline_from_files({f.path: f.text for f in design.files})
    >>> baseline.schema == design.baseline().schema
    True
    >>> baseline.recommendation.to_json() == design.recommendation.to_json()
    True
    """
    recommendation, model = files.get("recommendation.json"), files.get(MODEL_FILE)
    if recommendation is None or model is None:
        return None
    try:
        document = json.loads(model)
        if document.get("format") != MODEL_FORMAT:
            return None
        return Baseline(
            load(Recommendation, json.loads(recommendation)), load(Schema, document["schema"])
        )
    except (ValueError, KeyError, TypeError, AdvisorError):
        return None
