"""`python -m wfm` runs the command line."""

from wfm.cli import run

run()
