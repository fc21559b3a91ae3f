from __future__ import annotations

import os
import sys

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
