"""`python -m starter …`: see starter/cli.py, or `python -m starter --help`."""

from runtime.exit import verlaat
from starter.cli import main

try:
    code = main()
except BrokenPipeError:  # output piped into `head` and the like
    code = 0
verlaat(code)
