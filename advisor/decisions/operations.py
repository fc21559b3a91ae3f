"""What running each store takes: how to watch it, back it up, restore it and maintain it.

Knowledge is data: one table per family of stores (a technology and those that share its
tooling). It lives here rather than in `advisor/data/` because it is prose and queries for
people, not figures the rules compute with. Queries name catalogue views as documented for
PostgreSQL 13+, MySQL 8.0, SQL Server 2019, MongoDB 6, Redis 7, Cassandra 4, Neo4j 5,
Elasticsearch 8 and ClickHouse 23; `reference` points at the vendor's monitoring page.
"""

from __future__ import annotations

from dataclasses import dataclass

# Topics a check belongs to, so that each decision picks the checks that confirm it.
TOPICS = ("activity", "locks", "statements", "indexes", "replication", "cache", "storage", "sync")


@dataclass(frozen=True)
class Check:
    topic: str
    what: str  # Markdown, no requirement names
    how: str  # a query or command, shown as code; "" when `what` says it all


@dataclass(frozen=True)
class Operations:
    name: str
    checks: tuple[Check, ...]
    backup: str
    restore: str
    maintenance: tuple[str, ...]
    reference: str

    def topic(self, *topics: str) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.topic in topics)


_POSTGRESQL = Operations(
    name="PostgreSQL",
    checks=(
        Check(
            "activity",
            "long transactions and sessions idle in a transaction (they hold locks and stop "
            "VACUUM): none older than a minute",
            "SELECT pid, state, now() - xact_start AS age, left(query, 60) FROM "
            "pg_stat_activity WHERE xact_start < now() - interval '1 minute' ORDER BY age DESC;",
        ),
        Check(
            "locks",
            "lock waits: sessions blocked by others, and ungranted locks by mode",
            "SELECT pid, pg_blocking_pids(pid) AS blocked_by, wait_event_type, left(query, 60) "
            "FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0; "
            "SELECT locktype, mode, count(*) FROM pg_locks WHERE NOT granted GROUP BY 1, 2;",
        ),
        Check(
            "statements",
            "the statements that cost the most time, and their mean time against the latency "
            "targets (needs the pg_stat_statements extension)",
            "SELECT left(query, 80), calls, round(mean_exec_time::numeric, 1) AS mean_ms, "
            "round(total_exec_time::numeric) AS total_ms FROM pg_stat_statements "
            "ORDER BY total_exec_time DESC LIMIT 10;",
        ),
        Check(
            "indexes",
            "indexes never scanned since the statistics were reset (candidates to drop) and "
            "large tables read by sequential scans (a missing index)",
            "SELECT relname, indexrelname, idx_scan, pg_size_pretty(pg_relation_size(indexrelid)) "
            "FROM pg_stat_user_indexes WHERE idx_scan = 0 ORDER BY pg_relation_size(indexrelid) "
            "DESC; SELECT relname, seq_scan, idx_scan, n_live_tup FROM pg_stat_user_tables WHERE "
            "seq_scan > coalesce(idx_scan, 0) AND n_live_tup > 100000;",
        ),
        Check(
            "replication",
            "replication lag of every standby, in time and in bytes of WAL",
            "SELECT application_name, state, replay_lag, pg_size_pretty(pg_wal_lsn_diff("
            "pg_current_wal_lsn(), replay_lsn)) AS behind FROM pg_stat_replication;",
        ),
        Check(
            "cache",
            "the buffer cache hit ratio (above 99% for an OLTP load whose hot set fits memory)",
            "SELECT round(100.0 * sum(blks_hit) / nullif(sum(blks_hit + blks_read), 0), 2) "
            "FROM pg_stat_database;",
        ),
        Check(
            "storage",
            "database size against the capacity plan, and dead rows waiting for autovacuum",
            "SELECT pg_size_pretty(pg_database_size(current_database())); SELECT relname, "
            "n_dead_tup, last_autovacuum FROM pg_stat_user_tables ORDER BY n_dead_tup DESC "
            "LIMIT 10;",
        ),
        Check(
            "sync",
            "logical replication slots read by change data capture: the WAL each one holds back "
            "(an inactive slot fills the disk)",
            "SELECT slot_name, active, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), "
            "confirmed_flush_lsn)) AS behind FROM pg_replication_slots;",
        ),
    ),
    backup=(
        "continuous WAL archiving with base backups (pgBackRest, Barman, or the managed "
        "service's automated backups) for point-in-time recovery; pg_dump only for small "
        "databases or logical copies"
    ),
    restore=(
        "restore the latest base backup and replay WAL to a point in time on a scratch server "
        "regularly, and time it against the recovery time objective"
    ),
    maintenance=(
        "autovacuum on, with thresholds lowered for large, busy tables; ANALYZE after bulk "
        "loads; watch transaction ID age (`SELECT datname, age(datfrozenxid) FROM "
        "pg_database;`)",
        "REINDEX CONCURRENTLY bloated indexes; pg_repack for bloated tables",
        "minor upgrades promptly, major upgrades with pg_upgrade or logical replication",
    ),
    reference="https://www.postgresql.org/docs/current/monitoring-stats.html",
)

