"""`python -m wfm` runs the command line."""

from wfm.cli import app

app(prog_name="wfm")
