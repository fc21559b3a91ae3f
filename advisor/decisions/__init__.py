"""Architecture decision records of a design (MADR 4) and its architecture document.

`decisions_for(context)` lists the significant decisions the engine made, one builder of
`RECORD_BUILDERS` per kind of record reading a `RecordContext` of the design, each with a stable
`key` (the question) and `outcome` (the answer): when a new design has the same outcome for a
key, the decision did not change and needs no new record. `render_madr` writes one record;
`decision_log_index` the log of a project; `architecture_document` the whole design for people.
Numbering, statuses over time and supersede links belong to whoever keeps the history (the web
side); these functions only write the text.

>>> slug("Use PostgreSQL as the primary store")
'use-postgresql-as-the-primary-store'
"""

from __future__ import annotations

from advisor.decisions.architecture import FIRST_DESIGN, architecture_document
from advisor.decisions.context import RecordContext, record_context
from advisor.decisions.madr import decision_log_index, filename, render_madr, slug
from advisor.decisions.model import STATUSES, Decision, Option
from advisor.decisions.records import RECORD_BUILDERS, RecordBuilder, decisions_for

__all__ = [
    "FIRST_DESIGN",
    "RECORD_BUILDERS",
    "STATUSES",
    "Decision",
    "Option",
    "RecordBuilder",
    "RecordContext",
    "architecture_document",
    "decision_log_index",
    "decisions_for",
    "filename",
    "record_context",
    "render_madr",
    "slug",
]
