"""Redis: structures per pattern, TTLs, invalidation, and the memory estimate's arithmetic."""

from __future__ import annotations

import re

import pytest

from advisor.requirements import Requirements, read_requirements
from advisor.stores import redis_schema
from advisor.stores.common import scope
from advisor.stores.redis import KeyPlan, _Planner
from tests.advisor.store_requests import request


def _doc(body: str, workload: str = "") -> Requirements:
    return read_requirements(f"format: advisor/v1\nproject: My Shop\n{workload}\n{body}")


PRODUCTS = """
entities:
  - {name: product, attributes: [{name: sku, type: string, length: 40, unique: true},
                                 {name: price, type: decimal, precision: 10, scale: 2}]}
access_patterns:
  - {name: product page, entity: product, operation: read, kind: lookup, filter: [sku],
     per_second: 2000, consistency: eventual}
  - {name: reprice, entity: product, operation: update, kind: lookup, filter: [sku], per_second: 5}
"""


def _plans(
    requirements: Requirements, role: str = "primary", patterns: list[str] | None = None
) -> list[KeyPlan]:
    planner = _Planner(
        scope(request(requirements, "redis", patterns=patterns)), role, "cache_aside", {}
    )
    planner.plan()
    return planner.plans


def test_a_cached_lookup_is_a_hash_with_a_ttl_and_is_invalidated_by_the_writes() -> None:
    schema = redis_schema(request(_doc(PRODUCTS), "redis", patterns=["product page"], role="cache"))
    assert "| `my_shop:product:sku:<sku>` | hash | `product page` | 300 s (cache entry) |" in (
        schema.text
    )
    invalidation = next(d for d in schema.decisions if d.rule == "redis_invalidation")
    assert "'reprice'" in invalidation.sentence and "cache aside" in invalidation.sentence


def test_strong_consistency_shortens_the_cache_ttl() -> None:
    strong = PRODUCTS.replace("consistency: eventual", "consistency: strong")
    schema = redis_schema(request(_doc(strong), "redis", patterns=["product page"], role="cache"))
    assert "60 s (strong consistency asks for a short safety net)" in schema.text


def test_the_cache_memory_estimate_is_the_hot_set_times_the_size_of_a_key() -> None:
    (plan,) = _plans(_doc(PRODUCTS), "cache", patterns=["product page"])
    # hot set: 2,000 reads/s x 300 s TTL = 600,000 keys (fewer than the products)
    assert plan.keys == 600_000
    key = "my_shop:product:sku:<sku>"
    # 64 overhead + key without its placeholder plus a 20-byte sku + the hash:
    # values sku 20, price 16, id 8, created_at 8, updated_at 8 = 60;
    # fields (name + 2 x 4 bytes of listpack header): 3+8, 5+8, 2+8, 10+8, 10+8 = 70
    expected = 64 + (len(key) - len("<sku>") + 20) + 60 + 70
    assert plan.bytes_per_key == expected
    schema = redis_schema(request(_doc(PRODUCTS), "redis", patterns=["product page"], role="cache"))
    total = re.search(r"\| with fragmentation x1.25 \| \| \| (.+) \|", schema.text)
    assert total is not None
    assert total.group(1) == f"{600_000 * expected * 1.25 / 1e6:.3g} MB"


def test_a_ranking_is_one_sorted_set_per_group_and_serves_the_rank_lookup() -> None:
    board = _doc(
        "entities: [{name: score, attributes: [{name: player, type: string, length: 20},"
        " {name: level, type: enum, values: [easy, hard]}, {name: points, type: bigint}]}]\n"
        "access_patterns:\n"
        "  - {name: top, entity: score, operation: read, kind: range, filter: [level],"
        " sort: [-points]}\n"
        "  - {name: rank, entity: score, operation: read, kind: lookup, filter: [player, level]}\n"
    )
    (plan,) = _plans(board)
    assert (plan.key, plan.structure, plan.patterns) == (
        "my_shop:score:level:<level>:by_points",
        "sorted set",
        ("rank", "top"),
    )
    assert "ZREVRANK" in plan.commands
    assert plan.keys == 2  # an enum of two values: two sorted sets
    assert "level: 2 values (its type)" in plan.count_basis


