"""Cassandra: a table per read pattern, keys from the filters, bucketing past 100 MB."""

from __future__ import annotations

import re

from advisor.requirements import Requirements, read_requirements
from advisor.stores import cassandra_schema
from tests.advisor.store_requests import request
from tests.advisor.test_stores_syntax import check_cql

CHAT = """
entities:
  - {name: conversation, attributes: [{name: title, type: string, length: 100}]}
  - {name: message, attributes: [{name: body, type: string, length: 200, required: true},
                                 {name: sent_at, type: datetime, required: true}]}
relationships:
  - {from: message, to: conversation, cardinality: many-to-one, required: true}
access_patterns:
  - {name: send, entity: message, operation: write, kind: append, per_second: 1000}
  - {name: latest, entity: message, operation: read, kind: range, filter: [conversation],
     sort: [-sent_at]}
  - {name: header, entity: conversation, operation: read, kind: lookup, filter: [id]}
  - {name: create conversation, entity: conversation, operation: write, kind: lookup,
     per_second: 10}
  - {name: find text, entity: message, operation: read, kind: full_text, filter: [body]}
"""


def _doc(body: str, workload: str) -> Requirements:
    return read_requirements(f"format: advisor/v1\nproject: Chat\nworkload: {workload}\n{body}")


def _estimate(
    requirements: Requirements, pattern: str, distinct_values: dict[str, float] | None = None
) -> str:
    schema = cassandra_schema(request(requirements, "cassandra", distinct_values=distinct_values))
    return next(
        d.sentence
        for d in schema.decisions
        if d.rule == "cassandra_partition_size" and d.sentence.startswith(f"{pattern!r}")
    )


def test_every_read_pattern_has_a_table_keyed_by_its_filters() -> None:
    requirements = _doc(CHAT, "{data_volume_gb: 1, growth_gb_per_month: 0}")
    tables = check_cql(cassandra_schema(request(requirements, "cassandra")).text)
    assert set(tables) == {"message_by_conversation_id", "conversation_by_id"}
    latest = tables["message_by_conversation_id"]
    assert latest.partition == ["conversation_id"]
    assert latest.order == [("sent_at", "DESC"), ("id", "ASC")]
    assert tables["conversation_by_id"].partition == ["id"]
    assert tables["conversation_by_id"].clustering == []


def test_small_partitions_are_not_bucketed_and_the_estimate_says_why() -> None:
    requirements = _doc(CHAT, "{data_volume_gb: 1, growth_gb_per_month: 0}")
    sentence = _estimate(requirements, "latest")
    assert "within the 100 MB guidance" in sentence
    assert "conversation_id: one per conversation" in sentence
    # No pattern writes conversations: their number is still the one the conversation table
    # is sized with (from the volume), not a flat assumption of 100,000.
    unwritten = _doc(UNWRITTEN_CONVERSATIONS, "{data_volume_gb: 1}")
    header = re.search(r"([\d,]+) conversation rows", _estimate(unwritten, "header"))
    assert header is not None
    assert (
        f"conversation_id: one per conversation ({header.group(1)}, estimated from the volume)"
        in _estimate(unwritten, "latest")
    )


UNWRITTEN_CONVERSATIONS = CHAT.replace(
    "  - {name: create conversation, entity: conversation, operation: write, kind: lookup,\n"
    "     per_second: 10}\n",
    "",
)


def test_rows_per_partition_follow_the_write_rates_of_the_two_entities() -> None:
    requirements = _doc(CHAT, "{data_volume_gb: 20000, growth_gb_per_month: 0}")
    # 1,000 messages/s against 10 conversations/s: 100 messages per conversation
    assert ": 100 rows," in _estimate(requirements, "latest")


def test_partitions_over_100_mb_get_a_time_bucket_sized_to_fit() -> None:
    requirements = _doc(UNWRITTEN_CONVERSATIONS, "{data_volume_gb: 20000, growth_gb_per_month: 0}")
    given = {"conversation_id": 100_000}
    sentence = _estimate(requirements, "latest", distinct_values=given)
    assert "over the 100 MB guidance" in sentence
    tables = check_cql(
        cassandra_schema(request(requirements, "cassandra", distinct_values=given)).text
    )
    latest = tables["message_by_conversation_id"]
    assert latest.partition == ["conversation_id", "bucket"]
    assert latest.columns["bucket"] == "timestamp"
    size = re.search(r"holds about [\d,]+ rows, ([\d.]+) (MB|kB)", sentence)
    assert size is not None and float(size.group(1)) <= 100


