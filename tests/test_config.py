"""wfm.config: wfm.toml targets, per-queue overrides, command-line precedence, clear errors."""

from __future__ import annotations

import pytest

from wfm.config import Settings, Targets, apply_overrides, load_settings
from wfm.errors import WfmError

CONFIG = """
[forecast]
tz = "America/Chicago"
interval_minutes = 15

[targets]
service_level = 0.85
answer_within_s = 20
shrinkage = 0.35
min_staff = 1

[queues.billing]
service_level = 0.9
asa_s = 15

[schedule]
shift_lengths_h = [8, 9]
"""


def test_defaults_are_the_80_30_standard() -> None:
    t = load_settings(None).targets
    assert (t.service_level, t.answer_within_s, t.max_occupancy, t.asa_s, t.shrinkage, t.min_staff) == (
        0.8, 30.0, 0.85, None, 0.3, 0)
    assert t.paid_hours_per_fte_week == 40.0


def test_file_sections_and_queue_overrides(write_csv) -> None:
    settings = load_settings(write_csv(CONFIG, "wfm.toml"))
    assert settings.tz == "America/Chicago" and settings.interval_minutes == 15
    assert settings.targets == Targets(service_level=0.85, answer_within_s=20, shrinkage=0.35, min_staff=1)
    billing = settings.targets_for("billing")
    assert billing.service_level == 0.9 and billing.asa_s == 15
    assert billing.shrinkage == 0.35  # inherited from [targets]
    assert settings.targets_for("sales") == settings.targets
    assert settings.schedule == {"shift_lengths_h": [8, 9]}


def test_command_line_wins_for_every_queue(write_csv) -> None:
    settings = load_settings(write_csv(CONFIG, "wfm.toml"), {"service_level": 0.7, "shrinkage": None})
    assert settings.targets.service_level == 0.7
    assert settings.targets_for("billing").service_level == 0.7
    assert settings.targets_for("billing").shrinkage == 0.35  # flag not given


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[targets]\nservice_levle = 0.8\n", "wfm.toml [targets]: unknown setting 'service_levle'"),
        ("[targets]\nservice_level = '80%'\n", "wfm.toml [targets]: service_level must be a number, got '80%'"),
        ("[targets]\nmin_staff = 1.5\n", "wfm.toml [targets]: min_staff must be a whole number"),
        ("[targets]\nshrinkage = 1.0\n", "wfm.toml [targets]: shrinkage must be a fraction in [0, 1)"),
        ("[queues.sales]\nmax_occupancy = 0\n", "wfm.toml [queues.sales]: max_occupancy must be a fraction in (0, 1]"),
        ("[target]\nservice_level = 0.8\n", "wfm.toml: unknown section [target]"),
        ("[forecast]\nzone = 'UTC'\n", "wfm.toml [forecast]: unknown setting 'zone'"),
        ("[targets\n", "wfm.toml: not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_line(write_csv, text: str, message: str) -> None:
    path = write_csv(text, "wfm.toml")
    with pytest.raises(WfmError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(str(path.parent / message.split(":")[0]) + message[len(message.split(":")[0]):])
    assert "\n" not in str(caught.value)


def test_missing_config_file(tmp_path) -> None:
    with pytest.raises(WfmError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("name", "value", "flag"),
    [("service_level", 1.0, "--service-level"), ("answer_within_s", -5, "--answer-within"),
     ("max_occupancy", 0.0, "--max-occupancy"), ("asa_s", 0, "--asa"), ("shrinkage", 1.2, "--shrinkage"),
     ("min_staff", -1, "--min-staff"), ("paid_hours_per_fte_week", 0, "--paid-hours")],
)
def test_impossible_flags_name_the_flag(name: str, value: float, flag: str) -> None:
    with pytest.raises(WfmError, match=f"^{flag} must be"):
        apply_overrides(Settings(), {name: value})
