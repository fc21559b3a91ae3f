"""SQL DDL for five dialects, built as sqlglot expressions from the logical schema.

>>> from advisor.requirements import read_requirements
>>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: user}]\\n")
>>> "CREATE TABLE [user]" in generate_ddl(shop, "sqlserver")
True
"""

from __future__ import annotations

from advisor.ddl.render import generate_ddl, render_ddl, table_order
from advisor.schema.dialects import DIALECTS

__all__ = ["DIALECTS", "generate_ddl", "render_ddl", "table_order"]
