"""The shrinkage split: a total shrinkage as the part the schedule models (paid breaks, which it
places explicitly) and the part it does not (absence, training, meetings), by which the
requirement is grossed up and the agents on the phones are taken down.

Pure library code: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from wfm.errors import ConfigError
from wfm.scheduling.rules import ShiftRules

__all__ = ["ShrinkageSplit", "split_shrinkage"]


@dataclass(frozen=True)
class ShrinkageSplit:
    """A total shrinkage split into the part the schedule models and the remainder (fractions 0-1).

    (1 - total) = (1 - modelled) (1 - remaining): shrinkages multiply, they do not add.
    """

    total: float
    modelled: float
    remaining: float


def split_shrinkage(total: float, rules: ShiftRules | float, length_h: float | None = None) -> ShrinkageSplit:
    """Split a total shrinkage into the part the schedule models and the part it does not.

    The schedule places paid breaks explicitly, so that part of the shrinkage must not be taken
    off again. With ``modelled`` = paid break time / paid time of a shift (from ``rules`` for
    ``length_h``, default the shortest full-time length, or given directly as a fraction):

        remaining = 1 - (1 - total) / (1 - modelled)

    ``remaining`` (absence, training, meetings, ...) is what the requirement is grossed up by
    (``required = agents on the phones / (1 - remaining)``) and what evaluation takes off the
    agents on the phones. Example: 30 % total with the default 8 h shift (2 x 15 min paid breaks
    in 7.5 paid hours, 6.67 %) leaves 1 - 0.7 / 0.9333 = 25 %.

    Raises :class:`~wfm.errors.ConfigError` if the breaks alone exceed the total.
    """
    total = float(total)
    if not (0.0 <= total < 1.0):
        raise ConfigError(f"total shrinkage must be a fraction in [0, 1), got {total:g}")
    modelled = rules.paid_break_fraction(length_h) if isinstance(rules, ShiftRules) else float(rules)
    if not (0.0 <= modelled < 1.0):
        raise ConfigError(f"modelled shrinkage must be a fraction in [0, 1), got {modelled:g}")
    if modelled > total + 1e-12:
        raise ConfigError(
            f"total shrinkage {total:.1%} is less than the {modelled:.1%} the scheduled paid breaks "
            "already take; raise the shrinkage or shorten the breaks"
        )
    remaining = max(0.0, 1.0 - (1.0 - total) / (1.0 - modelled))
    return ShrinkageSplit(total=total, modelled=modelled, remaining=remaining)
