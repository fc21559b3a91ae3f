"""SQL Server and Oracle: the plain ALTER statements of each, written but not run here (no
server in the tests); their steps carry the hazards of a blocking ALTER."""

from __future__ import annotations

from advisor.migrate.plan import Planner


class SQLServerPlanner(Planner):
    family = "sqlserver"


class OraclePlanner(Planner):
    family = "oracle"