_TIMESCALEDB = Operations(
    name="TimescaleDB",
    checks=(
        *_POSTGRESQL.checks,
        Check(
            "storage",
            "compression and retention policies run and succeed",
            "SELECT job_id, application_name, last_run_status, next_start FROM "
            "timescaledb_information.job_stats JOIN timescaledb_information.jobs USING (job_id);",
        ),
        Check(
            "storage",
            "chunks per hypertable (the chunk being written, with its indexes, should fit in "
            "a quarter of memory)",
            "SELECT hypertable_name, count(*) FROM timescaledb_information.chunks GROUP BY 1;",
        ),
    ),
    backup=_POSTGRESQL.backup,
    restore=_POSTGRESQL.restore,
    maintenance=(
        "retention (`add_retention_policy`) and compression (`add_compression_policy`) "
        "policies instead of deletes",
        *_POSTGRESQL.maintenance,
    ),
    reference="https://docs.timescale.com/use-timescale/latest/jobs/",
)

_MYSQL = Operations(
    name="MySQL",
    checks=(
        Check(
            "activity",
            "long-running statements",
            "SELECT id, user, time, state, LEFT(info, 60) FROM information_schema.processlist "
            "WHERE command <> 'Sleep' AND time > 60 ORDER BY time DESC;",
        ),
        Check(
            "locks",
            "InnoDB lock waits (MySQL 8 sys schema; MariaDB: information_schema.INNODB_LOCK_WAITS)",
            "SELECT waiting_pid, blocking_pid, wait_age, LEFT(waiting_query, 60) FROM "
            "sys.innodb_lock_waits;",
        ),
        Check(
            "statements",
            "the statement digests that cost the most time",
            "SELECT LEFT(digest_text, 80), count_star, ROUND(avg_timer_wait / 1e9, 1) AS avg_ms "
            "FROM performance_schema.events_statements_summary_by_digest ORDER BY "
            "sum_timer_wait DESC LIMIT 10;",
        ),
        Check(
            "indexes",
            "indexes never used, and tables read by full scans",
            "SELECT * FROM sys.schema_unused_indexes; SELECT * FROM "
            "sys.schema_tables_with_full_table_scans LIMIT 10;",
        ),
        Check(
            "replication",
            "replica lag (Seconds_Behind_Source) and both replication threads running",
            "SHOW REPLICA STATUS;",
        ),
        Check(
            "cache",
            "InnoDB buffer pool reads from disk against logical reads",
            "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_read%';",
        ),
        Check(
            "storage",
            "data and index size per table",
            "SELECT table_name, ROUND((data_length + index_length) / 1e9, 1) AS gb FROM "
            "information_schema.tables WHERE table_schema = DATABASE() ORDER BY gb DESC;",
        ),
        Check(
            "sync",
            "the binary log position read by change data capture (Debezium's lag metric) "
            "against the binlog retention",
            "SHOW BINARY LOGS;",
        ),
    ),
    backup=(
        "physical backups (Percona XtraBackup, mariabackup, or the managed service's "
        "snapshots) plus binary logs for point-in-time recovery; mysqldump "
        "--single-transaction only for small databases"
    ),
    restore=(
        "restore a backup and replay binary logs to a point in time on a scratch server "
        "regularly, timed against the recovery time objective"
    ),
    maintenance=(
        "ANALYZE TABLE after bulk changes; OPTIMIZE TABLE to reclaim space after large deletes",
        "binary log expiry (`binlog_expire_logs_seconds`) longer than the slowest consumer",
        "watch the InnoDB history list length (`SHOW ENGINE INNODB STATUS`): long transactions "
        "stop the purge",
    ),
    reference="https://dev.mysql.com/doc/refman/8.0/en/sys-schema.html",
)

