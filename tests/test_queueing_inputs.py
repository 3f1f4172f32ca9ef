"""wfm.queueing_inputs: the checks, limits and tolerance the queueing models share."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from wfm import erlang, erlang_a
from wfm.queueing_inputs import (
    TARGET_TOLERANCE,
    _as_float_arrays,
    erlangs_text,
    offered_traffic_text,
    service_level_time,
    target_slack,
)


def test_target_slack_covers_decimal_ties_and_stays_within_the_targets_margin() -> None:
    assert target_slack(0.85) == pytest.approx(1.5e-13)
    assert target_slack(0.99999999999999) == 8 * np.spacing(0.99999999999999)  # a few ulps, not 1e-12
    assert target_slack(1e-13) == pytest.approx(1e-25)
    assert 56.95 / 67 - 0.85 <= target_slack(0.85)
    assert np.all(target_slack(np.linspace(0.0, 1.0, 101)) <= TARGET_TOLERANCE)


def test_both_models_share_one_tolerance_and_one_limit() -> None:
    assert erlang.target_slack is erlang_a.target_slack is target_slack
    assert erlang.MAX_TRAFFIC_ERLANGS == erlang_a.MAX_TRAFFIC_ERLANGS == 1e6
    assert erlang.erlangs_text is erlangs_text  # wfm.erlang.erlangs_text, as the loader and calculator name it


def test_erlangs_text_reads_as_over_a_limit_when_it_is() -> None:
    assert erlangs_text(1_000_000.333) == "1,000,000.333"
    assert erlangs_text(1_000_000.001) == "1,000,000.001"  # ten significant digits: a value just over reads as over
    assert erlangs_text(1.1e16) == "1.1e+16"
    assert erlangs_text(1_000_000.0000001) == "1,000,000.0000001"  # ten digits read "1,000,000": at most the limit
    assert erlangs_text(999_999.99999999) == "1,000,000"  # under the limit: ten digits as ever
    assert erlangs_text(float("inf")) == "more than 1e+308" and erlangs_text(float("nan")) == "nan"


def test_offered_traffic_text_takes_the_quotient_first_where_the_product_overflows() -> None:
    assert offered_traffic_text(1e306, 300, 900) == "3.333333333e+305"  # 1e306 x 300 overflows; it read "more than"
    assert offered_traffic_text(300, 1e306, 900) == "3.333333333e+305"
    assert offered_traffic_text(1e306, 1e306, 900) == "more than 1e+308"  # the traffic itself overflows
    assert offered_traffic_text(6_000_001, 300, 1800) == "1,000,000.167"  # below, as erlangs_text


def test_an_answer_time_belongs_to_a_service_level_target() -> None:
    assert service_level_time(None, None) == 0.0 and service_level_time(0.8, 20) == 20
    with pytest.raises(ValueError, match="service_level needs answer_within_s"):
        service_level_time(0.8, None)
    with pytest.raises(ValueError, match="give service_level too"):
        service_level_time(None, 20)


def test_arguments_become_writable_float_copies_and_text_is_refused() -> None:
    given = np.array([1.0, 2.0])
    a, b = _as_float_arrays(given, 3)
    a[0] = 9.0
    assert given[0] == 1.0 and b.tolist() == [3.0, 3.0] and a.dtype == b.dtype == np.float64
    assert _as_float_arrays(Fraction(1, 2), Decimal("0.25"))[0].tolist() == 0.5
    with pytest.raises(TypeError, match="expected numbers"):
        _as_float_arrays("10")
    with pytest.raises(TypeError, match="expected numbers"):
        _as_float_arrays(None)


def test_shapes_that_do_not_broadcast_and_text_name_the_parameters() -> None:
    """numpy's 'Mismatch is between arg 0 with shape (3,) and arg 1 with shape (2,)' left a notebook to count the
    arguments, with the targets' defaults among them; the message now names the parameters given as arrays."""
    with pytest.raises(ValueError, match=r"^shapes that do not broadcast together: traffic_erlangs \(3,\), aht_s "
                                         r"\(2,\); give arrays of one shape"):
        erlang.required_agents([1.0, 2.0, 3.0], [180, 200], service_level=0.8, answer_within_s=20)
    with pytest.raises(ValueError, match=r": agents \(2,\), traffic_erlangs \(3,\); "):
        erlang.service_level([14, 15], [10.0, 11.0, 12.0], 180, 20)
    with pytest.raises(ValueError, match=r": traffic_erlangs \(3,\), patience_s \(2,\); "):
        erlang_a.required_agents([1.0, 2.0, 3.0], 180, patience_s=[100, 200], max_abandon_rate=0.05)
    with pytest.raises(TypeError, match="^aht_s: expected numbers"):
        erlang.average_speed_of_answer(14, 10.0, "180")
