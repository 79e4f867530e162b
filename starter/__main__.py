"""`python -m starter …`: see starter/cli.py, or `python -m starter --help`."""

import os
import sys

from starter.cli import main

try:
    code = main()
except BrokenPipeError:  # output piped into `head` and the like
    code = 0
# The SDK's Rust runtime threads may outlive the event loop and abort interpreter finalisation
# ("PyGILState_Release … finalizing", temporalio/sdk-python#300): flush, then exit directly.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