_SQLSERVER = Operations(
    name="SQL Server",
    checks=(
        Check(
            "activity",
            "long-running requests and what they wait on",
            "SELECT session_id, status, wait_type, total_elapsed_time / 1000 AS seconds FROM "
            "sys.dm_exec_requests WHERE session_id > 50 ORDER BY total_elapsed_time DESC;",
        ),
        Check(
            "locks",
            "blocked sessions and their blockers",
            "SELECT session_id, blocking_session_id, wait_type, wait_time FROM "
            "sys.dm_exec_requests WHERE blocking_session_id <> 0;",
        ),
        Check(
            "statements",
            "the costliest queries from Query Store",
            "SELECT TOP 10 q.query_id, rs.avg_duration / 1000 AS avg_ms, rs.count_executions "
            "FROM sys.query_store_runtime_stats rs JOIN sys.query_store_plan p ON p.plan_id = "
            "rs.plan_id JOIN sys.query_store_query q ON q.query_id = p.query_id ORDER BY "
            "rs.avg_duration * rs.count_executions DESC;",
        ),
        Check(
            "indexes",
            "index usage: seeks and scans against updates",
            "SELECT OBJECT_NAME(object_id), index_id, user_seeks, user_scans, user_updates FROM "
            "sys.dm_db_index_usage_stats WHERE database_id = DB_ID();",
        ),
        Check(
            "replication",
            "availability group send and redo queues",
            "SELECT database_id, log_send_queue_size, redo_queue_size FROM "
            "sys.dm_hadr_database_replica_states;",
        ),
        Check("storage", "file sizes and free space", "EXEC sp_spaceused;"),
        Check(
            "sync",
            "change data capture jobs keep up (latency in seconds)",
            "SELECT latency, duration FROM sys.dm_cdc_log_scan_sessions;",
        ),
    ),
    backup="full, differential and transaction log backups (BACKUP DATABASE / BACKUP LOG)",
    restore="restore the chain to a point in time on a scratch server and run DBCC CHECKDB",
    maintenance=(
        "UPDATE STATISTICS; rebuild or reorganise fragmented indexes "
        "(sys.dm_db_index_physical_stats)",
        "DBCC CHECKDB on a schedule",
    ),
    reference="https://learn.microsoft.com/sql/relational-databases/performance/monitoring-performance-by-using-the-query-store",
)

_SQLITE = Operations(
    name="SQLite",
    checks=(
        Check(
            "locks",
            "SQLITE_BUSY errors in the application's logs (one writer at a time), with WAL mode "
            "and a busy timeout set",
            "PRAGMA journal_mode; PRAGMA busy_timeout;",
        ),
        Check("storage", "file size and integrity", "PRAGMA page_count; PRAGMA integrity_check;"),
        Check(
            "statements", "query plans of the frequent queries use indexes", "EXPLAIN QUERY PLAN"
        ),
    ),
    backup=(
        "`VACUUM INTO` or the online backup API on a schedule, or Litestream for continuous copies"
    ),
    restore="open a restored copy and run `PRAGMA integrity_check;`",
    maintenance=("`PRAGMA optimize;` on close; VACUUM after large deletes",),
    reference="https://www.sqlite.org/pragma.html",
)

