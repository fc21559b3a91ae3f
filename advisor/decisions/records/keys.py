"""Primary keys: where ids are made, and of which type."""

from __future__ import annotations

from advisor.decisions.common import drivers, identifier, input_paths, lower_first, reasons_of
from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import code, escape
from advisor.decisions.model import Decision, Option
from advisor.decisions.wording import ENGINE_DOCS, KEY_OPTIONS, KEY_TITLES


def primary_keys(context: RecordContext) -> Decision | None:
    if not context.requirements.entities:
        return None
    keys = context.recommendation.keys
    declared = ",".join(f"{entity.entity}={entity.type}" for entity in keys.entities)
    outcome = keys.strategy + (f"; declared: {declared}" if declared else "")
    reasons = reasons_of(context, "primary_keys")
    inputs = tuple(
        dict.fromkeys(
            [*keys.inputs, *input_paths(reasons), "workload.regions", "workload.writes_per_second"]
        )
    )
    order = [keys.strategy, *(name for name in KEY_OPTIONS if name != keys.strategy)]
    options = tuple(
        Option(
            KEY_OPTIONS[name][0],
            None,
            ("Chosen. " if name == keys.strategy else "") + KEY_OPTIONS[name][1],
            KEY_OPTIONS[name][2],
            KEY_OPTIONS[name][3],
        )
        for name in order
    )
    title = KEY_TITLES.get(keys.strategy, f"Use {keys.strategy.replace('_', ' ')} primary keys")
    _, _, good, bad = KEY_OPTIONS.get(keys.strategy, ("", "", (), ()))
    declared_note = tuple(
        f"{escape(entity.entity)} keeps the id it declares ({escape(entity.type)})"
        for entity in keys.entities
    )
    return Decision(
        key="primary-keys",
        title=title,
        outcome=outcome,
        context=(
            f"Every table of the {len(context.requirements.entities)} entities needs a primary "
            "key, and every relationship a foreign key of the same type. Where are ids "
            "made, and of which type?"
        ),
        drivers=drivers(context, inputs),
        options=options,
        justification=(escape(keys.reason), *declared_note),
        good=good,
        bad=bad,
        confirmation=_key_checks(context, keys.strategy),
        more_information=(ENGINE_DOCS,),
        inputs=inputs,
        because=lower_first(escape(keys.reason.split(":")[-1].strip()).rstrip(".")),
    )


def _key_checks(context: RecordContext, strategy: str) -> tuple[str, ...]:
    checks = []
    table = context.schema.tables[0].name if context.schema.tables else None
    if context.dialect == "postgresql":
        checks.append(
            "Primary key indexes stay small against their tables: "
            + code(
                "SELECT relname, indexrelname, pg_size_pretty(pg_relation_size(indexrelid)) "
                "FROM pg_stat_user_indexes WHERE indexrelname LIKE 'pk%' ORDER BY "
                "pg_relation_size(indexrelid) DESC;"
            )
        )
        if strategy == "uuid_v7" and table is not None:
            name = identifier(table, "postgresql")
            checks.append(
                "New ids are version 7 (the 15th character of the text form is 7): "
                + code(
                    f"SELECT substr(id::text, 15, 1) AS version, count(*) FROM {name} GROUP BY 1;"
                )
                + "."
            )
    elif context.dialect == "mysql":
        checks.append(
            "Primary key and secondary index sizes per table: "
            + code(
                "SELECT table_name, index_length, data_length FROM information_schema.tables "
                "WHERE table_schema = DATABASE();"
            )
        )
    else:
        checks.append("Index sizes per table grow in proportion to their rows.")
    if strategy == "uuid_v7":
        checks.append(
            "Ids are made by the application's UUIDv7 generator everywhere, never by a "
            "random (version 4) one: review the code paths that insert rows."
        )
    else:
        checks.append(
            "No code path inserts explicit ids (they would collide with the identity's "
            "next values)."
        )
    return tuple(checks)
