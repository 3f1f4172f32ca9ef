"""The one domain error type: a problem with the user's input, reported as one line."""


class WfmError(Exception):
    """Bad input or an impossible target.

    The message is one line a planner can act on: it names the file, row and column where
    there is one, and says what was expected. The CLI prints it on stderr and exits with 2.
    """
