"""The database design advisor's decision engine: plain Python, no Django.

It turns a description of data and workload into a reasoned database design. The web app in
`designs/` and the command line (`python -m advisor`) both call into it.
"""

from __future__ import annotations

from advisor.errors import AdvisorError

__all__ = ["AdvisorError", "__version__"]

__version__ = "0.1.0"
