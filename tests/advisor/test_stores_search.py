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


def test_shards_follow_the_volume_and_retention_never_deletes_master_data() -> None:
    big = search_schema(
        request(
            _doc(PAGES, "workload: {data_volume_gb: 500, growth_gb_per_month: 0}"), "elasticsearch"
        )
    )
    assert _index(big.text, "page")["settings"]["number_of_shards"] == 10
    for technology in ("elasticsearch", "opensearch"):
        kept = search_schema(request(_doc(PAGES, "workload: {retention_days: 30}"), technology))
        document = json.loads(kept.text)
        assert set(document) == {"indices"}, technology  # no policy deletes the pages
        assert (
            "master data" in next(d for d in kept.decisions if d.rule == "search_shards").sentence
        )


LOGS = """
entities:
  - name: log_line
    attributes:
      - {name: service, type: string, length: 40}
      - {name: message, type: text}
      - {name: at, type: datetime, required: true}
  - name: service_owner
    attributes:
      - {name: service, type: string, length: 40, unique: true}
      - {name: team, type: string, length: 40}
access_patterns:
  - {name: ingest, entity: log_line, operation: write, kind: append, per_second: 5000}
  - {name: search logs, entity: log_line, operation: read, kind: full_text,
     filter: [message, service, at]}
  - {name: owner of a service, entity: service_owner, operation: read, kind: full_text,
     filter: [team]}
  - {name: change owner, entity: service_owner, operation: update, kind: lookup,
     filter: [service]}
"""


def test_appended_time_data_is_a_data_stream_whose_lifecycle_is_attached() -> None:
    text = search_schema(
        request(_doc(LOGS, "workload: {retention_days: 14}"), "elasticsearch")
    ).text
    document = json.loads(text)
    assert list(document["indices"]) == ["service_owner"]  # master data: an index, kept
    template = document["index_templates"]["log_line"]
    assert template["data_stream"] == {} and template["index_patterns"] == ["log_line"]
    policy = template["template"]["settings"]["index.lifecycle.name"]
    phases = document["ilm_policies"][policy]["policy"]["phases"]
    assert phases["delete"] == {"min_age": "14d", "actions": {"delete": {}}}
    assert list(document["ilm_policies"]) == [policy]  # none for the master data
    properties = template["template"]["mappings"]["properties"]
    assert properties["@timestamp"]["type"] == "date"
    assert properties["at"] == {"type": "alias", "path": "@timestamp"}


def test_an_opensearch_stream_policy_attaches_itself_by_its_ism_template() -> None:
    text = search_schema(request(_doc(LOGS, "workload: {retention_days: 14}"), "opensearch")).text
    document = json.loads(text)
    (policy,) = document["ism_policies"].values()
    assert policy["policy"]["ism_template"] == [{"index_patterns": ["log_line"], "priority": 100}]
    assert [s["name"] for s in policy["policy"]["states"]] == ["hot", "delete"]


def test_dynamic_mapping_follows_the_schema_stability() -> None:
    stable = _index(search_schema(request(_doc(PAGES), "elasticsearch")).text, "page")
    evolving = search_schema(
        request(_doc(PAGES, "workload: {schema_stability: evolving}"), "elasticsearch")
    )
    assert stable["mappings"]["dynamic"] == "strict"
    assert _index(evolving.text, "page")["mappings"]["dynamic"] is True
    dynamic = next(d for d in evolving.decisions if d.rule == "search_dynamic_mapping")
    assert "evolving" in dynamic.sentence


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