_COCKROACHDB = Operations(
    name="CockroachDB",
    checks=(
        Check(
            "activity",
            "long-running queries",
            "SELECT query_id, node_id, start, left(query, 60) FROM [SHOW CLUSTER STATEMENTS] "
            "WHERE start < now() - INTERVAL '1 minute';",
        ),
        Check(
            "locks",
            "transaction contention (retries and waits)",
            "SELECT * FROM crdb_internal.transaction_contention_events ORDER BY collection_ts "
            "DESC LIMIT 20;",
        ),
        Check(
            "statements",
            "statement latencies in the DB Console's SQL Activity page "
            "(crdb_internal.statement_statistics)",
            "",
        ),
        Check(
            "indexes",
            "indexes never read",
            "SELECT * FROM crdb_internal.index_usage_statistics WHERE total_reads = 0;",
        ),
        Check(
            "replication",
            "under-replicated and unavailable ranges stay at zero (metrics "
            "ranges.underreplicated, ranges.unavailable); hot ranges in the DB Console",
            "",
        ),
    ),
    backup=(
        "scheduled full and incremental backups (`CREATE SCHEDULE FOR BACKUP`) to object storage"
    ),
    restore="`RESTORE DATABASE ... FROM LATEST IN ...` into a scratch cluster regularly",
    maintenance=(
        "MVCC garbage collection by `gc.ttlseconds`; automatic statistics; rolling upgrades",
    ),
    reference="https://www.cockroachlabs.com/docs/stable/monitoring-and-alerting",
)

_YUGABYTEDB = Operations(
    name="YugabyteDB",
    checks=(
        *_POSTGRESQL.topic("activity", "statements"),
        Check(
            "replication",
            "tablet leaders balanced across nodes, no under-replicated tablets "
            "(yb-master UI, `yb-admin list_tablet_servers`)",
            "",
        ),
        Check("storage", "SST file size and compaction backlog per tablet server", ""),
    ),
    backup=(
        "distributed snapshots (`yb-admin create_snapshot`) or scheduled backups to object storage"
    ),
    restore="restore a snapshot into a scratch universe regularly",
    maintenance=("automatic tablet splitting and compaction; rolling upgrades",),
    reference="https://docs.yugabyte.com/preview/launch-and-manage/monitor-and-alert/",
)

_SPANNER = Operations(
    name="Google Cloud Spanner",
    checks=(
        Check(
            "statements",
            "the costliest queries of the last minute",
            "SELECT text, execution_count, avg_latency_seconds FROM "
            "SPANNER_SYS.QUERY_STATS_TOP_MINUTE ORDER BY avg_latency_seconds DESC LIMIT 10;",
        ),
        Check(
            "locks",
            "lock contention by row key",
            "SELECT row_range_start_key, lock_wait_seconds FROM "
            "SPANNER_SYS.LOCK_STATS_TOP_MINUTE ORDER BY lock_wait_seconds DESC LIMIT 10;",
        ),
        Check(
            "replication",
            "CPU utilisation under the recommended maximum (high-priority CPU 65% regional, 45% "
            "per region multi-region) and hotspots in Key Visualizer",
            "",
        ),
    ),
    backup="scheduled backups, plus a version retention period for point-in-time recovery",
    restore="restore a backup into a new database regularly",
    maintenance=("managed: watch long schema changes and the query optimizer version",),
    reference="https://cloud.google.com/spanner/docs/introspection",
)

