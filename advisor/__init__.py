"""The database design advisor's decision engine: plain Python, no Django.

It turns a description of data and workload into a reasoned database design. The web app in
`designs/` and the command line (`python -m advisor`) both call into it:

- `advisor.requirements`: `load_document`, `parse_requirements` (raises `InvalidRequirements`
  with every `Problem(path, message)`), `requirements_to_document`, `dump_yaml`, `dump_json`,
  `diff_requirements`, and the frozen dataclasses `Requirements`, `Workload`, `Team`, `Entity`,
  `Attribute`, `Relationship`, `AccessPattern`.
- `advisor.engine.advise(requirements, rules=RULES, matrix=DEFAULT_MATRIX, thresholds=None)`
  returns a frozen `advisor.recommendation.Recommendation` (`to_dict()`, `to_json()`).
- `advisor.matrix.DEFAULT_MATRIX`: the technology matrix of `advisor/data/matrix.yaml`.
- `advisor.schemas`: the JSON Schemas of the requirements and of the recommendation.

Every error the engine raises is an `AdvisorError`.
"""

from __future__ import annotations

from advisor.errors import AdvisorError

__all__ = ["AdvisorError", "__version__"]

__version__ = "0.1.0"
