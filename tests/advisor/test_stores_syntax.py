"""Syntax checks for the store schemas, and tests that the checks reject what they should.

No parser of CQL or Cypher 5 schema commands installs from PyPI into this project (cqlsh's
grammar needs the Cassandra driver; the ANTLR Cypher grammars stop at openCypher 9, without
CREATE CONSTRAINT), so these are small strict checkers of the statement shapes the generators
write. JSON parts are read by `json`, SQL statements by sqlglot.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlglot
from sqlglot.errors import ErrorLevel
from sqlglot.tokens import TokenType

HELPER = """function ensureCollection(name, options) {
  if (db.getCollectionNames().includes(name)) {
    db.runCommand(Object.assign({ collMod: name }, options));
  } else {
    db.createCollection(name, options);
  }
}"""
_DECODER = json.JSONDecoder()
ENABLE_SHARDING = "sh.enableSharding(db.getName());"
SHARD_COLLECTION = 'sh.shardCollection(db.getName() + "." + '


@dataclass
class MongoCommands:
    collections: dict[str, dict[str, Any]] = field(default_factory=dict)
    indexes: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    shards: dict[str, dict[str, Any]] = field(default_factory=dict)


def _json_at(text: str, position: int) -> tuple[Any, int]:
    value, end = _DECODER.raw_decode(text, position)
    return value, end


def _expect(text: str, position: int, literal: str) -> int:
    assert text.startswith(literal, position), (literal, text[position : position + 80])
    return position + len(literal)


def check_mongosh(text: str) -> MongoCommands:
    """Reads the script: comments, the helper, `ensureCollection(name, options);` and
    `db.getCollection(name).createIndex(keys, options);`, with every argument JSON."""
    assert text.count(HELPER) == 1
    rest = text.replace(HELPER, "")
    commands = MongoCommands()
    position = 0
    while position < len(rest):
        if rest[position] == "\n":
            position += 1
        elif rest.startswith("//", position):
            end = rest.index("\n", position)
            assert "\u2028" not in rest[position:end] and "\u2029" not in rest[position:end]
            position = end
        elif rest.startswith("ensureCollection(", position):
            name, position = _json_at(rest, position + len("ensureCollection("))
            position = _expect(rest, position, ", ")
            options, position = _json_at(rest, position)
            position = _expect(rest, position, ");")
            assert isinstance(name, str) and isinstance(options, dict)
            assert name not in commands.collections
            commands.collections[name] = options
        elif rest.startswith("db.getCollection(", position):
            name, position = _json_at(rest, position + len("db.getCollection("))
            position = _expect(rest, position, ").createIndex(")
            keys, position = _json_at(rest, position)
            position = _expect(rest, position, ", ")
            options, position = _json_at(rest, position)
            position = _expect(rest, position, ");")
            assert name in commands.collections, name
            assert keys and all(v in (1, -1, "text", "2dsphere") for v in keys.values()), keys
            assert isinstance(options.get("name"), str)
            commands.indexes.append((name, keys, options))
        elif rest.startswith(ENABLE_SHARDING, position):
            position += len(ENABLE_SHARDING)
        elif rest.startswith(SHARD_COLLECTION, position):
            name, position = _json_at(rest, position + len(SHARD_COLLECTION))
            position = _expect(rest, position, ", ")
            keys, position = _json_at(rest, position)
            position = _expect(rest, position, ");")
            assert name in commands.collections and name not in commands.shards, name
            assert len(keys) == 1 and list(keys.values()) == ["hashed"], keys
            commands.shards[name] = keys
        else:
            raise AssertionError(f"unexpected script text: {rest[position : position + 80]!r}")
    names = [(c, o["name"]) for c, _, o in commands.indexes]
    assert len(set(names)) == len(names), "index names repeat"
    return commands


# CQL ------------------------------------------------------------------------------------------

_CQL_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<comment>--[^\n]*)|(?P<quoted>"(?:[^"]|"")*")|(?P<string>'(?:[^']|'')*')"""
    r"""|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<number>-?\d+)|(?P<punct>[(),;.<>={}:])"""
)
# A few of CQL's reserved words (Apache Cassandra documentation, "CQL Keywords"), spelled here
# rather than read from the generator's own list so that the check is independent of it.
CQL_RESERVED = {"select", "from", "order", "primary", "table", "with", "where", "and", "by", "in"}
CQL_TYPES = {
    "text",
    "int",
    "bigint",
    "decimal",
    "double",
    "boolean",
    "date",
    "timestamp",
    "time",
    "uuid",
    "blob",
    "set",
}


@dataclass
class CqlTable:
    name: str
    columns: dict[str, str]
    partition: list[str]
    clustering: list[str]
    order: list[tuple[str, str]]
    options: dict[str, str]