_MONGODB = Operations(
    name="MongoDB",
    checks=(
        Check(
            "activity",
            "operations running longer than five seconds",
            "db.currentOp({active: true, secs_running: {$gt: 5}})",
        ),
        Check(
            "locks",
            "WiredTiger tickets in use and lock queues",
            "db.serverStatus().wiredTiger.concurrentTransactions; db.serverStatus().globalLock",
        ),
        Check(
            "statements",
            "slow operations from the profiler",
            "db.setProfilingLevel(1, {slowms: 100}); "
            "db.system.profile.find().sort({millis: -1}).limit(10)",
        ),
        Check(
            "indexes",
            "index usage per collection (accesses.ops 0: unused)",
            "db.collection.aggregate([{$indexStats: {}}])",
        ),
        Check(
            "replication",
            "secondary lag and the oplog window",
            "rs.printSecondaryReplicationInfo(); rs.printReplicationInfo()",
        ),
        Check("cache", "WiredTiger cache fill and evictions", "db.serverStatus().wiredTiger.cache"),
        Check("storage", "data and index size", "db.stats()"),
        Check(
            "sync",
            "change stream consumers resume within the oplog window (their resume token age)",
            "",
        ),
    ),
    backup=(
        "continuous cloud backup (Atlas) or Ops Manager, or filesystem snapshots; mongodump only "
        "for small data"
    ),
    restore="restore to a scratch cluster to a point in time regularly",
    maintenance=(
        "TTL indexes for expiring data; build indexes in a rolling fashion on replica sets",
        "watch document growth towards the 16 MB limit",
    ),
    reference="https://www.mongodb.com/docs/manual/administration/monitoring/",
)

_COUCHDB = Operations(
    name="Apache CouchDB",
    checks=(
        Check(
            "activity", "running tasks (compactions, indexers, replications)", "GET /_active_tasks"
        ),
        Check("replication", "replication jobs and their errors", "GET /_scheduler/jobs"),
        Check("storage", "request and storage statistics", "GET /_node/_local/_stats"),
    ),
    backup="continuous replication to a backup database, or copies of the shard files",
    restore="replicate a backup into a scratch node and compare document counts",
    maintenance=("database and view compaction (`POST /db/_compact`); resolve `_conflicts`",),
    reference="https://docs.couchdb.org/en/stable/maintenance/",
)

_REDIS = Operations(
    name="Redis",
    checks=(
        Check(
            "cache",
            "the hit ratio (`keyspace_hits` against `keyspace_misses`) and `evicted_keys`",
            "INFO stats",
        ),
        Check(
            "storage",
            "memory used against `maxmemory`, and the fragmentation ratio",
            "INFO memory",
        ),
        Check("statements", "slow commands and latency spikes", "SLOWLOG GET 10; LATENCY DOCTOR"),
        Check("replication", "replica offsets against the primary's", "INFO replication"),
        Check("indexes", "big keys that block the single command thread", "redis-cli --bigkeys"),
    ),
    backup="RDB snapshots and/or the append-only file for data that is not only a cache",
    restore="start a scratch instance from a snapshot and compare DBSIZE",
    maintenance=(
        "a maxmemory policy that fits the use (allkeys-lru for a cache, noeviction for data)",
        "time-to-live on every cached key",
    ),
    reference="https://redis.io/docs/latest/operate/oss_and_stack/management/optimization/latency/",
)

_DYNAMODB = Operations(
    name="Amazon DynamoDB",
    checks=(
        Check(
            "statements",
            "CloudWatch SuccessfulRequestLatency and ThrottledRequests per table and index",
            "",
        ),
        Check(
            "storage",
            "ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits against the capacity "
            "plan; hot keys in Contributor Insights",
            "",
        ),
        Check("replication", "ReplicationLatency of global tables", ""),
    ),
    backup="point-in-time recovery (35 days) and on-demand backups",
    restore="restore a table to a point in time under a new name regularly",
    maintenance=("TTL attributes for expiring items; review the capacity mode",),
    reference="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/monitoring-cloudwatch.html",
)

_CASSANDRA = Operations(
    name="Apache Cassandra",
    checks=(
        Check("replication", "every node up and normal (UN), load balanced", "nodetool status"),
        Check(
            "statements",
            "read and write latency percentiles and partition sizes",
            "nodetool tablehistograms KEYSPACE TABLE",
        ),
        Check(
            "storage",
            "SSTables per read, largest partition (under 100 MB) and tombstones",
            "nodetool tablestats KEYSPACE.TABLE",
        ),
        Check(
            "activity",
            "pending and dropped messages, compaction backlog",
            "nodetool tpstats; nodetool compactionstats",
        ),
    ),
    backup="`nodetool snapshot` plus incremental backups shipped off the nodes (Medusa)",
    restore="restore snapshots into a scratch cluster regularly",
    maintenance=(
        "`nodetool repair` (Cassandra Reaper) on every table within gc_grace_seconds",
        "a compaction strategy that fits the table (TimeWindowCompactionStrategy for time "
        "series); TTLs rather than deletes",
    ),
    reference="https://cassandra.apache.org/doc/latest/cassandra/managing/operating/metrics.html",
)