def test_buckets_are_sized_by_the_rows_a_partition_takes_from_the_write_rate() -> None:
    requirements = _doc(UNWRITTEN_CONVERSATIONS, "{data_volume_gb: 20000, growth_gb_per_month: 0}")
    # 1,000 messages/s over 100,000 conversations: 864 a day each; a month of them (25,920
    # rows, 77,760 values) stays under 100,000 values.
    spread = _estimate(requirements, "latest", distinct_values={"conversation_id": 100_000})
    assert "1,000 writes/s over 100,000 partitions is 864 rows a day per partition" in spread
    assert "the month of sent_at" in spread
    # Over 10,000 conversations, 8,640 a day each: a week would hold 181,440 values, a day fits.
    dense = _estimate(requirements, "latest", distinct_values={"conversation_id": 10_000})
    assert "8,640 rows a day per partition, so a day holds" in dense


def test_the_estimate_follows_the_stated_distinct_values() -> None:
    requirements = _doc(UNWRITTEN_CONVERSATIONS, "{data_volume_gb: 20000, growth_gb_per_month: 0}")
    many = _estimate(requirements, "latest", distinct_values={"conversation_id": 1e9})
    assert "conversation_id: 1,000,000,000 values (given)" in many
    assert "within the 100 MB guidance" in many


def test_without_a_time_column_the_bucket_is_a_hash() -> None:
    body = """
entities: [{name: item, attributes: [{name: owner, type: string, length: 20}]}]
access_patterns:
  - {name: add, entity: item, operation: write, kind: lookup, per_second: 5000}
  - {name: items of an owner, entity: item, operation: read, kind: range, filter: [owner]}
"""
    requirements = _doc(body, "{data_volume_gb: 50000}")
    sentence = _estimate(requirements, "items of an owner")
    assert "bucket = hash(id) mod" in sentence
    table = check_cql(cassandra_schema(request(requirements, "cassandra")).text)["item_by_owner"]
    assert table.partition == ["owner", "bucket"] and table.columns["bucket"] == "int"


def test_writes_go_to_every_table_and_unservable_patterns_say_so() -> None:
    schema = cassandra_schema(request(_doc(CHAT, "{data_volume_gb: 1}"), "cassandra"))
    sentences = {d.rule: d.sentence for d in schema.decisions}
    assert "'find text' is a full text pattern" in sentences["cassandra_not_served"]
    writes = [d.sentence for d in schema.decisions if d.rule == "cassandra_writes"]
    assert "'send' inserts into every table of message (message_by_conversation_id)." in writes


def test_retention_sets_a_ttl_on_time_series_tables_only() -> None:
    tables = check_cql(
        cassandra_schema(
            request(_doc(CHAT, "{data_volume_gb: 1, retention_days: 30}"), "cassandra")
        ).text
    )
    assert tables["message_by_conversation_id"].options["default_time_to_live"] == "2592000"
    assert "default_time_to_live" not in tables["conversation_by_id"].options


def test_hostile_names_are_quoted_columns_and_plain_table_names() -> None:
    body = """
entities: [{name: "Order Item", attributes: [{name: select, type: string, length: 9},
           {name: 'say "hi"', type: integer}, {name: 客户, type: string}]}]
access_patterns:
  - {name: "by select; drop", entity: "Order Item", operation: read, kind: range,
     filter: [select], sort: ['say "hi"']}
"""
    text = cassandra_schema(request(_doc(body, "{data_volume_gb: 1}"), "cassandra")).text
    tables = check_cql(text)
    (table,) = tables.values()
    assert table.name == "order_item_by_select"
    assert {"select", 'say "hi"', "客户"} <= set(table.columns)
    assert '"select" text' in text and '"say ""hi""" int' in text
    assert "comment = 'serves by select; drop'" in text
