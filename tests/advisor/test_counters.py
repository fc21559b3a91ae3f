"""Counters: increments never land on a hot row (issue 10, "likes updated 8,000 times a second
in the post row")."""

from __future__ import annotations

from advisor.draft import Draft
from advisor.engine import advise, start
from advisor.matrix import DEFAULT_MATRIX
from advisor.recommendation import Recommendation
from advisor.requirements import read_requirements
from advisor.requirements.model import Requirements
from advisor.rules.counters import counters
from advisor.schema import build_schema, schema_for
from advisor.stores import StoreRequest, cassandra_schema, redis_schema

POSTS = """
format: advisor/v1
project: Social posts
workload: {{reads_per_second: 2000, writes_per_second: 8100, data_volume_gb: 200,
            consistency: {consistency}, transactions: multi_entity}}
team: {{expertise: [postgresql]}}
entities:
  - name: post
    attributes:
      - {{name: title, type: string, length: 200, required: true}}
      - {{name: likes, type: bigint, required: true, default: 0, min: 0}}
access_patterns:
  - {{name: post by id, entity: post, operation: read, kind: lookup, filter: [id], per_second: 500}}
  - {{name: like a post, entity: post, operation: update, kind: increment, filter: [id],
     per_second: {rate}{pattern_consistency}}}
  - {{name: write a post, entity: post, operation: write, kind: lookup, per_second: 100}}
"""


def posts(rate: float, consistency: str = "strong", pattern: str = "") -> Requirements:
    extra = f", consistency: {pattern}" if pattern else ""
    return read_requirements(
        POSTS.format(rate=rate, consistency=consistency, pattern_consistency=extra)
    )


def counter(recommendation: Recommendation) -> str:
    (only,) = recommendation.scaling.counters
    return only.how


def test_likes_at_8000_a_second_never_go_to_the_post_row() -> None:
    recommendation = advise(posts(8000))
    assert recommendation.primary.category == "relational"
    (decision,) = recommendation.scaling.counters
    assert decision.how == "sharded_counter"
    assert decision.columns == ("likes",)
    assert decision.slots == 16  # 8,000/s over 500/s a row
    assert "8,000" in decision.reason and "500/s" in decision.reason
    table = schema_for(posts(8000), recommendation, "postgresql").table("post_counter")
    assert table is not None
    assert [c.name for c in table.columns] == ["post_id", "slot", "likes"]
    assert table.primary_key is not None and table.primary_key.columns == ("post_id", "slot")
    post = schema_for(posts(8000), recommendation, "postgresql").table("post")
    assert post is not None and post.column("likes") is None


def test_a_slow_counter_stays_an_ordinary_update() -> None:
    recommendation = advise(posts(50))
    assert counter(recommendation) == "in_place"
    assert schema_for(posts(50), recommendation, "postgresql").table("post_counter") is None


def with_primary(requirements: Requirements, technology: str) -> Draft:
    """A draft whose primary store is `technology`, for the counters rule alone."""
    draft = start(requirements)
    chosen = DEFAULT_MATRIX.technologies[technology]
    others = tuple((t, 50.0) for t in DEFAULT_MATRIX.technologies.values() if t is not chosen)
    return counters(draft.replace(ranking=((chosen, 90.0), *others)))


def test_eventual_increments_go_to_a_counter_store_flushed_to_the_primary() -> None:
    requirements = posts(8000, pattern="eventual")
    draft = with_primary(requirements, "postgresql")
    (decision,) = draft.counters
    assert (decision.how, decision.technology, decision.flush_seconds) == (
        "counter_store",
        "redis",
        5,
    )
    (store,) = draft.components
    assert (store.role, store.technology, store.sync) == (
        "counter_store",
        "redis",
        "periodic_flush",
    )
    request = StoreRequest(
        draft.facts, "redis", role="counter_store", patterns=store.patterns, counters=draft.counters
    )
    schema = redis_schema(request)
    assert schema.filename == "redis-counters.md" and "HINCRBY" in schema.text
    post = build_schema(requirements, "postgresql", counters=draft.counters).table("post")
    likes = post.column("likes") if post is not None else None
    assert likes is not None and "every 5 s" in likes.comment


def test_strong_counters_too_hot_for_a_few_dozen_slots_go_to_a_counter_store() -> None:
    (decision,) = with_primary(posts(64 * 500 + 1), "postgresql").counters
    assert decision.how == "counter_store"
    assert "more than 64" in decision.reason


def test_a_store_with_native_counters_keeps_them_in_a_counter_table() -> None:
    requirements = posts(8000, consistency="eventual")
    draft = with_primary(requirements, "cassandra")
    (decision,) = draft.counters
    assert decision.how == "native_counter"
    assert not draft.components
    text = cassandra_schema(StoreRequest(draft.facts, "cassandra", counters=draft.counters)).text
    assert "likes counter" in text


def test_a_strongly_consistent_balance_that_is_written_gets_no_cache_aside() -> None:
    # 'balance of a customer' at 20,000 reads/s, balances moved 6,000 times a second.
    requirements = read_requirements(BALANCES.format(consistency="strong"))
    recommendation = advise(requirements)
    assert not [c for c in recommendation.components if c.role == "cache"]
    assert not recommendation.scaling.cache.enabled
    assert "double spend" in recommendation.scaling.cache.reason
    assert "6,000/s" in recommendation.scaling.cache.reason


def test_a_write_hot_key_is_written_through_not_cached_aside() -> None:
    # Hit rate about 1 - 6,000/20,000 = 70%, below 80%.
    recommendation = advise(read_requirements(BALANCES.format(consistency="eventual")))
    (cache,) = [c for c in recommendation.components if c.role == "cache"]
    assert cache.sync == "write_through"
    assert "70%" in cache.reason and "6,000" in cache.reason


BALANCES = """
format: advisor/v1
project: Wallet
workload: {{reads_per_second: 20000, writes_per_second: 6000, consistency: {consistency}}}
entities:
  - {{name: customer}}
  - name: balance
    attributes: [{{name: amount, type: decimal, precision: 18, scale: 2, required: true}}]
relationships:
  - {{from: balance, to: customer, cardinality: one-to-one, required: true}}
access_patterns:
  - {{name: move balances, entity: balance, operation: update, kind: lookup, filter: [customer],
     per_second: 6000}}
  - {{name: balance of a customer, entity: balance, operation: read, kind: lookup,
     filter: [customer], per_second: 20000}}
"""