_NEO4J = Operations(
    name="Neo4j",
    checks=(
        Check(
            "activity",
            "long-running transactions",
            "SHOW TRANSACTIONS YIELD transactionId, elapsedTime, currentQuery "
            "WHERE elapsedTime.milliseconds > 5000",
        ),
        Check(
            "statements",
            "slow queries in the query log (db.logs.query.threshold)",
            "",
        ),
        Check(
            "indexes",
            "indexes and when they were last read",
            "SHOW INDEXES YIELD name, readCount, lastRead",
        ),
        Check("cache", "page cache hit ratio (metric neo4j.page_cache.hit_ratio)", ""),
        Check("replication", "every server and database online", "SHOW SERVERS; SHOW DATABASES"),
    ),
    backup="online backups (`neo4j-admin database backup`, Enterprise) or offline dumps",
    restore="restore a backup into a scratch instance regularly",
    maintenance=("size the page cache to the store; watch store growth",),
    reference="https://neo4j.com/docs/operations-manual/current/monitoring/",
)

_NEPTUNE = Operations(
    name="Amazon Neptune",
    checks=(
        Check("activity", "running queries", "GET /gremlin/status"),
        Check(
            "statements",
            "CloudWatch MainRequestQueuePendingRequests, CPUUtilization and "
            "BufferCacheHitRatio; slow query logs",
            "",
        ),
        Check("replication", "replica lag (CloudWatch ClusterReplicaLag)", ""),
    ),
    backup="automated snapshots within the retention period, plus manual snapshots",
    restore="restore a snapshot into a new cluster regularly",
    maintenance=("managed: apply engine updates in the maintenance window",),
    reference="https://docs.aws.amazon.com/neptune/latest/userguide/cloudwatch.html",
)

_INFLUXDB = Operations(
    name="InfluxDB",
    checks=(
        Check(
            "storage",
            "series cardinality per bucket",
            'influxdb.cardinality(bucket: "BUCKET", start: -30d)',
        ),
        Check(
            "statements",
            "write and query errors and durations from the metrics endpoint",
            "GET /metrics",
        ),
    ),
    backup="`influx backup` on a schedule",
    restore="`influx restore` into a scratch instance regularly",
    maintenance=("bucket retention periods; downsampling tasks; keep tag cardinality bounded",),
    reference="https://docs.influxdata.com/influxdb/v2/admin/",
)

_TIMESTREAM = Operations(
    name="Amazon Timestream",
    checks=(
        Check("statements", "CloudWatch SuccessfulRequestLatency, SystemErrors and UserErrors", ""),
        Check("storage", "rejected records (late data beyond the memory store retention)", ""),
    ),
    backup="AWS Backup for tables",
    restore="restore a table under a new name regularly",
    maintenance=("memory and magnetic store retention periods per table",),
    reference="https://docs.aws.amazon.com/timestream/latest/developerguide/monitoring.html",
)

_ELASTICSEARCH = Operations(
    name="Elasticsearch",
    checks=(
        Check(
            "replication",
            "cluster health green, no unassigned shards",
            "GET _cluster/health",
        ),
        Check(
            "storage",
            "index and shard sizes (10-50 GB per shard)",
            "GET _cat/shards?v&s=store:desc",
        ),
        Check(
            "activity",
            "search and write thread pool rejections, JVM heap",
            "GET _nodes/stats/thread_pool,jvm",
        ),
        Check(
            "statements",
            "slow searches (index.search.slowlog.threshold.query.warn)",
            "",
        ),
        Check(
            "sync",
            "the index is no further behind the primary store than the pipeline's target: "
            "compare document counts and the newest indexed change",
            "GET INDEX/_count",
        ),
    ),
    backup=(
        "snapshots to a repository with snapshot lifecycle management, or rebuild from the "
        "primary store (the index is derived data)"
    ),
    restore="restore a snapshot, or reindex from the primary store, into a scratch cluster",
    maintenance=(
        "index lifecycle policies (rollover, delete); force-merge indices no longer written",
        "reindex into a new index behind an alias when a mapping changes",
    ),
    reference="https://www.elastic.co/guide/en/elasticsearch/reference/current/monitor-elasticsearch-cluster.html",
)

