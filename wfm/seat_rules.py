"""How seats are counted: the ``[seats]`` table of wfm.toml as :class:`SeatRules` (the counting itself is
:mod:`wfm.scheduling.seats`). Importable from :mod:`wfm.config` too, which reads the table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wfm.errors import ConfigError, reject_unknown
from wfm.targets import MAX_AGENTS, _is_number, _is_whole, one_value, show_value


@dataclass(frozen=True)
class SeatRules:
    """How seats are counted: ``[seats]`` in wfm.toml (see wfm.scheduling.seats).

    Ranges: ``absent_fraction`` and ``buffer_fraction`` fractions in [0, 1); ``buffer_seats`` a
    whole number from 0 to 100,000; ``shared_seats`` true or false.
    """

    absent_fraction: float = 0.0  # fraction of scheduled agents not on site
    buffer_fraction: float = 0.0  # extra seats as a fraction of the peak
    buffer_seats: int = 0  # extra seats as a count
    shared_seats: bool = False  # agents on break free their seat

    def __post_init__(self) -> None:
        # the same checks as [seats]; kept as plain bool, int and float whatever number type was given (a numpy
        # scalar, a 0-d array, a Fraction)
        for key, value in SeatRules._check(vars(self), "SeatRules").items():
            object.__setattr__(self, key, value)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str) -> SeatRules:
        """From a ``[seats]`` table; unknown keys, wrong types and values out of range are one-line
        errors naming ``source`` (e.g. ``"wfm.toml [seats]"``) and the key."""
        cls._check(data, source)
        return cls(**data)

    @staticmethod
    def _check(data: Mapping[str, Any], source: str) -> dict[str, Any]:
        """The values of ``data`` checked, each as its plain bool, int or float."""
        kinds = _SEAT_KINDS
        reject_unknown(data, kinds, source)
        checked: dict[str, Any] = {}
        for key, value in data.items():
            kind, value = kinds[key], one_value(value)  # np.array(0.1) as 0.1, np.True_ as True
            if kind is bool:
                ok, expected = isinstance(value, bool), "true or false"
            elif kind is int:
                ok, expected = _is_whole(value) and 0 <= value <= MAX_AGENTS, f"a whole number from 0 to {MAX_AGENTS}"
            else:
                ok, expected = _is_number(value) and 0.0 <= value < 1.0, "a fraction in [0, 1)"
            if not ok:
                raise ConfigError(f"{source}: {key} must be {expected}, got {show_value(value)}")
            checked[key] = kind(value)
        return checked


_SEAT_KINDS: dict[str, type] = {"absent_fraction": float, "buffer_fraction": float, "buffer_seats": int,
                                "shared_seats": bool}
