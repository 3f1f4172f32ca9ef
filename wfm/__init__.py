"""wfm: a workforce-management staffing planner for contact centers."""

__version__ = "0.1.0"