def _cql_tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        match = _CQL_TOKEN.match(text, position)
        assert match is not None, f"cannot read CQL at {text[position : position + 40]!r}"
        kind = match.lastgroup or ""
        if kind not in ("space", "comment"):
            tokens.append((kind, match.group()))
        position = match.end()
    return tokens


def _identifier(token: tuple[str, str]) -> str:
    kind, value = token
    if kind == "quoted":
        return value[1:-1].replace('""', '"')
    assert kind == "word", token
    assert value.lower() not in CQL_RESERVED, f"reserved word unquoted: {value}"
    return value.lower()


def check_cql(text: str) -> dict[str, CqlTable]:
    """A keyspace, then tables: `CREATE TABLE IF NOT EXISTS ks.t (col type, ..., PRIMARY KEY
    (...)) WITH ...;` with every key column declared and the clustering order matching."""
    tokens = _cql_tokens(text)
    statements: list[list[tuple[str, str]]] = [[]]
    for token in tokens:
        if token == ("punct", ";"):
            statements.append([])
        else:
            statements[-1].append(token)
    assert statements[-1] == [], "the last statement has no semicolon"
    statements.pop()
    words = [t[1].upper() for t in statements[0][:5]]
    assert words == ["CREATE", "KEYSPACE", "IF", "NOT", "EXISTS"]
    keyspace = _identifier(statements[0][5])
    tables: dict[str, CqlTable] = {}
    for statement in statements[1:]:
        assert [t[1].upper() for t in statement[:5]] == ["CREATE", "TABLE", "IF", "NOT", "EXISTS"]
        assert _identifier(statement[5]) == keyspace and statement[6] == ("punct", ".")
        name = statement[7][1]
        assert re.fullmatch(r"[a-z][a-z0-9_]{0,47}", name), name
        position = 8
        assert statement[position] == ("punct", "(")
        position += 1
        columns: dict[str, str] = {}
        while statement[position][1].upper() != "PRIMARY":
            column = _identifier(statement[position])
            kind = statement[position + 1][1]
            assert kind in CQL_TYPES, kind
            position += 2
            if kind == "set":
                assert [t[1] for t in statement[position : position + 3]] == ["<", "uuid", ">"]
                position += 3
            assert column not in columns, f"column {column} twice"
            columns[column] = kind
            assert statement[position] == ("punct", ","), statement[position]
            position += 1
        assert statement[position + 1][1].upper() == "KEY" and statement[position + 2][1] == "("
        position += 3
        partition: list[str] = []
        if statement[position][1] == "(":
            position += 1
            while statement[position][1] != ")":
                partition.append(_identifier(statement[position]))
                position += 1 if statement[position + 1][1] == ")" else 2
            position += 1
            assert len(partition) > 1, "a single partition column goes without parentheses"
        else:
            partition.append(_identifier(statement[position]))
            position += 1
        clustering: list[str] = []
        while statement[position][1] == ",":
            clustering.append(_identifier(statement[position + 1]))
            position += 2
        assert [t[1] for t in statement[position : position + 2]] == [")", ")"]
        position += 2
        for column in partition + clustering:
            assert column in columns, f"key column {column} not declared"
        order: list[tuple[str, str]] = []
        options: dict[str, str] = {}
        assert statement[position][1].upper() == "WITH"
        position += 1
        while position < len(statement):
            if statement[position][1].upper() == "CLUSTERING":
                assert [t[1].upper() for t in statement[position : position + 4]] == [
                    "CLUSTERING",
                    "ORDER",
                    "BY",
                    "(",
                ]
                position += 4
                while statement[position][1] != ")":
                    order.append((_identifier(statement[position]), statement[position + 1][1]))
                    position += 2 if statement[position + 2][1] == ")" else 3
                position += 1
            else:
                option = statement[position][1]
                assert statement[position + 1] == ("punct", "="), statement[position : position + 2]
                end = position + 2
                depth = 0
                while end < len(statement) and (depth or statement[end][1].upper() != "AND"):
                    depth += {"{": 1, "}": -1}.get(statement[end][1], 0)
                    end += 1
                options[option] = " ".join(t[1] for t in statement[position + 2 : end])
                position = end
            if position < len(statement):
                assert statement[position][1].upper() == "AND"
                position += 1
        assert [c for c, _ in order] == clustering
        assert all(direction in ("ASC", "DESC") for _, direction in order)
        tables[name] = CqlTable(name, columns, partition, clustering, order, options)
    return tables


# Cypher ---------------------------------------------------------------------------------------

