"""The one-interval calculator behind `wfm calc`: the headcount one interval needs for its targets, and what
a range of headcounts around it (or one given headcount: the reverse question) delivers.

    traffic_erlangs = volume x AHT / interval length (Erlangs); agents = the smallest N meeting every target
    (wfm.queueing.required_agents: Erlang C, or Erlang A with abandonment; chat: servers / concurrency);
    staff = agents / (1 - shrinkage), rounded up once (wfm.staffing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wfm import erlang, queueing
from wfm.config import Targets
from wfm.errors import ConfigError
from wfm.queueing_inputs import offered_traffic
from wfm.staffing import MAX_STAFF, _ceil_staff, _concurrent, occupancy_cap_text

LIMITS = {"service_level": "the service level target", "max_occupancy": "the occupancy cap",
          "asa_s": "the ASA target", "max_abandon_rate": "the abandonment cap", "min_staff": "the minimum staff",
          "fewest": "the fewest agents the traffic needs at all"}
"""What can set a calculation's answer, as :attr:`Calculation.limited_by` names it (the targets by their keys in
:class:`~wfm.config.Targets`), with words. ``fewest``: no target asks more than the model's least headcount for the
traffic: more agents than its Erlangs under Erlang C (a stable queue), one under Erlang A."""

_SEARCH_KEYS = {"service_level": "service_level", "max_occupancy": "max_occupancy", "max_asa_s": "asa_s",
                "max_abandon_rate": "max_abandon_rate"}
"""The sizing search's keyword for each target, and the target's key (LIMITS')."""


@dataclass(frozen=True)
class Option:
    """What one headcount delivers for one interval."""

    agents: int
    service_level: float  # fraction answered within the answer time
    asa_s: float  # seconds; inf when overloaded
    occupancy: float  # fraction
    wait_probability: float  # fraction that wait at all
    staff: int  # agents / (1 - shrinkage), rounded up
    meets_targets: bool
    abandon_rate: float = float("nan")  # fraction of offered that abandon (Erlang A); NaN under Erlang C


@dataclass(frozen=True)
class Calculation:
    """The Erlang calculator's answer for one interval: the requirement and the headcounts around it."""

    volume: float  # contacts offered
    aht_s: float  # seconds
    interval_s: float  # seconds
    targets: Targets
    traffic_erlangs: float
    required_agents: int
    required_staff: int  # required_agents / (1 - shrinkage), rounded up
    options: tuple[Option, ...]
    limited_by: tuple[str, ...] = ()  # the targets that alone ask as many agents (LIMITS' names), first the first


def calculate(volume: float, aht_s: float, interval_s: float, targets: Targets,
              agents: int | None = None, below: int = 5, above: int = 3, occupancy_from: str = "") -> Calculation:
    """Size one interval, and tabulate the headcounts from ``below`` under the answer to ``above`` over
    it (or just ``agents`` when given: the reverse question, what a headcount delivers). ``occupancy_from``: where
    the occupancy cap is set (a flag or a section), for the message when it asks too much.

    Raises WfmError, naming the inputs as `wfm calc`'s options, for more traffic than wfm sizes (also when
    volume x AHT overflows), for ``agents`` above MAX_AGENTS, and for targets needing more than MAX_AGENTS
    agents or MAX_STAFF staff."""
    traffic = float(offered_traffic(float(volume), float(aht_s), float(interval_s)))  # an overflow is inf, quietly
    if not traffic <= erlang.MAX_TRAFFIC_ERLANGS:
        amount = erlang.offered_traffic_text(float(volume), float(aht_s), float(interval_s))
        raise ConfigError(f"--volume {volume:,.10g} with --aht {aht_s:,.10g} in {interval_s / 60:g} min is {amount} "
                          f"Erlangs; wfm sizes at most {erlang.MAX_TRAFFIC_ERLANGS:,.0f} Erlangs")
    if agents is not None and not 0 <= agents <= erlang.MAX_AGENTS:
        raise ConfigError(f"--agents: expected a whole number from 0 to {erlang.MAX_AGENTS:,}, got {agents}")
    if traffic / targets.max_occupancy > erlang.MAX_AGENTS:  # Python floats: inf at worst
        raise ConfigError(f"{occupancy_cap_text(targets.max_occupancy, occupancy_from)} with {traffic:.2g} Erlangs needs "
                       f"{traffic / targets.max_occupancy:.2g} agents; wfm sizes at most {erlang.MAX_AGENTS:,}")
    abandons = targets.model == queueing.ERLANG_A
    patience = targets.patience_s if targets.patience_s is not None else np.inf
    if targets.deferred:
        raise ConfigError(f"wfm calc sizes real-time work (voice, chat) one interval at a time; {targets.channel} work "
                          "waits in a backlog: size it with wfm size")
    k = targets.concurrency  # conversations per agent (chat): that many servers each
    every = dict(service_level=targets.service_level, max_occupancy=targets.max_occupancy,
                 max_asa_s=np.inf if targets.asa_s is None else targets.asa_s,
                 max_abandon_rate=np.nan if targets.max_abandon_rate is None else targets.max_abandon_rate)

    def agents_for(**asked: float) -> int:
        servers = queueing.required_agents([traffic], aht_s, abandons, patience,
                                           answer_within_s=targets.answer_within_s, **asked)
        return int(_concurrent(servers, np.array([k]))[0])

    required = max(agents_for(**every), targets.min_staff)
    lenient = dict(service_level=0.0, max_occupancy=1.0, max_asa_s=np.inf, max_abandon_rate=np.nan)
    fewest = agents_for(**lenient)  # no target at all: N > A under Erlang C, one agent under Erlang A
    alone = {"min_staff": targets.min_staff} if targets.min_staff else {}
    for name in every:  # what each target asks alone (the others lifted): the ones that set the answer
        if name == "service_level" or np.isfinite(every[name]):
            asks = agents_for(**{**lenient, name: every[name]})
            if asks > fewest:  # a target that asks no more than the traffic needs anyway sets nothing
                alone[_SEARCH_KEYS[name]] = asks
    limited_by = tuple(name for name in LIMITS if name in alone and alone[name] == required and required > 0)
    if not limited_by and required > 0:
        limited_by = ("fewest",)
    most = max(required, agents or 0)
    if most / (1.0 - targets.shrinkage) > MAX_STAFF:
        raise ConfigError(f"shrinkage {targets.shrinkage!r} makes {most:,} agents {most / (1.0 - targets.shrinkage):.2g} "
                       f"staff; wfm plans at most {MAX_STAFF:,} staff per interval")
    first = max(1, required - below) if required else 0  # no traffic: 0 agents is the answer, shown as such
    counts = np.array([agents] if agents is not None else range(first, required + above + 1))
    delivered = queueing.delivered(counts * k, traffic, aht_s, targets.answer_within_s, abandons, patience)
    options = tuple(
        Option(
            agents=n,
            service_level=sl,
            asa_s=asa,
            occupancy=occ,
            wait_probability=wait,
            staff=_whole_staff(n, targets.shrinkage),
            meets_targets=n >= required,
            abandon_rate=abandon,
        )
        for n, wait, sl, asa, occ, abandon in zip(counts.tolist(), *(x.tolist() for x in delivered))
    )
    return Calculation(volume, aht_s, interval_s, targets, traffic, int(required),
                       _whole_staff(required, targets.shrinkage), options, limited_by)


def _whole_staff(agents: int, shrinkage: float) -> int:
    return int(_ceil_staff(agents / (1.0 - shrinkage), shrinkage))
