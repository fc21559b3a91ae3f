from __future__ import annotations

import os
import sys

from advisor.collector import collector_paused

# Loading modules makes objects that all live on: young collections meanwhile walked them
# (with those of `recommend`'s modules, about 3 ms of a 100 ms run) and freed nothing.
with collector_paused(lasting=True):
    from advisor.cli import main

status = main()
# Python would free every object of the design one by one before exiting: about 40 ms after a
# 500-entity diagram, longer than reading its document, for memory the system frees at once.
# What was written is flushed first; files were closed by the command.
try:
    sys.stdout.flush()
    sys.stderr.flush()
except OSError:  # e.g. a closed pipe: exit the usual way, which reports it
    sys.exit(status)
os._exit(status)
