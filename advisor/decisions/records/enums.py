"""Enumerations: how the schema holds attributes that take one of a fixed list of values."""

from __future__ import annotations

from advisor.decisions.common import drivers, sentence_list
from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import code, escape
from advisor.decisions.model import Decision, Option
from advisor.decisions.wording import DIALECT_LABELS, ENUM_STYLES
from advisor.rules.common import listing
from advisor.schema import DIALECTS, dialect


def enum_representation(context: RecordContext) -> Decision | None:
    enums = [
        (entity_index, attribute_index, entity, attribute)
        for entity_index, entity in enumerate(context.requirements.entities)
        for attribute_index, attribute in enumerate(entity.attributes)
        if attribute.type == "enum"
    ]
    if not enums:
        return None
    styles = {name: dialect(name).enum for name in DIALECTS}
    outcome = "; ".join(f"{name}={style}" for name, style in styles.items())
    native = [name for name, style in styles.items() if style == "create_type"]
    inline = [name for name, style in styles.items() if style == "inline"]
    checked = [name for name, style in styles.items() if style == "check"]
    parts = []
    if native:
        parts.append(f"{listing([DIALECT_LABELS.get(n, n) for n in native])} enum types")
    if inline:
        parts.append(f"{listing([DIALECT_LABELS.get(n, n) for n in inline])} ENUM columns")
    if checked:
        parts.append("CHECK constraints elsewhere")
    inputs = (
        *(f"entities[{e}].attributes[{a}]" for e, a, _, _ in enums),
        "workload.schema_stability",
    )
    described = [
        f"{escape(entity.name)}.{escape(attribute.name)} "
        f"({', '.join(escape(value) for value in attribute.values)})"
        for _, _, entity, attribute in enums
    ]
    evolving = context.requirements.workload.schema_stability == "evolving"
    bad = [
        "adding a value is a schema change: `ALTER TYPE ... ADD VALUE` in PostgreSQL "
        "(values cannot be removed), `ALTER TABLE ... MODIFY` in MySQL, a new CHECK "
        "elsewhere",
    ]
    if evolving:
        bad.append(
            "the schema is declared evolving: a lookup table would take new values "
            "without a migration"
        )
    confirmation = []
    if context.dialect == "postgresql":
        confirmation.append(
            "The enum types hold the values the requirements list: "
            + code(
                "SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM "
                "pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname;"
            )
        )
    elif context.dialect == "mysql":
        confirmation.append(
            "The ENUM columns hold the values the requirements list: "
            + code(
                "SELECT table_name, column_name, column_type FROM information_schema.columns "
                "WHERE data_type = 'enum';"
            )
        )
    confirmation.append(
        "Writes with a value outside the list fail in the database, not only in the "
        "application: a test inserts one and expects an error."
    )
    return Decision(
        key="enum-representation",
        title=f"Store enumerations as {sentence_list(parts)}",
        outcome=outcome,
        context=(
            f"{len(enums)} attribute{'s' if len(enums) != 1 else ''} "
            f"{'take' if len(enums) != 1 else 'takes'} one of a fixed list of values: "
            f"{'; '.join(described)}. How should the schema hold them so that no other "
            "value gets in?"
        ),
        drivers=drivers(context, inputs),
        options=(
            Option(
                "The dialect's enum type, else a CHECK constraint",
                None,
                "Chosen. A named enum type (PostgreSQL), an ENUM column (MySQL), or a "
                "text column with CHECK (value IN (...)).",
                (
                    "the database rejects any other value",
                    "PostgreSQL and MySQL store the value in 1 to 4 bytes",
                ),
                ("changing the list is a schema change",),
            ),
            Option(
                "A lookup table with a foreign key",
                None,
                "One row per value, referenced by id or by code.",
                ("values are added and renamed as data, and can carry labels",),
                ("a join or a cached map to read the label", "one more table per list"),
            ),
            Option(
                "Unchecked text",
                None,
                "A plain string column; the application checks the values.",
                ("no schema change ever",),
                ("any typo or old client writes values nothing else understands",),
            ),
        ),
        justification=(
            "The values are few and named in the requirements, so the schema can state "
            "them and the database enforce them.",
            "Each generated DDL uses what its dialect has: "
            + "; ".join(
                f"{DIALECT_LABELS.get(n, n)}: {ENUM_STYLES.get(s, s)}" for n, s in styles.items()
            )
            + ".",
        ),
        good=(
            "no other value can be written, whichever client writes",
            "the values are documented in the schema itself",
        ),
        bad=tuple(bad),
        confirmation=tuple(confirmation),
        more_information=(
            "PostgreSQL: <https://www.postgresql.org/docs/current/datatype-enum.html>",
            "MySQL: <https://dev.mysql.com/doc/refman/8.0/en/enum.html>",
        ),
        inputs=inputs,
        because="the values are few and fixed, and the database should enforce them",
    )