_ID = r"(?:[A-Za-z_][A-Za-z0-9_]*|`(?:[^`]|``)*`)"
_CYPHER = [
    re.compile(
        rf"CREATE CONSTRAINT {_ID} IF NOT EXISTS FOR \(n:{_ID}\) REQUIRE n\.{_ID} IS UNIQUE;"
    ),
    re.compile(
        rf"CREATE INDEX {_ID} IF NOT EXISTS FOR \(n:{_ID}\) ON \(n\.{_ID}(?:, n\.{_ID})*\);"
    ),
    re.compile(
        rf"CREATE FULLTEXT INDEX {_ID} IF NOT EXISTS FOR \(n:{_ID}\) "
        rf"ON EACH \[n\.{_ID}(?:, n\.{_ID})*\];"
    ),
]


def check_cypher(text: str) -> list[str]:
    """Every line is a comment, blank, or one of the three schema commands (Cypher 5)."""
    statements = []
    for line in text.splitlines():
        if not line or line.startswith("//"):
            continue
        assert any(p.fullmatch(line) for p in _CYPHER), f"not a schema command: {line}"
        statements.append(line)
    names = [re.match(rf"CREATE (?:FULLTEXT )?(?:CONSTRAINT|INDEX) ({_ID})", s) for s in statements]
    spelled = [m.group(1) for m in names if m is not None]
    assert len(set(spelled)) == len(spelled), "schema object names repeat"
    return statements


# SQL ------------------------------------------------------------------------------------------

_TIMESCALE = [
    re.compile(r"CREATE EXTENSION IF NOT EXISTS timescaledb(_toolkit)?"),
    re.compile(
        r"ALTER TABLE \S.* SET \(timescaledb\.compress(, timescaledb\.\w+ = '(?:[^']|'')*')*\)",
        re.S,
    ),
]
_VIEW = re.compile(
    r"CREATE MATERIALIZED VIEW (?P<name>\S+|\"(?:[^\"]|\"\")*\") "
    r"WITH \(timescaledb\.continuous\) AS\n"
    r"(?P<select>SELECT .*)\nWITH NO DATA",
    re.S,
)


def check_sql(text: str) -> list[str]:
    """Each statement parses with sqlglot (PostgreSQL), but for TimescaleDB's own options,
    whose shape is checked and whose query parses."""
    tokens = sqlglot.Dialect.get_or_raise("postgres").tokenize(text)
    statements, start = [], 0
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            statements.append(text[start : token.start].strip())
            start = token.end + 1
    assert not text[start:].strip() or text[start:].strip().startswith("--")
    for statement in statements:
        body = "\n".join(line for line in statement.splitlines() if not line.startswith("--"))
        view = _VIEW.fullmatch(body)
        if view is not None:
            sqlglot.parse_one(view.group("select"), read="postgres", error_level=ErrorLevel.RAISE)
        elif not any(p.fullmatch(body) for p in _TIMESCALE):
            parsed = sqlglot.parse_one(body, read="postgres", error_level=ErrorLevel.RAISE)
            assert not isinstance(parsed, sqlglot.exp.Command), body
    return statements


# The checks themselves ------------------------------------------------------------------------


def test_the_mongosh_check_rejects_a_broken_argument() -> None:
    good = f'{HELPER}\nensureCollection("a", {{"validator": {{}}}});\n'
    check_mongosh(good)
    with pytest.raises((AssertionError, ValueError)):
        check_mongosh(good.replace('{"validator": {}}', '{"validator": {},}'))
    with pytest.raises(AssertionError):
        check_mongosh(good + 'db.getCollection("b").createIndex({"x": 1}, {"name": "i"});\n')


def test_the_cql_check_reads_keys_and_rejects_undeclared_ones() -> None:
    text = (
        "CREATE KEYSPACE IF NOT EXISTS k WITH replication = {'class': 'SimpleStrategy'};\n"
        'CREATE TABLE IF NOT EXISTS k.t (a text, "b c" timestamp, id uuid, '
        "PRIMARY KEY ((a, \"b c\"), id)) WITH CLUSTERING ORDER BY (id DESC) AND comment = 'x';\n"
    )
    table = check_cql(text)["t"]
    assert table.partition == ["a", "b c"] and table.clustering == ["id"]
    with pytest.raises(AssertionError):
        check_cql(text.replace("PRIMARY KEY ((a,", "PRIMARY KEY ((z,"))
    with pytest.raises(AssertionError):
        check_cql(text.replace(" (a text,", " (select text,"))
    with pytest.raises(AssertionError):
        check_cql(text.replace("comment = 'x';", "comment = 'x'"))


