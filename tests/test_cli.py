"""The `wfm` command line, through typer's runner: exit codes and the lines a user sees."""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from wfm import __version__, cli
from wfm.cli import app
from wfm.cli.base import app_for

runner = CliRunner()
RETAIL = str(SAMPLES / "retail_voice_week_15min.csv")
MULTI = str(SAMPLES / "multi_queue_30min.csv")
DST = str(SAMPLES / "dst_247_week_15min.csv")


def run(*args: str):
    """The command as the console script runs it: the app with only the command named (wfm.cli.base.app_for)."""
    argv = [str(a) for a in args]
    return runner.invoke(_app_named_by(argv[0] if argv else ""), argv)


@functools.cache
def _app_named_by(first: str):
    """:func:`app_for` of arguments that start with ``first``, made once (the app depends on nothing else), so
    that its click command is built once too (conftest's ``_cli_command_built_once``)."""
    return app_for([first] if first else [])


def _one_error_line(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("wfm: error: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"wfm {__version__}"


def test_the_console_script_builds_only_the_command_it_runs() -> None:
    """Each command name gives an app of that command alone (and the top-level callback, --version); anything else,
    the whole app, which lists every command and suggests the nearest to a misspelt one."""
    names = [info.callback.__name__ for info in app.registered_commands]
    assert names == ["size", "calc", "validate", "schedule", "plan", "simulate", "capacity", "forecast", "backtest",
                     "whatif"]
    for name in names:
        lean = app_for([name, "--help"])
        assert [info.callback.__name__ for info in lean.registered_commands] == [name]
        assert lean.registered_callback is app.registered_callback
    for argv in ([], ["--help"], ["--version"], ["calcx"], ["-q", "calc"]):
        assert app_for(argv) is app
    assert "Did you mean 'calc'?" in run("calcx").stderr
    assert run("--version").stdout == f"wfm {__version__}\n"


@pytest.mark.slow  # renders every command's help twice: run by CI, skipped by -m 'not slow'
def test_a_command_alone_has_the_help_and_usage_it_has_in_the_whole_app() -> None:
    for info in app.registered_commands:
        argv = [info.callback.__name__, "--help"]
        alone, whole = runner.invoke(app_for(argv), argv), runner.invoke(app, argv)
        assert alone.exit_code == whole.exit_code == 0 and alone.stdout == whole.stdout
        argv = [info.callback.__name__, "--bogus"]
        alone, whole = runner.invoke(app_for(argv), argv), runner.invoke(app, argv)
        assert alone.exit_code == whole.exit_code == 2 and alone.output == whole.output


@pytest.mark.slow  # renders five commands' help: run by CI, skipped by -m 'not slow'
def test_help_on_every_command_shows_examples() -> None:
    for command in ("size", "calc", "validate", "schedule", "plan"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Examples" in result.stdout
    # the defaults survive rich's markup (an unescaped "[default: 0.8]" would be eaten as a style tag)
    flat = " ".join(run("plan", "--help").stdout.replace("│", " ").split())
    for shown in ("[default: 0.8 for voice and chat, 0.9 for email, social and back office]",
                  "[default: voice 30, chat 60, email 14400, social 3600, back office 86400]", "[default: 0.85]",
                  "[default: 0.3]", "[default: 300]"):
        assert shown in flat, shown


def _ragged(lines: list[str]) -> list[str]:
    """Lines of wrapped prose (a paragraph per run of non-blank lines) broken before a word that would have fit on
    them: the width is taken as the longest line's, no wider than the true one. Indented lines (examples) are
    skipped."""
    width = max(len(line) for line in lines)
    return [line for line, after in itertools.pairwise(lines)
            if line.strip() and after.strip() and not after.startswith("  ")
            and len(line) + 1 + len(after.split()[0]) <= width]


@pytest.mark.slow  # renders every command's help: run by CI, skipped by -m 'not slow'
def test_help_wraps_each_paragraph_to_the_terminal() -> None:
    """typer's rich markup keeps a docstring's line breaks: wrapped at 120 columns in the source, `wfm capacity --help`
    read "there, revenue and" then "margin per period ..." on a terminal of 80."""
    listing = run("--help").stdout
    panel = [row for row in listing[listing.index("Commands"):].splitlines() if row.startswith("│")]  # "│ size  ..."
    commands = [line for row in panel for line in ([""] if row[2:12].strip() else []) + [row[12:-2].rstrip()]]
    assert commands.count("") == len(app.registered_commands) and not _ragged(commands), _ragged(commands)
    for info in app.registered_commands:
        page = run(info.callback.__name__, "--help").stdout.splitlines()
        usage = next(i for i, line in enumerate(page) if "Usage:" in line)
        description = [line.rstrip() for line in page[usage + 1:page.index(next(line for line in page
                                                                               if line.startswith("╭")))]]
        assert sum(map(bool, description)) > 1 and not _ragged(description), (info.callback.__name__,
                                                                               _ragged(description))
        name = info.callback.__name__
        examples = [line for line in description if line.lstrip().startswith(f"wfm {name} ")]  # indented by two
        assert examples and all(line.startswith(f"   wfm {name} ") for line in examples), (name, examples)
        for line, after in itertools.pairwise(description):  # a long example goes on as a shell command does
            if (line.startswith(f"   wfm {name} ") or line.endswith(" \\")) and after.strip():
                assert line.endswith(" \\") and after.startswith("       ") and len(line) <= 80, (name, line, after)


@pytest.mark.slow  # renders three commands' help: run by CI, skipped by -m 'not slow'
def test_the_help_of_format_and_quiet_says_what_each_command_does(tmp_path) -> None:
    """wfm validate's --format help said "table on a terminal, csv otherwise" while a pipe got the table; no command's
    said that -o FILE.json writes JSON; wfm plan's --quiet, "no warnings", while it keeps some and drops the table."""
    def flat(command: str) -> str:
        return " ".join(run(command, "--help").stdout.replace("│", " ").split())

    assert run("validate", MULTI).stdout.startswith(f"{MULTI}: 408 intervals, 3 queue(s)\n")  # the table, in a pipe
    assert "[default: table; with -o, json into FILE.json, else csv]" in flat("validate")
    assert "json into -o FILE.json, csv otherwise" in flat("size")
    assert run("size", RETAIL, "-o", tmp_path / "need.json").exit_code == 0
    assert json.loads((tmp_path / "need.json").read_text())["total"]["queue"] == "all queues"
    assert "Print only the misses and the plan's own warnings" in flat("plan")
    assert "3 when the solver found no plan" in flat("plan") and "3 when the solver found no plan" in flat("schedule")


def test_size_writes_csv_when_stdout_is_not_a_terminal() -> None:
    result = run("size", RETAIL)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "queue,channel,interval_start,volume,aht,traffic_erlangs,agents,service_level,asa_s,occupancy,abandon_rate,staff,backlog"
    assert len(lines) == 1 + 368
    assert lines[1].startswith("default,voice,2026-11-30T08:00:00-06:00,")
    assert "\x1b[" not in result.stdout


def test_size_json_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "need.json"
    result = run("size", MULTI, "--format", "json", "-o", out, "--service-level", "0.9", "--answer-within", "20")
    assert result.exit_code == 0 and result.stdout == ""
    document = json.loads(out.read_text())
    assert [q["queue"] for q in document["queues"]] == ["billing", "sales", "support"]
    assert document["targets"]["sales"]["service_level"] == 0.9
    assert all(row["service_level"] >= 0.9 for row in document["intervals"] if row["volume"] > 0)


def test_size_is_deterministic(tmp_path: Path) -> None:
    first, second = run("size", DST), run("size", DST)
    assert first.stdout == second.stdout


def test_size_table_shows_days_and_intraday() -> None:
    result = run("size", MULTI, "--format", "table")
    assert result.exit_code == 0
    assert "Per day" in result.stdout and "Mon 2026-11-30" in result.stdout
    assert "Per queue, 2026-11-30 to 2026-12-05" in result.stdout
    assert "sales: peak agents on the phones per hour" in result.stdout


def test_size_with_config_per_queue(tmp_path: Path) -> None:
    config = tmp_path / "wfm.toml"
    config.write_text("[targets]\nshrinkage = 0.25\n[queues.billing]\nmin_staff = 3\n")
    result = run("size", MULTI, "--config", config, "-f", "json")
    document = json.loads(result.stdout)
    billing = [row for row in document["intervals"] if row["queue"] == "billing"]
    assert min(row["agents"] for row in billing) >= 3
    assert document["targets"]["sales"]["shrinkage"] == 0.25


def test_dst_week_has_a_25_hour_sunday() -> None:
    document = json.loads(run("size", DST, "-f", "json").stdout)
    sunday = [d for d in document["days"] if d["period"] == "2026-11-01"][0]
    assert sunday["intervals"] == 100


def test_calc_classic_example() -> None:
    result = run("calc", "--volume", "100", "--aht", "180", "--interval", "30m", "--service-level", "0.8",
                 "--answer-within", "20")
    assert result.exit_code == 0
    assert "Traffic 10.000 Erlangs" in result.stdout
    assert "Required: 14 agents on the phones, 20 staff to schedule; set by the service level target." in result.stdout
    row_14 = [line for line in result.stdout.splitlines() if "<- required" in line][0]
    assert row_14.split()[:3] == ["14", "88.8%", "7.8"]


@pytest.mark.parametrize(("flags", "fragment"), [
    (("--model", "erlang-a"), "--patience is needed by the erlang-a model"),
    (("--max-abandon", "0.05"), "--max-abandon needs model"),
    (("--patience", "60"), '--patience needs model = "erlang-a"'),  # it was silently ignored
    (("--answer-within", "100000"), "--answer-within must be seconds from 0 to 86400 (a day), got 100000"),
    (("--answer-within", "604801"), "--answer-within must be, for voice and chat, seconds from 0 to 86400 (a day); "
                                    "for email, social and back office, seconds more than 0 and at most 604800 (a week)"),
    (("--service-level", "1"), "--service-level must be a fraction in [0, 1)"),
])
def test_calc_refuses_a_flag_a_voice_queue_cannot_take_instead_of_dropping_every_flag(flags, fragment) -> None:
    # these used to leave calc on the default 80/30 targets (13 agents, exit 0) with --service-level 0.95 given
    _one_error_line(run("calc", "--volume", "100", "--aht", "180", "--service-level", "0.95", *flags), fragment)
    assert "Required: 16 agents" in run("calc", "--volume", "100", "--aht", "180", "--service-level", "0.95",
                                        "--answer-within", "20").stdout


def test_validate_quiet_still_prints_what_it_found() -> None:
    # --quiet silences stderr (warnings, progress); the overview is the command's result
    assert run("validate", "-q", MULTI).stdout == run("validate", MULTI).stdout != ""


def test_validate_counts_the_intervals_missing_within_a_day_in_its_table(write_csv) -> None:
    """The gap warning was the only report of missing intervals, and --quiet dropped it: the table has the count."""
    rows = [f"q,2026-12-01T{h:02d}:{m:02d}:00Z,10,300" for h in range(8, 12) for m in (0, 15, 30, 45)
            if (h, m) not in ((9, 15), (9, 30), (10, 0))]
    rows += [f"r,2026-12-01T{h:02d}:00:00Z,10,300" for h in range(8, 12)]
    path = write_csv("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n")
    result = run("validate", "-q", path)
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert "Missing" in lines[3]
    assert lines[5].split()[:6] == ["q", "2026-12-01", "08:00+00:00", "2026-12-01", "11:45+00:00", "13"]
    assert lines[5].split()[6] == "3" and lines[6].split()[6] == "0"


def test_validate_warns_of_intervals_off_the_grid_shift_schedules_need(write_csv) -> None:
    """Half hours at :15 and :45 are sized, and refused by wfm schedule and wfm plan: validate, the check a cron job
    runs first, passed them silently. Now a warning, on stderr and in the JSON; still exit 0."""
    rows = [f"2026-11-30T{h:02d}:{m}:00-06:00,10,300" for h in range(8, 17) for m in (15, 45)]
    path = write_csv("interval_start,volume,aht\n" + "\n".join(rows) + "\n")
    result = run("validate", path, "--format", "json")
    note = (f"{path}: queue 'default': the interval at 2026-11-30T08:15:00-06:00 is not on the 30-minute grid of the "
            "local day (00:00, then every 30 minutes); shift schedules need intervals that divide the day from "
            "midnight: wfm schedule and wfm plan refuse it, wfm size takes it")
    assert result.exit_code == 0 and result.stderr == f"wfm: warning: {note}\n"
    assert json.loads(result.stdout)["warnings"] == [note]
    assert run("schedule", path).exit_code == 2


def test_a_team_is_one_unit_at_one_site(write_csv) -> None:
    config = write_csv('[queues.care_voice]\nteam = "v"\n[queues.care_email]\nteam = "v"\nsite = "manila"\n',
                       "wfm.toml")
    result = run("plan", SAMPLES / "program_week_15min.csv", "--config", config, "--out", Path(config).parent / "p")
    _one_error_line(result, "wfm.toml: team 'v' has queues on different sites ('care_email' at 'manila', "
                            "'care_voice' at 'main')")
    assert not (Path(config).parent / "p").exists()


def test_a_team_error_names_the_file_then_the_team_once(write_csv, tmp_path) -> None:
    rows = ["queue,channel,interval_start,volume,aht"]
    rows += [f"v,voice,2026-11-30T{8 + j // 4:02d}:{15 * (j % 4):02d}:00-05:00,20,300" for j in range(40)]
    rows += [f"e,email,2026-11-30T{8 + j:02d}:00:00-05:00,10,300" for j in range(10)]
    forecast = write_csv("\n".join(rows) + "\n", "mix.csv")
    config = write_csv('[queues.v]\nteam = "t"\n[queues.e]\nteam = "t"\n', "wfm.toml")
    result = run("plan", forecast, "--config", config, "--out", tmp_path / "p")
    _one_error_line(result, "wfm.toml: team 't': its queues have intervals of 15 and 60 minutes")
    assert result.stderr.startswith(f"wfm: error: {config}: team 't'")
    assert result.stderr.count("team 't'") == 1


def test_calc_reverse_question_json() -> None:
    result = run("calc", "--volume", "100", "--aht", "180", "--agents", "13", "--answer-within", "20", "-f", "json")
    document = json.loads(result.stdout)
    assert document["required_agents"] == 14
    (option,) = document["options"]
    assert option["agents"] == 13 and option["meets_targets"] is False
    assert option["service_level"] == pytest.approx(0.795595, abs=1e-6)


def test_validate_prints_what_it_found() -> None:
    result = run("validate", MULTI)
    assert result.exit_code == 0
    assert "408 intervals, 3 queue(s)" in result.stdout
    assert "30 min" in result.stdout and "2026-11-30 08:00-05:00" in result.stdout


def test_validate_gives_a_row_per_queue_as_csv_or_json_for_a_script(tmp_path, write_csv) -> None:
    """A cron job could only parse validate's table: --format csv and json (and -o FILE) give the overview as
    data, warnings in the JSON too; the table stays the default, into a pipe as well."""
    assert run("validate", MULTI).stdout.startswith(f"{MULTI}: 408 intervals, 3 queue(s)")
    table = list(csv.DictReader(io.StringIO(run("validate", MULTI, "-f", "csv").stdout)))
    assert [r["queue"] for r in table] == ["billing", "sales", "support"]
    assert table[0] == {"queue": "billing", "channel": "", "first_start": "2026-11-30T08:00:00-05:00",
                        "last_start": "2026-12-05T16:30:00-05:00", "intervals": "136", "missing_intervals": "0",
                        "interval_minutes": "30", "days": "6", "volume": "4052", "aht_s": "294.95",
                        "peak_volume": "126"}
    path = write_csv("interval_start,volume,aht,notes\n2026-12-01T08:00:00Z,10,300,x\n2026-12-01T09:00:00Z,12,300,y\n"
                     "2026-12-01T09:30:00Z,12,300,y\n")
    result = run("validate", path, "-o", tmp_path / "found.json", "-q")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    document = json.loads((tmp_path / "found.json").read_text())
    assert document["intervals"] == 3 and document["tz"] is None and len(document["warnings"]) == 2
    assert document["queues"][0]["missing_intervals"] == 1 and document["queues"][0]["volume"] == 34.0
    assert run("validate", path, "-f", "json").stdout == (tmp_path / "found.json").read_text()  # byte-identical
    assert run("validate", path, "-o", tmp_path / "found.csv").exit_code == 0  # CSV into a file not named .json
    assert (tmp_path / "found.csv").read_text().startswith("queue,channel,first_start,")


def test_warnings_go_to_stderr_and_quiet_silences_them(write_csv) -> None:
    path = write_csv("interval_start,volume,aht,notes\n2026-12-01T08:00:00Z,10,300,x\n2026-12-01T08:15:00Z,12,300,y\n")
    loud = run("size", path)
    assert loud.exit_code == 0 and "wfm: warning:" in loud.stderr and "notes" in loud.stderr
    quiet = run("size", path, "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_a_zone_the_files_offsets_overrule_is_a_warning_quiet_silences(write_csv, tmp_path: Path) -> None:
    """--tz (or tz in wfm.toml) on a file whose times carry other UTC offsets was ignored without a word."""
    path = write_csv("interval_start,volume,aht\n2026-12-01T08:00:00Z,10,300\n2026-12-01T08:15:00Z,12,300\n")
    config = tmp_path / "wfm.toml"
    config.write_text('[forecast]\ntz = "America/Chicago"\n')
    for options in (["--tz", "America/Chicago"], ["--config", str(config)]):
        loud = run("size", path, *options, "-f", "csv")
        assert loud.exit_code == 0 and loud.stderr.splitlines() == [
            f"wfm: warning: {path}: row 2, column 'interval_start': '2026-12-01T08:00:00Z' carries the UTC offset "
            "+00:00, not America/Chicago's -06:00 (2 of 2 rows differ from America/Chicago): the file's offsets place "
            "its times, so the time zone America/Chicago (--tz, tz in wfm.toml, or tz= in Python) is not used; give "
            "the times in America/Chicago's local time (naive, or with its offsets) to plan on its clock"]
        assert run("size", path, *options, "-f", "csv", "--quiet").stderr == ""
    assert run("size", path, "--tz", "Europe/London", "-f", "csv").stderr == ""  # +00:00 in December: it agrees


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("interval_start,volume\n2026-12-01T08:00:00Z,10\n", ["forecast.csv", "aht"]),
        ("interval_start,volume,aht\n2026-12-01T08:00:00Z,-3,300\n2026-12-01T08:15:00Z,1,300\n",
         ["forecast.csv", "row 2", "'volume'", "-3"]),
        ("interval_start,volume,aht\n2026-12-01T08:00:00Z,3,300\nyesterday,1,300\n",
         ["row 3", "'interval_start'", "yesterday"]),
        ("interval_start,volume,aht\n2026-12-01T08:00:00Z,3,300\n2026-12-01T08:00:00Z,1,300\n",
         ["rows 2 and 3", "twice"]),
        ("", ["forecast.csv"]),
    ],
)
def test_bad_forecast_is_one_line_and_exit_2(write_csv, text: str, fragments: list[str]) -> None:
    _one_error_line(run("size", write_csv(text)), *fragments)


def test_missing_file_and_bad_options(tmp_path: Path) -> None:
    _one_error_line(run("size", tmp_path / "nope.csv"), "nope.csv")
    _one_error_line(run("size", RETAIL, "--service-level", "1"), "--service-level")
    _one_error_line(run("size", RETAIL, "--interval", "fortnight"), "--interval")
    _one_error_line(run("calc", "--volume", "-1", "--aht", "180"), "--volume")
    _one_error_line(run("calc", "--volume", "10", "--aht", "-0.1234567"),  # in full, not to six digits
                    "wfm: error: --aht: expected a handle time in seconds > 0 (0 only with --volume 0), got -0.1234567")
    _one_error_line(run("calc", "--volume", "10", "--aht", "0"), "--aht")
    # as a forecast row may: no contacts, no handle time (it was refused)
    nothing = run("calc", "--volume", "0", "--aht", "0", "-f", "json")
    assert nothing.exit_code == 0 and json.loads(nothing.stdout)["required_agents"] == 0
    _one_error_line(run("plan", RETAIL, "--out", tmp_path / "p", "--jobs", "0"), "--jobs")
    assert not (tmp_path / "p").exists()


def test_failed_run_writes_nothing(tmp_path: Path, write_csv) -> None:
    out = tmp_path / "plan.csv"
    result = run("size", write_csv("interval_start,volume,aht\nbad,1,1\n"), "-o", out)
    assert result.exit_code == 2 and not out.exists()


# --- schedule and plan ---------------------------------------------------------------------------


@pytest.mark.slow
def test_plan_writes_the_folder_and_exits_by_the_targets(tmp_path: Path) -> None:
    out = tmp_path / "week"
    result = run("plan", DST, "--out", out)
    assert result.exit_code == 0, result.output  # the 24/7 week meets its targets
    assert sorted(p.name for p in out.iterdir()) == ["coverage.csv", "report.html", "requirements.csv",
                                                      "shifts.csv", "summary.json"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["inputs"]["dst_247_week_15min.csv"] == __import__("hashlib").sha256(
        Path(DST).read_bytes()).hexdigest()
    assert "Plan for week 2026-W44" in result.stdout and f"Wrote {out}/" in result.stdout
    missed = [line for line in result.stderr.splitlines() if line.startswith("wfm: target missed: ")]
    assert (result.exit_code == 1) == bool(missed) == (not summary["meets_targets"])
    assert len(missed) == len(summary["misses"])


@pytest.mark.slow
def test_plan_quiet_prints_nothing_but_misses(tmp_path: Path) -> None:
    result = run("plan", RETAIL, "--out", tmp_path / "w", "--quiet", "--service-level", "0.5")
    assert result.stdout == ""
    assert all(line.startswith("wfm: target missed: ") for line in result.stderr.splitlines())


def test_plan_bad_week_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "w"
    _one_error_line(run("plan", RETAIL, "--out", out, "--week", "2027-W10"), "no intervals in week 2027-W10")
    _one_error_line(run("plan", RETAIL, "--out", out, "--week", "next"),
                    "wfm: error: --week: expected an ISO week such as 2026-W49, got 'next'")
    _one_error_line(run("plan", RETAIL, "--out", out, "--time-limit", "0"), "--time-limit")
    _one_error_line(run("plan", RETAIL, "--out", out, "--time-limit", "86400.01"),  # not rounded to 86400
                    "wfm: error: --time-limit: expected seconds > 0 and at most 86400 (a day), got 86400.01")
    assert not out.exists()


def test_plan_bad_schedule_config(tmp_path: Path) -> None:
    config = tmp_path / "wfm.toml"
    config.write_text("[schedule]\nfull_time_hours = [30]\n")
    _one_error_line(run("plan", RETAIL, "--out", tmp_path / "w", "--config", config), "wfm.toml [schedule]")


@pytest.mark.slow
def test_schedule_csv_and_json() -> None:
    result = run("schedule", MULTI)
    assert result.exit_code == 1  # billing's Monday spike is left short (see the README)
    lines = result.stdout.splitlines()
    assert lines[0] == "queue,day,start,end,length_h,paid_h,part_time,count,breaks,tour"
    assert {line.split(",")[0] for line in lines[1:]} == {"billing", "sales", "support"}
    document = json.loads(run("schedule", RETAIL, "--daily", "-f", "json").stdout)
    assert document["queues"][0]["tours"] == [] and document["shifts"]
    assert document["headcount"] == document["queues"][0]["headcount"]


@pytest.mark.slow
def test_schedule_table_lists_tours() -> None:
    result = run("schedule", RETAIL, "-f", "table")
    assert "default: weekly tours" in result.stdout and "Plan for week 2026-W49" in result.stdout


@pytest.mark.parametrize(("args", "fragment"), [
    (["size", "--bogus"], "No such option: --bogus (see 'wfm size --help')"),
    (["size"], "Missing argument 'FORECAST'"),
    (["size", RETAIL, "--format", "xml"], "'xml' is not one of 'table', 'csv', 'json'"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (["size", RETAIL, "-f"], "Option '-f' requires an argument. (see 'wfm size --help')"),  # was 'wfm --help'
    (["size", RETAIL, "-o", "/nonexistent-wfm-folder/out.csv/"],
     "Invalid value for '--output' / '-o': /nonexistent-wfm-folder/out.csv/ ends in a slash, as a folder's name does"),
])
@pytest.mark.slow
def test_usage_errors_from_the_console_script_are_one_line(args: list[str], fragment: str) -> None:
    result = subprocess.run([sys.executable, "-m", "wfm", *args], capture_output=True, text=True)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("wfm: error: ") and fragment in result.stderr


@pytest.mark.slow  # runs the console script: run by CI, skipped by -m 'not slow'
def test_console_script_without_arguments_prints_help() -> None:
    result = subprocess.run([sys.executable, "-m", "wfm"], capture_output=True, text=True)
    assert result.returncode == 0 and "Usage: wfm" in result.stdout and result.stderr == ""


# --- outputs that must never destroy anything, and a console script that always ends in one line ----

FLAT_DAY = "queue,interval_start,volume,aht\n" + "".join(
    f"flat,2026-12-01T{h:02d}:{m:02d}:00-05:00,20,300\n" for h in range(9, 17) for m in (0, 30))


def test_output_paths_that_are_not_plain_files(tmp_path: Path, write_csv) -> None:
    result = run("size", RETAIL, "-o", "/dev/null")
    assert result.exit_code == 0 and __import__("stat").S_ISCHR(__import__("os").stat("/dev/null").st_mode)
    dash = run("size", RETAIL, "-o", "-")
    assert dash.exit_code == 0 and dash.stdout.startswith("queue,channel,interval_start,")
    forecast = write_csv(FLAT_DAY)
    _one_error_line(run("size", forecast, "-o", forecast), "input of this run")
    _one_error_line(run("size", forecast, "-o", tmp_path), "is a folder")
    assert forecast.read_text() == FLAT_DAY


@pytest.mark.slow
def test_plan_refuses_an_out_it_did_not_write_before_solving(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n")
    folder = tmp_path / "v"
    folder.mkdir()
    forecast = folder / "forecast.csv"
    forecast.write_text(FLAT_DAY)
    (folder / "other.txt").write_text("keep\n")
    self_csv = tmp_path / "self.csv"
    self_csv.write_text(FLAT_DAY)
    _one_error_line(run("plan", forecast, "--out", notes), "not a folder")
    _one_error_line(run("plan", forecast, "--out", folder), "input of this run")
    _one_error_line(run("plan", self_csv, "--out", self_csv), "not a folder")
    assert notes.read_text() == "mine\n" and self_csv.read_text() == FLAT_DAY
    assert sorted(p.name for p in folder.iterdir()) == ["forecast.csv", "other.txt"]
    out = tmp_path / "plan"
    assert run("plan", self_csv, "--out", out, "--quiet").exit_code == 0
    assert run("plan", self_csv, "--out", out, "--quiet").exit_code == 0  # its own plan is replaced


def _console(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "wfm", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, **kwargs)


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly(write_csv) -> None:
    import os

    big = write_csv("queue,interval_start,volume,aht\n" + "".join(  # far more than a pipe's buffer
        f"q{q},2026-12-0{1 + d}T{h:02d}:{m:02d}:00Z,20,300\n"
        for q in range(20) for d in range(7) for h in range(24) for m in (0, 15, 30, 45)))
    reader, writer = os.pipe()
    process = subprocess.Popen([sys.executable, "-m", "wfm", "size", str(big), "-f", "csv"], stdout=writer,
                               stderr=subprocess.PIPE, text=True)
    os.close(writer)
    with os.fdopen(reader) as stdout:
        stdout.readline()  # `| head -1`: read one line, then go away
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 141 and stderr == ""


@pytest.mark.slow
def test_no_numpy_warning_or_encoding_error_reaches_the_user() -> None:
    tiny = _console("calc", "--volume", "1e-320", "--aht", "300")
    assert tiny.returncode == 0 and tiny.stderr == "", tiny.stderr
    ascii_only = _console("calc", "--volume", "100", "--aht", "180", "--answer-within", "20", env={"PYTHONIOENCODING": "ascii"})
    assert ascii_only.returncode == 0 and ascii_only.stderr == "", ascii_only.stderr
    assert "Required: 14 agents" in ascii_only.stdout


def test_an_unexpected_failure_is_one_line_with_its_own_exit_code(monkeypatch, capsys) -> None:
    import os
    import signal

    from wfm import calculator, cli

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(calculator, "calculate", broken)
    # what the console script sets in its process, undone for the tests after this one in the same worker
    monkeypatch.setattr(signal, "signal", lambda signum, handler: None)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", os.environ.get("OPENBLAS_NUM_THREADS", "1"))
    monkeypatch.setattr(sys, "argv", ["wfm", "calc", "--volume", "100", "--aht", "180"])
    monkeypatch.delenv("WFM_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.run()
    assert exit_info.value.code == cli.EXIT_INTERNAL_ERROR == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("wfm: internal error: ZeroDivisionError: division by zero")


def test_a_solver_failure_has_its_own_exit_code(monkeypatch, tmp_path: Path) -> None:
    import wfm.plan
    from wfm.errors import SolverError

    def no_plan(*_args, **_kwargs):
        raise SolverError("default: no plan within the limits")

    monkeypatch.setattr(wfm.plan, "make_plan", no_plan)
    result = run("plan", RETAIL, "--out", tmp_path / "w")
    assert result.exit_code == cli.EXIT_SOLVER_FAILED == 3
    assert result.stderr == "wfm: error: default: no plan within the limits\n" and not (tmp_path / "w").exists()


def test_a_solver_failure_names_the_queue(monkeypatch, tmp_path: Path) -> None:
    """Of three queues, which one the solver gave up on (the LP relaxation out of --time-limit) was not said."""
    import wfm.plan
    from wfm.errors import SolverError

    def no_plan(*_args, **_kwargs):
        raise SolverError("the LP relaxation did not solve within the time limit of 0.05 s")

    monkeypatch.setattr(wfm.plan, "_plan_queue", no_plan)
    result = run("plan", MULTI, "--out", tmp_path / "w", "--jobs", "1")
    assert result.exit_code == 3 and not (tmp_path / "w").exists()
    assert result.stderr == ("wfm: error: queue 'billing': the LP relaxation did not solve within the time limit of "
                             "0.05 s\n")


@pytest.mark.slow  # sizes Erlang A queues through the CLI: run by CI, skipped by -m 'not slow'
def test_calc_and_size_with_abandonment() -> None:
    # the published Erlang A example: 2,880 calls an hour, AHT 60 s, mean patience 120 s, 50 agents
    calc = json.loads(run("calc", "--volume", "2880", "--aht", "60", "--interval", "60m", "--answer-within", "20",
                          "--model", "erlang-a", "--patience", "120", "--agents", "50", "-f", "json").stdout)
    option = calc["options"][0]
    assert (round(option["wait_probability"], 3), round(option["abandon_rate"], 3), round(option["service_level"], 3)) \
        == (0.468, 0.031, 0.943)
    plain = run("size", RETAIL, "-f", "csv").stdout.splitlines()
    abandoning = run("size", RETAIL, "-f", "csv", "--model", "erlang-a", "--patience", "120",
                     "--max-abandon", "0.05").stdout.splitlines()
    header = abandoning[0].split(",")
    assert header[header.index("occupancy") + 1] == "abandon_rate"
    a_rows = [dict(zip(header, line.split(","))) for line in abandoning[1:]]
    c_rows = [dict(zip(header, line.split(","))) for line in plain[1:]]
    assert all(r["abandon_rate"] == "" for r in c_rows)
    assert all(float(r["abandon_rate"]) <= 0.05 and float(r["service_level"]) >= 0.8 for r in a_rows)
    assert sum(int(r["agents"]) for r in a_rows) < sum(int(r["agents"]) for r in c_rows)  # callers who hang up
    _one_error_line(run("size", RETAIL, "--model", "erlang-a"), "--patience is needed by the erlang-a model")
    _one_error_line(run("size", RETAIL, "--max-abandon", "0.05"), "--max-abandon needs model")
    _one_error_line(run("size", RETAIL, "--model", "erlang-a", "--patience", "-3"), "--patience")


MIXED = ("queue,interval_start,volume,aht\na,2026-01-05T08:00:00+00:00,100,300\na,2026-01-05T08:30:00+00:00,120,300\n"
         "b,2026-01-05T08:00:00+00:00,100,300\nb,2026-01-05T08:30:00+00:00,120,300\n")
ERLANG_A_QUEUE = '[queues.a]\nmodel = "erlang-a"\npatience_s = 120\n'


def test_an_abandonment_cap_with_mixed_models_caps_the_erlang_a_queues_and_leaves_erlang_c_alone(write_csv) -> None:
    """--max-abandon, or max_abandon_rate in [targets], with one queue on erlang-a: both exited 2 ("needs model =
    "erlang-a"", for the Erlang C queue), the flag unusable with mixed models. Now queue a is sized by Erlang A with
    the 5 % cap, queue b by Erlang C, and b's targets show no cap."""
    from wfm import erlang, erlang_a

    forecast = write_csv(MIXED)
    flag = write_csv(ERLANG_A_QUEUE, "flag.toml")
    file = write_csv("[targets]\nmax_abandon_rate = 0.05\n" + ERLANG_A_QUEUE, "file.toml")
    traffic = [100 * 300 / 1800, 120 * 300 / 1800]
    targets = {"service_level": 0.8, "answer_within_s": 30, "max_occupancy": 0.85}
    capped = erlang_a.required_agents(traffic, 300, 120, max_abandon_rate=0.05, **targets).tolist()
    assert capped != erlang_a.required_agents(traffic, 300, 120, **targets).tolist()  # the cap binds
    plain = erlang.required_agents(traffic, 300, **targets).tolist()
    for args in (["--config", flag, "--max-abandon", "0.05"], ["--config", file]):
        result = run("size", forecast, *args, "-f", "json")
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        agents = {q: [r["agents"] for r in document["intervals"] if r["queue"] == q] for q in ("a", "b")}
        assert agents == {"a": capped, "b": plain}
        a, b = document["targets"]["a"], document["targets"]["b"]
        assert (a["model"], a["max_abandon_rate"], b["model"], b["max_abandon_rate"]) == ("erlang-a", 0.05, "erlang-c",
                                                                                         None)
        rows = [line.split(",") for line in run("size", forecast, *args, "-f", "csv").stdout.splitlines()[1:]]
        assert [int(r[6]) for r in rows] == capped + plain and all(r[10] == "" for r in rows if r[0] == "b")


def test_an_abandonment_cap_without_any_erlang_a_queue_is_refused_naming_the_flag_or_section(write_csv) -> None:
    forecast = write_csv(MIXED)
    ignored = "under Erlang C nobody abandons, so an abandonment cap would be ignored\n"
    result = run("size", forecast, "--max-abandon", "0.05")
    assert result.exit_code == 2 and result.stderr == ('wfm: error: --max-abandon needs model = "erlang-a" (--model '
                                                       'erlang-a, or model = "erlang-a" in wfm.toml): ' + ignored)
    config = write_csv("[targets]\nmax_abandon_rate = 0.05\n", "wfm.toml")
    result = run("size", forecast, "--config", config)
    assert result.exit_code == 2 and result.stderr == (f'wfm: error: {config} [targets]: max_abandon_rate needs model = '
                                                       '"erlang-a" (in a section, or --model erlang-a): ' + ignored)
    config = write_csv(ERLANG_A_QUEUE + "[queues.b]\nmax_abandon_rate = 0.05\n", "own.toml")
    result = run("size", forecast, "--config", config)
    assert result.exit_code == 2 and result.stderr == (f'wfm: error: {config} [queues.b]: max_abandon_rate needs model = '
                                                       '"erlang-a" for this queue, which is on "erlang-c": ' + ignored)
    assert run("size", forecast, "--config", config, "--model", "erlang-a", "--patience", "90").exit_code == 2  # checked whole


@pytest.mark.parametrize("command", ["forecast", "size"])
def test_an_output_over_the_input_is_refused_before_the_input_is_read(tmp_path, command) -> None:
    """Only the refusal: the history's own warnings (a fall-back hour) came first, then the error, as if it had
    been read for nothing."""
    history = tmp_path / "history.csv"
    history.write_text("interval_start,volume,aht\n2026-11-01T00:30:00,1,300\n2026-11-01T01:00:00,1,300\n")
    result = run(command, history, "--tz", "America/Chicago", "-o", history)
    _one_error_line(result, f"{history}: is an input of this run; refusing to write over it")
    assert history.read_text().startswith("interval_start,volume,aht\n")


@pytest.mark.slow  # runs the console script: run by CI, skipped by -m 'not slow'
def test_size_into_a_file_imports_no_rich_nor_numpys_extras(tmp_path) -> None:
    """`wfm size -f csv -o FILE` (a cron job's run) prints nothing on a terminal: rich, and the numpy
    sub-packages scipy.special's import would run, stay unimported; the file is the one the table describes."""
    out = tmp_path / "need.csv"
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "wfm", "size", RETAIL, "-f", "csv", "-o", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert any(m.startswith("scipy.special.") for m in imported)  # the sizing ran
    assert not {m for m in imported if m.split(".")[0] in ("rich", "charset_normalizer", "unittest")}
    assert not {m for m in imported if m.startswith(("numpy.f2py.", "numpy.testing."))}
    assert out.read_text().splitlines()[0].startswith("queue,channel,interval_start,")


@pytest.mark.parametrize(("env", "terminal"), [({}, False), ({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": ""}, False),
                                               ({"TTY_COMPATIBLE": "1"}, True), ({"TTY_COMPATIBLE": "0"}, False)])
def test_the_status_console_is_a_terminal_where_rich_says_so(monkeypatch, env, terminal) -> None:
    """StderrConsole answers is_terminal without rich where rich's answer can only be no, and asks rich
    otherwise: the two answers agree."""
    from rich.console import Console

    from wfm.cli.process import StderrConsole

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    lazy = StderrConsole()
    assert lazy.is_terminal is terminal
    assert Console(stderr=True).is_terminal is terminal
    assert (lazy._console is None) is not (env.get("FORCE_COLOR") or env.get("TTY_COMPATIBLE") == "1")


@pytest.mark.slow  # a what-if and a capacity plan
@pytest.mark.parametrize("command", [["whatif", RETAIL, "--volume", "1.1"],
                                     ["capacity", str(SAMPLES / "capacity_2027.csv"), "--headcount", "150"]])
def test_a_bad_output_path_leaves_no_html_page_behind(tmp_path, monkeypatch, command) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*command, "--html", "page.html", "-o", "nodir/x.csv")
    _one_error_line(result, "nodir/x.csv", "does not exist")
    assert list(tmp_path.iterdir()) == []


def test_an_html_page_named_as_a_workbook_or_a_folder_is_refused_before_any_work(tmp_path, monkeypatch) -> None:
    """`--html plan.xlsx` wrote the HTML page under a workbook's name, as `-o need.xlsx` no longer writes text, and
    `--html page.html/` (a folder's name) a file without the slash."""
    monkeypatch.chdir(tmp_path)
    for command in (["whatif", RETAIL], ["capacity", str(SAMPLES / "capacity_2027.csv"), "--headcount", "150"],
                    ["backtest", str(SAMPLES / "history_8w_15min.csv")]):
        for page, problem in (("plan.xlsx", "plan.xlsx is a workbook's name, but the page is HTML; name it .html"),
                              ("page.html/", "page.html/ ends in a slash, as a folder's name does")):
            result = run(*command, "--html", page, "-q")  # a usage error (one line from the console script)
            assert result.exit_code == 2 and problem in " ".join(result.output.replace("│", " ").split())
    assert list(tmp_path.iterdir()) == []


def test_concurrency_without_a_chat_queue_is_refused() -> None:
    """As --patience without an erlang-a queue: a flag that would change nothing is a mistake to report (it was
    silently ignored)."""
    run = CliRunner().invoke(app, ["size", str(SAMPLES / "retail_voice_week_15min.csv"), "--concurrency", "3"])
    assert run.exit_code == 2 and run.stderr == (f"wfm: error: --concurrency applies to chat queues, and "
                                                 f"{SAMPLES / 'retail_voice_week_15min.csv'} has none\n")


@pytest.mark.slow
def test_a_full_or_closed_stdout_is_one_line_and_exit_2_not_a_bug() -> None:
    """Cron redirecting to a log on a full disk, or a closed descriptor: the environment's failure, said once (it was
    exit 70, "a bug in wfm"). A plan with nothing to print succeeds with stdout closed."""
    import os
    import tempfile

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    sample = str(SAMPLES / "retail_voice_week_15min.csv")
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "wfm", "size", sample, "-f", "csv"], stdout=full,
                             stderr=subprocess.PIPE, text=True)
    assert run.returncode == 2 and run.stderr == "wfm: error: cannot write to standard output: No space left on device\n"
    closed = subprocess.run(["sh", "-c", '"$0" -m wfm validate "$1" >&-', sys.executable, sample],
                            stderr=subprocess.PIPE, text=True)
    assert closed.returncode == 2 and closed.stderr == "wfm: error: cannot write to standard output: it is closed\n"
    plan = subprocess.run(["sh", "-c", '"$0" -m wfm plan "$1" --out "$2" --quiet >&-', sys.executable, sample,
                           str(Path(tempfile.mkdtemp()) / "plan")], stderr=subprocess.PIPE, text=True)
    assert plan.returncode == 0 and plan.stderr == ""


@pytest.mark.slow
def test_dev_stdout_into_a_closed_pipe_ends_quietly_as_stdout_does() -> None:
    reader, writer = __import__("os").pipe()
    __import__("os").close(reader)
    process = subprocess.run([sys.executable, "-m", "wfm", "size", str(SAMPLES / "multi_queue_30min.csv"), "-f", "json",
                              "-o", "/dev/stdout"], stdout=writer, stderr=subprocess.PIPE, text=True)
    __import__("os").close(writer)
    assert process.returncode == 141 and process.stderr == ""


@pytest.mark.slow
def test_tables_into_a_pipe_have_no_trailing_spaces() -> None:
    run = _console("size", str(SAMPLES / "retail_voice_week_15min.csv"), "--format", "table")
    assert run.returncode == 0 and run.stdout.count("\n") > 30
    assert not [line for line in run.stdout.splitlines() if line != line.rstrip()]


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    import os

    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_a_killed_plan_leaves_no_worker_solving(tmp_path, signal_name) -> None:
    """`kill` of a plan scheduling in worker processes: SIGTERM ends it with one line and 143, its workers stopped;
    after SIGKILL, which no handler sees, the workers notice their parent is gone (they solved on as orphans,
    holding the job's pipes open)."""
    import os
    import signal
    import time

    if not os.path.isdir("/proc/self"):
        pytest.skip("needs /proc")
    process = subprocess.Popen([sys.executable, "-m", "wfm", "plan", str(SAMPLES / "program_week_15min.csv"),
                                "--config", str(SAMPLES / "program_week.toml"), "--out", str(tmp_path / "plan"),
                                "--jobs", "2", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        workers = [p for p in _children(process.pid)
                   if "spawn_main" in open(f"/proc/{p}/cmdline").read().replace("\0", " ")]
    assert len(workers) == 2, "the plan never started its workers"
    process.send_signal(getattr(signal, signal_name))
    _, stderr = process.communicate(timeout=60)
    if signal_name == "SIGTERM":
        assert process.returncode == 143 and stderr == "wfm: error: terminated\n"
    else:
        assert process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 30  # they are gone within about 2 s (0.5 s polls of the parent)
    while any(os.path.exists(f"/proc/{p}") for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in workers if os.path.exists(f"/proc/{p}")]
    assert not (tmp_path / "plan").exists()


@pytest.mark.slow
def test_csv_on_stdout_follows_its_encoding_and_tables_to_a_file_are_unpadded(tmp_path) -> None:
    """CSV goes to stdout in stdout's encoding, as JSON and tables do (UTF-8 bytes passed as they are only to a
    UTF-8 stdout); `--format table -o FILE` has no padding at line ends, as a pipe has none."""
    forecast = tmp_path / "f.csv"
    forecast.write_text("queue,interval_start,volume,aht\nVentes_\u00e9,2026-12-01T08:00:00Z,10,300\n"
                        "Ventes_\u00e9,2026-12-01T08:15:00Z,10,300\n", encoding="utf-8")
    for encoding in ("latin-1", "utf-8"):
        run = subprocess.run([sys.executable, "-m", "wfm", "size", str(forecast), "-f", "csv"], capture_output=True,
                             env={**__import__("os").environ, "PYTHONIOENCODING": encoding})
        assert run.returncode == 0 and "Ventes_\u00e9".encode(encoding) in run.stdout
    table = tmp_path / "t.txt"
    assert _console("size", str(SAMPLES / "multi_queue_30min.csv"), "--format", "table", "-o", str(table)).returncode == 0
    lines = table.read_text().splitlines()
    assert len(lines) > 30 and not [line for line in lines if line != line.rstrip()]


def test_tz_on_the_command_line_is_an_iana_zone_as_in_the_file(write_csv) -> None:
    """"+05:00" was taken on the command line (pyarrow reads it as a fixed offset) and refused in wfm.toml."""
    path = write_csv("interval_start,volume,aht\n2026-12-01T08:00:00,10,300\n2026-12-01T08:15:00,10,300\n")
    run = CliRunner().invoke(app, ["validate", str(path), "--tz", "+05:00"])
    assert run.exit_code == 2 and run.stderr == ('wfm: error: --tz must be a known IANA time zone name such as '
                                                 '"America/Chicago" or "Europe/London", got "+05:00"\n')
    assert CliRunner().invoke(app, ["validate", str(path), "--tz", "Asia/Tashkent"]).exit_code == 0


@pytest.mark.slow  # runs the console script: run by CI, skipped by -m 'not slow'
def test_a_queue_section_that_matches_no_queue_is_one_warning_line(tmp_path) -> None:
    config = tmp_path / "wfm.toml"
    config.write_text("[queues.biling]\nservice_level = 0.95\n")
    result = subprocess.run([sys.executable, "-m", "wfm", "size", MULTI, "--config", str(config), "-f", "csv", "-o",
                             str(tmp_path / "need.csv")], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stderr == (f"wfm: warning: {config}: [queues.biling] matches no queue in the forecast (did you mean "
                             "'billing'?)\n")


def test_a_control_character_in_a_file_name_keeps_the_message_one_line(tmp_path) -> None:
    bad = tmp_path / "bad\nname\x1b[31m.csv"
    bad.write_text("interval_start,volume,aht\n2026-12-01T08:00:00Z,-3,200\n")
    result = run("size", bad)
    assert result.exit_code == 2
    assert result.stderr == (f"wfm: error: {tmp_path}/bad\\nname\\x1b[31m.csv: row 2, column 'volume': expected a "
                             "finite number >= 0, got '-3'\n")


def test_calc_takes_the_interval_of_the_config_unless_given(tmp_path) -> None:
    config = tmp_path / "wfm.toml"
    config.write_text("[forecast]\ninterval_minutes = 15\n")
    assert "(100 contacts x 180 s in 15 min)" in run("calc", "--volume", 100, "--aht", 180, "--config", config).stdout
    assert "in 60 min" in run("calc", "--volume", 100, "--aht", 180, "--config", config, "--interval", "1h").stdout
    assert "in 30 min" in run("calc", "--volume", 100, "--aht", 180).stdout


def test_abandonment_flags_that_no_calculation_or_queue_uses_are_refused(tmp_path) -> None:
    """A file with an erlang-a queue let --max-abandon through, and then: with --model erlang-c every queue is on
    Erlang C, and wfm calc sizes the [targets] model, Erlang C here: the cap was ignored without a word."""
    config = tmp_path / "wfm.toml"
    config.write_text('[targets]\npatience_s = 60\nmax_abandon_rate = 0.05\n[queues.a]\nmodel = "erlang-a"\n')
    runner = CliRunner()
    size = runner.invoke(app, ["size", str(SAMPLES / "retail_voice_week_15min.csv"), "--config", str(config),
                               "--model", "erlang-c", "--max-abandon", "0.01", "-f", "csv"])
    assert size.exit_code == 2 and size.stderr == ("wfm: error: --max-abandon with --model erlang-c: under Erlang C "
                                                   "nobody abandons, so an abandonment cap would be ignored\n")
    calc = runner.invoke(app, ["calc", "--volume", "100", "--aht", "180", "--config", str(config),
                               "--max-abandon", "0.01"])
    assert calc.exit_code == 2 and calc.stderr == ("wfm: error: --max-abandon: this voice calculation is on Erlang C "
                                                   "(the [targets] model), where nobody abandons; add --model erlang-a\n")
    capped = runner.invoke(app, ["calc", "--volume", "100", "--aht", "180", "--config", str(config), "--max-abandon",
                                 "0.01", "--model", "erlang-a"])
    assert capped.exit_code == 0 and "set by the abandonment cap" in capped.stdout


def test_traffic_that_is_a_whole_number_in_decimal_needs_one_more_agent_than_it() -> None:
    """2226.24 calls x 625 s in 15 min are 1546 Erlangs (1545.9999999999998 in binary): 1546 agents cannot keep up."""
    result = CliRunner().invoke(app, ["calc", "--volume", "2226.24", "--aht", "625", "--interval", "15m",
                                      "--service-level", "0", "--max-occupancy", "1"])
    assert result.exit_code == 0
    assert ("Required: 1547 agents on the phones, 2210 staff to schedule; set by stability, the fewest agents that keep "
            "up with 1,546.000 Erlangs.") in result.stdout


def test_an_output_file_named_json_gets_json_unless_a_format_is_given(tmp_path) -> None:
    """`-o need.json` wrote CSV into a file named .json (and `wfm calc -o calc.json` a text table)."""
    forecast = str(SAMPLES / "retail_voice_week_15min.csv")
    assert run("size", forecast, "-o", str(tmp_path / "need.JSON"), "-q").exit_code == 0
    assert json.loads((tmp_path / "need.JSON").read_text())["intervals"][0]["queue"] == "default"
    assert run("size", forecast, "-o", str(tmp_path / "need.txt"), "-q").exit_code == 0
    assert (tmp_path / "need.txt").read_text().startswith("queue,channel,interval_start,")
    assert run("size", forecast, "-f", "csv", "-o", str(tmp_path / "asked.json"), "-q").exit_code == 0
    assert (tmp_path / "asked.json").read_text().startswith("queue,")  # the format asked for wins
    assert run("calc", "--volume", "100", "--aht", "180", "-o", str(tmp_path / "calc.json")).exit_code == 0
    assert json.loads((tmp_path / "calc.json").read_text())["required_agents"] == 13  # 80 % in 30 s (the default answer time)
    assert run("calc", "--volume", "100", "--aht", "180", "-o", str(tmp_path / "calc.txt")).exit_code == 0
    assert (tmp_path / "calc.txt").read_text().startswith("Traffic 10.000 Erlangs")


def test_an_output_file_named_as_a_workbook_is_refused_unless_a_format_is_given(tmp_path) -> None:
    """`-o need.xlsx` wrote CSV text (calc a text table) under a workbook's name, a file Excel refuses to open;
    now one line, exit 2, nothing written, before the forecast is read. `--format csv` keeps the name."""
    forecast = str(SAMPLES / "retail_voice_week_15min.csv")
    for args in (("size", forecast), ("simulate", forecast, "--agents", "20", "--replications", "2"),
                 ("capacity", str(SAMPLES / "capacity_2027.csv"), "--headcount", "150")):
        for name in ("need.xlsx", "need.XLS", "need.xlsm"):
            out = tmp_path / name
            _one_error_line(run(*args, "-o", out), f"--output {out}: a workbook's name, but this command writes a "
                            "table, CSV or JSON; name the file .csv (Excel opens it) or .json, or give --format csv "
                            "to keep this name")
            assert not out.exists()
    assert run("size", forecast, "-f", "csv", "-o", tmp_path / "kept.xlsx", "-q").exit_code == 0
    assert (tmp_path / "kept.xlsx").read_text().startswith("queue,channel,interval_start,")


def test_calc_refusing_a_workbook_name_advises_what_calc_can_write(tmp_path) -> None:
    """wfm calc writes a text table or JSON (its --format is table or json): the refusal of `-o need.xlsx` told it
    to name the file .csv (a text table under a CSV's name) or to give --format csv, which calc refuses."""
    for name in ("need.xlsx", "need.XLS", "need.xlsm"):
        out = tmp_path / name
        _one_error_line(run("calc", "--volume", "100", "--aht", "180", "-o", out),
                        f"--output {out}: a workbook's name, but this command writes a text table or JSON; name the "
                        "file .txt or .json, or give --format table to keep this name")
        assert not out.exists()
    assert run("calc", "--volume", "100", "--aht", "180", "-f", "table", "-o", tmp_path / "kept.xlsx").exit_code == 0
    assert (tmp_path / "kept.xlsx").read_text().startswith("Traffic 10.000 Erlangs")
    # nor is the table CSV: `-o calc.csv` wrote the text table under a CSV's name
    out = tmp_path / "calc.csv"
    _one_error_line(run("calc", "--volume", "100", "--aht", "180", "-o", out),
                    f"--output {out}: a CSV file's name, but this command writes a text table or JSON; name the file "
                    ".txt or .json, or give --format table to keep this name")
    assert not out.exists()
    assert run("calc", "--volume", "100", "--aht", "180", "-f", "table", "-o", out, "-q").exit_code == 0  # -q: as
    assert out.read_text().startswith("Traffic 10.000 Erlangs")  # every other command takes it


def test_an_output_name_ending_in_a_slash_is_refused_not_written_without_it(tmp_path) -> None:
    """`-o out.csv/` (a folder's name) wrote a file named out.csv: Path drops the trailing slash. A usage error (the
    console script prints it on one line: test_usage_errors_from_the_console_script_are_one_line)."""
    forecast = str(SAMPLES / "retail_voice_week_15min.csv")
    for args in (("size", forecast, "-f", "csv", "-o", f"{tmp_path}/out.csv/"),
                 ("calc", "--volume", "100", "--aht", "180", "-o", f"{tmp_path}/calc.txt/")):
        result = run(*args)
        assert result.exit_code == 2 and "ends in a slash, as a folder's name does; name the file to" in " ".join(
            result.output.replace("│", " ").split())
    assert list(tmp_path.iterdir()) == []
    assert run("size", forecast, "-f", "csv", "-o", "-").stdout.startswith("queue,channel,")  # '-' is stdout


@pytest.mark.slow  # renders four commands' help: run by CI, skipped by -m 'not slow'
def test_usage_names_the_argument_as_the_help_text_does() -> None:
    """The usage line read `wfm size [OPTIONS] {forecast}` beside help text that says FORECAST."""
    for command, name in (("size", "FORECAST"), ("plan", "FORECAST"), ("forecast", "HISTORY"), ("capacity", "VOLUMES")):
        result = run(command, "--help")
        assert f" {command} [OPTIONS] {{{name}}}" in result.stdout, result.stdout[:300]
        assert name in run(command).stderr  # Missing argument 'FORECAST'.


def test_an_interval_set_shorter_than_the_files_is_an_error_naming_where_it_was_set(tmp_path) -> None:
    """interval_minutes = 15 (the README's wfm.toml example) on the 30-minute sample offered each half hour's volume
    in 15 minutes (peak agents 219 -> 435), exit 0, with only a gap warning that --quiet hid."""
    _one_error_line(run("size", MULTI, "--interval", "15m", "-q"), f"{MULTI}: rows 274 and 275, column "
                    "'interval_start': queue 'billing' has starts 30 minutes apart", "interval given is 15 minutes "
                    "(--interval 15m)", "give --interval 30 (interval_minutes=30 in Python), or drop --interval 15m")
    config = tmp_path / "wfm.toml"
    config.write_text("[forecast]\ninterval_minutes = 15\n")
    _one_error_line(run("plan", MULTI, "--config", config, "--out", tmp_path / "plan"),
                    f"(interval_minutes = 15 in {config} [forecast])", f"drop interval_minutes = 15 in {config}")
    assert not (tmp_path / "plan").exists()
    assert run("size", MULTI, "--config", config, "--interval", "30m", "-q").exit_code == 0  # the flag wins


def test_handle_times_in_minutes_are_a_warning_that_quiet_hides(write_csv) -> None:
    """AHT in minutes (pyworkforce's unit) was sized without a word: the retail sample so was 2 agents at peak."""
    path = write_csv("interval_start,queue,volume,aht\n2026-12-01T08:00:00Z,sales,100,4.5\n"
                     "2026-12-01T08:15:00Z,sales,120,5\n")
    result = run("size", path, "-f", "csv")
    assert result.exit_code == 0 and result.stderr == (
        f"wfm: warning: {path}: queue 'sales': a mean handle time of 4.77 s (weighted by volume) is implausibly "
        "short; aht is in seconds: if the file gives minutes, multiply it by 60\n")
    assert run("size", path, "-f", "csv", "-q").stderr == ""
