"""wfm.capacity.settings: the [capacity] section and its flags."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pytest
from conftest import NUMPY_FORMS, refused_as_plain

from wfm.capacity.settings import CapacitySettings, load_capacity_settings
from wfm.config import Settings, load_settings
from wfm.errors import ConfigError


def test_toml_section_then_flags(tmp_path):
    config = tmp_path / "wfm.toml"
    config.write_text('[capacity]\nprofile = "week.csv"\nheadcount = {onshore = 100, offshore = 50}\n'
                      'attrition = 0.25\ntraining_weeks = 6\nstart = 2026-11-02\nclass_max = 15\n')
    load_settings(config)  # the whole file stays valid for every other command, with or without the profile
    (tmp_path / "week.csv").write_text("queue,interval_start,volume,aht\n")
    c = load_capacity_settings(config, {"training_weeks": 3, "attrition": None})
    assert c.headcount == 150 and dict(c.headcount_by_site) == {"onshore": 100, "offshore": 50}
    assert c.attrition == (0.25,) and c.training_weeks == 3 and c.class_max == 15
    assert c.start == dt.date(2026, 11, 2) and c.profile == tmp_path / "week.csv"
    flags = load_capacity_settings(config, {"headcount": 80, "attrition": ",".join(["0.02"] * 12)})
    assert flags.headcount == 80 and not flags.annual and flags.headcount_by_site == ()


def test_a_profile_set_in_the_file_that_is_not_there_names_the_setting(tmp_path) -> None:
    """The error named only the resolved path (cfg/nope.csv: cannot read the file), a path the user never typed."""
    (tmp_path / "cfg").mkdir()
    config = tmp_path / "cfg" / "wfm.toml"
    for profile, state in (("nope.csv", "not found"), (".", "a folder")):
        config.write_text(f'[capacity]\nheadcount = 100\nprofile = "{profile}"\n')
        with pytest.raises(ConfigError) as caught:
            load_capacity_settings(config, {})
        assert str(caught.value) == (f"{config} [capacity]: profile {profile!r} ({config.parent / profile}) is "
                                     f"{state}: give the path of a forecast CSV, relative to the folder of the "
                                     "config file")
    assert load_capacity_settings(config, {"profile": tmp_path}).profile == tmp_path  # a flag: the reader names it


@pytest.mark.parametrize("flags, message", [
    ({}, "--headcount is required"),
    ({"headcount": -1}, "--headcount must be a number of agents from 0 to 10,000,000 (over every site), got -1"),
    ({"headcount": 10, "attrition": "1.0"}, "--attrition must be a fraction >= 0 and < 1"),
    ({"headcount": 10, "attrition": "0.1,0.2"}, "--attrition must be one annual fraction or twelve monthly"),
    ({"headcount": 10, "attrition": "lots"}, "--attrition must be a fraction such as 0.30"),
    ({"headcount": 10, "attrition": "30"}, "(the share of agents who leave within a year), got 30 (a fraction: 0.3 for "
                                           "30 %)"),  # as --service-level 80 says
    ({"headcount": 10, "training_weeks": 0}, "--training-weeks must be a whole number from 1 to 26, got 0"),
    ({"headcount": 10, "ramp_start": 0}, "--ramp-start must be a fraction > 0 and <= 1"),
    ({"headcount": 10, "class_min": 10, "class_max": 5}, "--class-min 10 is above --class-max 5: a class cannot be smaller than its least size"),
    ({"headcount": 10, "cost_per_fte_month": -5}, "--cost-per-fte-month must be an amount >= 0, got -5"),
    ({"headcount": 10, "cost_per_hire": 500}, "--cost-per-hire 500 needs cost_per_fte_month (--cost-per-fte-month, or "
                                               "in the [capacity] section)"),
    ({"headcount": 10, "start": "next week"}, "--start must be a date such as 2026-11-02"),
])
def test_bad_flags(flags, message):
    with pytest.raises(ConfigError) as error:
        load_capacity_settings(None, flags)
    assert message in str(error.value)


def test_bad_toml_names_file_and_key(tmp_path):
    config = tmp_path / "wfm.toml"
    config.write_text("[capacity]\nheadcount = 10\nattrition = 1.2\n")
    with pytest.raises(ConfigError, match=r"wfm.toml \[capacity\]: attrition must be a fraction >= 0 and < 1 \(.*\), got 1.2"):
        load_capacity_settings(config, {})
    config.write_text("[capacity]\nheadcount = 10\nhires = 3\n")
    with pytest.raises(ConfigError, match=r"\[capacity\]: unknown setting 'hires'"):
        load_capacity_settings(config, {})


def test_settings_made_in_code_keep_plain_numbers() -> None:
    import numpy as np

    made = CapacitySettings(headcount=np.int64(150), class_max=np.int64(20), cost_per_fte_month=np.float32(3200))
    assert type(made.headcount) is float and type(made.class_max) is int and type(made.cost_per_fte_month) is float


# A numpy scalar or a 0-d array (np.asarray of one value) is its value in every setting (wfm.targets.one_value), and
# attrition takes a numpy array of fractions as it takes a list. Before, a 0-d array was refused with a message that
# quoted it as a good value ("headcount must be a number of agents from 0 to 10,000,000 ..., got 150.0"), and so was
# an array of attrition fractions ("... got [0.02 0.02 ...]").
CAPACITY_VALUES = [  # (setting, a good value, values refused)
    ("headcount", 150.0, (-1.0, True, "150")),
    ("attrition", 0.3, (1.0, True, "0.3")),
    ("training_weeks", 4, (0, 4.5, True, "4")),
    ("ramp_start", 0.5, (0.0, True, "0.5")),
    ("ramp_weeks", 4, (53, True, "4")),
    ("class_min", 8, (0, True, "8")),
    ("class_max", 20, (10_001, True, "20")),
    ("max_classes_per_week", 1, (101, True, "1")),
    ("lead_time_weeks", 4, (-1, True, "4")),
    ("cost_per_fte_month", 3200.0, (float("inf"), True, "3200")),
    ("cost_per_hire", 500.0, (float("nan"), True, "500")),
    ("cost_per_class", 900.0, (-1.0, True, "900")),
]


@pytest.mark.parametrize("numpy", NUMPY_FORMS.values(), ids=NUMPY_FORMS.keys())
@pytest.mark.parametrize(("key", "good", "bad"), CAPACITY_VALUES, ids=[c[0] for c in CAPACITY_VALUES])
def test_a_numpy_value_is_its_value_in_every_setting(key: str, good: Any, bad: tuple[Any, ...], numpy: Any) -> None:
    def read(value: Any) -> Any:
        return getattr(CapacitySettings(**{"headcount": 150.0, "cost_per_fte_month": 3200.0, key: value}), key)

    kept = read(numpy(good))
    assert kept == ((good,) if key == "attrition" else good)
    assert type(kept[0] if key == "attrition" else kept) is type(good)
    for wrong in bad:  # a wrong one is refused as its plain value is: the same one line, naming the setting
        assert key in refused_as_plain(read, wrong, ConfigError)


def test_monthly_attrition_as_a_numpy_array_and_a_0d_array_in_the_section_in_code() -> None:
    monthly = CapacitySettings(headcount=150, attrition=np.full(12, 0.02)).attrition
    assert monthly == (0.02,) * 12 and all(type(v) is float for v in monthly)
    with pytest.raises(ConfigError, match=r"attrition must be one annual fraction or twelve monthly fractions"):
        CapacitySettings(headcount=150, attrition=np.full(3, 0.02))
    Settings(capacity={"headcount": np.array(150), "attrition": np.array(0.3)})  # checked when made: taken
    with pytest.raises(ConfigError, match=r"^\[capacity\]: headcount must be a number of agents .*, got -1$"):
        Settings(capacity={"headcount": np.array(-1)})


def test_a_cost_per_hire_in_the_file_without_a_monthly_cost_names_the_file(tmp_path) -> None:
    config = tmp_path / "wfm.toml"
    config.write_text("[capacity]\nheadcount = 10\ncost_per_hire = 500\n")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(config))} \[capacity\] cost_per_hire 500 needs "
                                          r"cost_per_fte_month"):
        load_capacity_settings(config, {})
    assert load_capacity_settings(config, {"cost_per_fte_month": 3000.0}).cost_per_hire == 500.0  # the flag completes it
