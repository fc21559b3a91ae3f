"""Elasticsearch and OpenSearch: strict mappings, text versus keyword, analyzers, lifecycle."""

from __future__ import annotations

import json
from typing import Any

from advisor.requirements import Requirements, read_requirements
from advisor.stores import search_schema
from tests.advisor.store_requests import request

PAGES = """
entities:
  - name: page
    attributes:
      - {name: url, type: string, length: 2000, unique: true, format: url}
      - {name: title, type: string, length: 300}
      - {name: body, type: text}
      - {name: section, type: enum, values: [help, blog]}
      - {name: price, type: decimal, precision: 10, scale: 2}
      - {name: published, type: datetime}
      - {name: extra, type: json}
access_patterns:
  - {name: search pages, entity: page, operation: read, kind: full_text, filter: [title, body]}
"""


def _doc(body: str, workload: str = "") -> Requirements:
    return read_requirements(f"format: advisor/v1\nproject: Site\n{workload}\n{body}")


def _index(text: str, name: str) -> dict[str, Any]:
    index: dict[str, Any] = json.loads(text)["indices"][name]
    return index


def test_searched_fields_are_text_and_exact_ones_keywords() -> None:
    index = _index(search_schema(request(_doc(PAGES), "elasticsearch")).text, "page")
    mappings = index["mappings"]
    assert mappings["dynamic"] == "strict"
    fields = mappings["properties"]
    assert fields["title"] == {
        "type": "text",
        "analyzer": "folded",
        "fields": {"keyword": {"type": "keyword", "ignore_above": 256}},
    }
    assert fields["body"] == {"type": "text", "analyzer": "folded"}
    assert fields["url"] == {"type": "keyword"} and fields["section"] == {"type": "keyword"}
    assert fields["price"] == {"type": "scaled_float", "scaling_factor": 100}
    assert fields["published"] == {"type": "date", "format": "strict_date_optional_time"}
    assert fields["extra"] == {"type": "object", "enabled": False}
    assert fields["id"] == {"type": "long"}
    analyzers = index["settings"]["analysis"]["analyzer"]
    used = {f["analyzer"] for f in fields.values() if "analyzer" in f}
    assert used <= set(analyzers)


def test_shards_follow_the_volume_and_retention_adds_a_lifecycle_policy() -> None:
    big = search_schema(
        request(
            _doc(PAGES, "workload: {data_volume_gb: 500, growth_gb_per_month: 0}"), "elasticsearch"
        )
    )
    assert _index(big.text, "page")["settings"]["number_of_shards"] == 10
    kept = search_schema(request(_doc(PAGES, "workload: {retention_days: 30}"), "elasticsearch"))
    policy = json.loads(kept.text)["ilm_policies"]["page"]["policy"]["phases"]
    assert policy["delete"] == {"min_age": "30d", "actions": {"delete": {}}}
    opensearch = search_schema(request(_doc(PAGES, "workload: {retention_days: 30}"), "opensearch"))
    states = json.loads(opensearch.text)["ism_policies"]["page"]["policy"]["states"]
    assert [s["name"] for s in states] == ["hot", "delete"]


def test_hostile_names_give_valid_index_and_field_names() -> None:
    hostile = _doc(
        'entities: [{name: "Log Line", attributes: [{name: "a.b", type: string},'
        ' {name: "_source", type: string}, {name: "say \\"hi\\"", type: text}]}]'
    )
    document = json.loads(search_schema(request(hostile, "elasticsearch")).text)
    (name,) = document["indices"]
    assert name == name.lower() and " " not in name and name.startswith("log_line")
    fields = document["indices"][name]["mappings"]["properties"]
    assert {"a_b", "_source_field", 'say "hi"'} <= set(fields)