def test_the_cypher_check_rejects_an_unquoted_space_and_old_syntax() -> None:
    check_cypher("CREATE CONSTRAINT c IF NOT EXISTS FOR (n:`A b`) REQUIRE n.x IS UNIQUE;")
    with pytest.raises(AssertionError):
        check_cypher("CREATE CONSTRAINT c IF NOT EXISTS FOR (n:A b) REQUIRE n.x IS UNIQUE;")
    with pytest.raises(AssertionError):
        check_cypher("CREATE CONSTRAINT ON (n:A) ASSERT n.x IS UNIQUE;")


def test_the_sql_check_rejects_a_broken_statement() -> None:
    check_sql("CREATE TABLE t (a INT);\nSELECT create_hypertable('t', by_range('a'));\n")
    with pytest.raises(sqlglot.errors.ParseError):
        check_sql("CREATE TABLE t (a INT;\n")


# ClickHouse and DynamoDB ----------------------------------------------------------------------


def check_clickhouse(text: str) -> list[sqlglot.exp.Expression]:
    """Each statement parses with sqlglot's ClickHouse dialect into a CREATE (no statement falls
    back to an unparsed command)."""
    tokens = sqlglot.Dialect.get_or_raise("clickhouse").tokenize(text)
    statements, start = [], 0
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            statements.append(text[start : token.start].strip())
            start = token.end + 1
    assert not text[start:].strip(), "text after the last statement"
    parsed = []
    for statement in statements:
        body = "\n".join(line for line in statement.splitlines() if not line.startswith("--"))
        tree = sqlglot.parse_one(body, read="clickhouse", error_level=ErrorLevel.RAISE)
        assert isinstance(tree, sqlglot.exp.Create), body
        parsed.append(tree)
    return parsed


def check_dynamodb(text: str) -> dict[str, Any]:
    """The JSON holds a CreateTable request: every key attribute defined (and nothing else),
    at most 20 global secondary indexes, capacity when provisioned; every access pattern names
    a key or index that exists."""
    table = json.loads(text)
    defined = {d["AttributeName"]: d["AttributeType"] for d in table["AttributeDefinitions"]}
    assert len(defined) == len(table["AttributeDefinitions"]), "an attribute defined twice"
    assert 3 <= len(table["TableName"]) <= 255
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", table["TableName"]), table["TableName"]
    used = []
    assert [k["KeyType"] for k in table["KeySchema"]] in (["HASH"], ["HASH", "RANGE"])
    used += [k["AttributeName"] for k in table["KeySchema"]]
    assert table.get("GlobalSecondaryIndexes", None) != [], "an empty list is rejected"
    indexes = table.get("GlobalSecondaryIndexes", [])
    assert len(indexes) <= 20
    names = [i["IndexName"] for i in indexes]
    assert len(set(names)) == len(names)
    for index in indexes:
        assert [k["KeyType"] for k in index["KeySchema"]] in (["HASH"], ["HASH", "RANGE"])
        used += [k["AttributeName"] for k in index["KeySchema"]]
        assert index["Projection"]["ProjectionType"] in ("ALL", "KEYS_ONLY", "INCLUDE")
        assert ("ProvisionedThroughput" in index) == (table["BillingMode"] == "PROVISIONED")
    assert set(used) == set(defined), "key attributes and definitions differ"
    assert all(defined[n] in ("S", "N", "B") for n in used)
    assert table["BillingMode"] in ("PAY_PER_REQUEST", "PROVISIONED")
    if table["BillingMode"] == "PROVISIONED":
        throughput = table["ProvisionedThroughput"]
        assert throughput["ReadCapacityUnits"] >= 1 and throughput["WriteCapacityUnits"] >= 1
    else:
        assert "ProvisionedThroughput" not in table
    for pattern in table["AccessPatterns"]:
        assert pattern.get("Index") in (None, *names), pattern
    return dict(table)


def test_the_clickhouse_check_rejects_a_broken_statement() -> None:
    check_clickhouse("CREATE TABLE t (`a``b` String) ENGINE = MergeTree ORDER BY tuple();\n")
    with pytest.raises(sqlglot.errors.ParseError):
        check_clickhouse("CREATE TABLE t (a String ENGINE = MergeTree ORDER BY a;\n")
    with pytest.raises(AssertionError):
        check_clickhouse("CREATE TABLE t (a String) ENGINE = MergeTree ORDER BY a")


def test_the_dynamodb_check_rejects_an_undefined_index_key() -> None:
    table = {
        "TableName": "shop",
        "AttributeDefinitions": [{"AttributeName": "PK", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
        "AccessPatterns": [],
    }
    check_dynamodb(json.dumps(table))
    table["GlobalSecondaryIndexes"] = [
        {
            "IndexName": "GSI1",
            "KeySchema": [{"AttributeName": "GSI1PK", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
    ]
    with pytest.raises(AssertionError):
        check_dynamodb(json.dumps(table))
