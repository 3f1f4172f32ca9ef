"""wfm.scheduling.shrinkage: the paid breaks the schedule places are taken out of the shrinkage once."""

from __future__ import annotations

import pytest

from wfm.errors import WfmError
from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.shrinkage import split_shrinkage


def test_split_shrinkage_takes_the_paid_breaks_out_once() -> None:
    split = split_shrinkage(0.30, ShiftRules())
    assert split.modelled == pytest.approx(1 / 15)  # 30 min paid breaks / 7.5 paid hours
    assert split.remaining == pytest.approx(0.25)  # 1 - 0.7 / (14/15)
    # shrinkages multiply: (1 - total) = (1 - modelled)(1 - remaining)
    assert (1 - split.modelled) * (1 - split.remaining) == pytest.approx(1 - split.total)
    assert split_shrinkage(0.2, 0.2).remaining == 0.0
    assert split_shrinkage(0.35, ShiftRules(), length_h=4.0).modelled == pytest.approx(0.25 / 4)


def test_split_shrinkage_rejects_breaks_above_the_total() -> None:
    with pytest.raises(WfmError, match=r"total shrinkage 5\.0% is less than the 6\.7%"):
        split_shrinkage(0.05, ShiftRules())
    with pytest.raises(WfmError):
        split_shrinkage(1.0, ShiftRules())