_SOLR = Operations(
    name="Apache Solr",
    checks=(
        Check(
            "replication",
            "every replica active",
            "GET /solr/admin/collections?action=CLUSTERSTATUS",
        ),
        Check("statements", "request latencies and errors", "GET /solr/admin/metrics"),
    ),
    backup="Collections API backups (`action=BACKUP`) or rebuild from the primary store",
    restore="restore a backup into a scratch collection regularly",
    maintenance=("commit and merge settings; reindex when the schema changes",),
    reference="https://solr.apache.org/guide/solr/latest/deployment-guide/metrics-reporting.html",
)

_CLICKHOUSE = Operations(
    name="ClickHouse",
    checks=(
        Check(
            "statements",
            "the slowest queries of the last hour",
            "SELECT query_duration_ms, read_rows, left(query, 80) FROM system.query_log WHERE "
            "type = 'QueryFinish' AND event_time > now() - INTERVAL 1 HOUR ORDER BY "
            "query_duration_ms DESC LIMIT 10;",
        ),
        Check(
            "storage",
            "active parts per partition (too many parts slow inserts and reads)",
            "SELECT table, partition, count() FROM system.parts WHERE active GROUP BY table, "
            "partition ORDER BY count() DESC LIMIT 10;",
        ),
        Check(
            "replication",
            "replication queue and unfinished mutations",
            "SELECT count() FROM system.replication_queue; SELECT count() FROM "
            "system.mutations WHERE NOT is_done;",
        ),
    ),
    backup=(
        "`BACKUP TABLE ... TO S3(...)` (or clickhouse-backup), or rebuild from the primary store"
    ),
    restore="restore into a scratch server regularly",
    maintenance=("TTL clauses for expiry; merges run by themselves, OPTIMIZE ... FINAL rarely",),
    reference="https://clickhouse.com/docs/en/operations/monitoring",
)

_GENERIC = Operations(
    name="the store",
    checks=(Check("statements", "request latency and errors against the targets", ""),),
    backup="the vendor's backups",
    restore="restore a backup into a scratch environment regularly",
    maintenance=(),
    reference="",
)

FAMILIES = {
    "postgresql": _POSTGRESQL,
    "timescaledb": _TIMESCALEDB,
    "mysql": _MYSQL,
    "mariadb": _MYSQL,
    "sqlserver": _SQLSERVER,
    "sqlite": _SQLITE,
    "cockroachdb": _COCKROACHDB,
    "yugabytedb": _YUGABYTEDB,
    "spanner": _SPANNER,
    "mongodb": _MONGODB,
    "documentdb": _MONGODB,
    "couchdb": _COUCHDB,
    "redis": _REDIS,
    "dynamodb": _DYNAMODB,
    "cassandra": _CASSANDRA,
    "scylladb": _CASSANDRA,
    "neo4j": _NEO4J,
    "neptune": _NEPTUNE,
    "influxdb": _INFLUXDB,
    "timestream": _TIMESTREAM,
    "elasticsearch": _ELASTICSEARCH,
    "opensearch": _ELASTICSEARCH,
    "solr": _SOLR,
    "clickhouse": _CLICKHOUSE,
}


def operations_for(technology: str) -> Operations:
    """How to run the technology with this matrix id.

    >>> operations_for("timescaledb").name, operations_for("unknown").name
    ('TimescaleDB', 'the store')
    """
    return FAMILIES.get(technology, _GENERIC)