def test_appends_are_a_stream_trimmed_to_the_retention() -> None:
    events = _doc(
        "entities: [{name: click, attributes: [{name: at, type: datetime}]}]\n"
        "access_patterns: [{name: track, entity: click, operation: write, kind: append,"
        " per_second: 10}]",
        "workload: {retention_days: 2}",
    )
    (plan,) = _plans(events)
    assert plan.structure == "stream" and "MINID" in plan.commands
    # 10/s x 2 days = 1,728,000 entries of (8 + 8 + 8 + 8 bytes of values + 16)
    assert plan.bytes_per_key == 1_728_000 * (32 + 16) + 64


def test_one_number_changed_in_place_is_a_counter_and_expiry_uses_the_attribute() -> None:
    limiter = _doc(
        "entities: [{name: counter, attributes: [{name: window, type: string, unique: true},"
        " {name: hits, type: integer}]}]\n"
        "access_patterns:\n"
        "  - {name: check, entity: counter, operation: read, kind: lookup, filter: [window]}\n"
        "  - {name: count, entity: counter, operation: update, kind: lookup, filter: [window]}\n"
    )
    (plan,) = _plans(limiter)
    assert plan.structure == "string (counter)" and "INCRBY" in plan.commands
    sessions = _doc(
        "entities: [{name: session, attributes: [{name: token, type: string, unique: true},"
        " {name: expires_at, type: datetime}]}]\n"
        "access_patterns: [{name: get, entity: session, operation: read, kind: lookup,"
        " filter: [token]}]"
    )
    assert _plans(sessions)[0].ttl == "EXPIREAT its expires_at"


def test_full_text_and_traversals_are_left_to_the_primary_store() -> None:
    text = _doc(
        "entities: [{name: page, attributes: [{name: body, type: text}]}]\n"
        "access_patterns: [{name: search, entity: page, operation: read, kind: full_text,"
        " filter: [body]}]"
    )
    schema = redis_schema(request(text, "redis"))
    assert [d.rule for d in schema.decisions][:1] == ["redis_not_served"]


@pytest.mark.parametrize(
    ("name", "segment"),
    [("a:b", "a%3Ab"), ("{tag}", "%7Btag%7D"), ("50%", "50%25"), ("tab\u00a0x", "tab%C2%A0x")],
)
def test_names_cannot_split_keys_or_make_cluster_hash_tags(name: str, segment: str) -> None:
    from advisor.stores.redis import key_segment

    assert key_segment(name) == segment


def test_hostile_names_stay_inside_their_markdown_code_spans() -> None:
    hostile = _doc(
        'entities: [{name: "a`b|c", attributes: [{name: "x:{y}", type: string, unique: true}]}]\n'
        'access_patterns: [{name: "p|q", entity: "a`b|c", operation: read, kind: lookup,'
        ' filter: ["x:{y}"]}]'
    )
    text = redis_schema(request(hostile, "redis")).text
    row = next(line for line in text.splitlines() if line.startswith("| ``"))
    assert row == "| `` my_shop:a`b\\|c:x%3A%7By%7D:<x%3A%7By%7D> `` | hash | `p\\|q` |" + (
        " none: kept until deleted |"
    )


ARCADE = """
entities:
  - name: player_score
    derived: true
    attributes:
      - {name: player, type: string, length: 36, required: true, unique: true}
      - {name: points, type: bigint, required: true}
access_patterns:
  - {name: add points, entity: player_score, operation: update, kind: increment,
     filter: [player], per_second: 20000}
  - {name: rank of a player, entity: player_score, operation: read, kind: lookup,
     filter: [player], per_second: 10000}
  - {name: top 10 players, entity: player_score, operation: read, kind: range,
     sort: [-points], per_second: 10000}
"""


def test_a_players_rank_and_its_increments_are_served_by_the_sorted_set() -> None:
    plans = _plans(_doc(ARCADE))
    assert [p.structure for p in plans] == ["sorted set"]  # no string counter beside it
    (board,) = plans
    assert board.key == "my_shop:player_score:by_points"
    assert set(board.patterns) == {"add points", "rank of a player", "top 10 players"}
    assert "ZREVRANK" in board.commands and "ZINCRBY key n member" in board.commands
    assert "one member per player" in board.why
