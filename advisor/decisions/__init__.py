"""Architecture decision records of a design (MADR 4) and its architecture document.

`decisions_for(design)` lists the significant decisions the engine made, each with a stable
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
from advisor.decisions.build import decisions_for
from advisor.decisions.madr import decision_log_index, filename, render_madr, slug
from advisor.decisions.model import STATUSES, Decision, Option

__all__ = [
    "FIRST_DESIGN",
    "STATUSES",
    "Decision",
    "Option",
    "architecture_document",
    "decision_log_index",
    "decisions_for",
    "filename",
    "render_madr",
    "slug",
]
