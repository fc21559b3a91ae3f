"""The hazards a migration step carries, after pg-schema-diff's: what a step does to running
traffic or to data, typed so that a linter, a reviewer and the page can all read them."""

from __future__ import annotations

from dataclasses import dataclass

# kind -> what it means, for the docs and the SQL comments.
HAZARDS = {
    "access_exclusive_lock": "takes a lock that blocks reads and writes of the table while it runs",
    "table_rewrite": "rewrites or copies every row of the table (time and disk grow with it)",
    "index_build": "builds an index: reads the whole table and adds I/O while it runs",
    "deletes_data": "deletes data that no later step can bring back",
    "data_not_restored": "a rollback recreates the structure, not the values that were lost",
    "backfill": "updates existing rows in batches: write load and replication lag",
    "has_untracked_dependencies": "code outside the schema (queries, views, reports) may "
    "still use the old shape: deploy it first",
    "not_transactional": "cannot run inside a transaction: if it fails, clean up and retry",
    "needs_value": "existing rows need a value that the plan cannot invent",
    "manual": "a person or a deployment does this step; the plan cannot",
}


@dataclass(frozen=True)
class Hazard:
    """One hazard of a step: its `kind` (a key of `HAZARDS`) and what it means here.

    >>> str(Hazard("deletes_data", "the values of customer.phone"))
    'deletes_data: the values of customer.phone'
    """

    kind: str
    message: str

    def __post_init__(self) -> None:
        assert self.kind in HAZARDS, self.kind

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"
