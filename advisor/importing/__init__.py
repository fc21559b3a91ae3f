"""Existing schemas in: SQL dumps of five dialects, DBML and live PostgreSQL databases.

Every importer makes the same two things: the logical `Schema` (the model the DDL renderer and
the linter read) and a report of what it did with each statement or catalogue object. The
requirements a project starts from are derived from that schema, never from the text again.
"""
