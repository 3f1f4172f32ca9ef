"""What a plan costs and earns: the sites' rates (``[sites.NAME]``), shift premiums, and a
contract's price with its service-level penalty or bonus (``[contract]``). Pure library code: no I/O.

Weekly cost of a queue worked at a site (every figure per week; a month is 365.25 / 12 days, W = 365.25 / 84
weeks, as the capacity plan counts it: wfm.times.WEEKS_PER_MONTH)::

    labour    = rate x sum over shifts of agents x (paid hours + sum_p (m_p - 1) x paid hours in p's window)
    seats     = seats x cost_per_seat_month / W
    overhead  = FTE x overhead_per_fte_month / W
    total     = labour + seats + overhead
    per contact = total / contacts handled (offered less abandoned, deferred items included)
    per FTE     = total / FTE

A premium p (nights, weekends) multiplies the paid hours a shift works inside its window by m_p; the
paid share of the hours inside the window is the shift's paid / length (an unpaid lunch is spread
evenly). Contract P&L (weekly, at the plan's service level SL for the week)::

    revenue  = rate x units (seats / W, paid hours, handled contacts, or handled minutes)
    penalty  = revenue x per_point x 100 (target - SL)   when SL < target, at most revenue x max_penalty
    bonus    = revenue x bonus                           when SL >= bonus_above
    margin   = revenue - penalty + bonus - cost

Rates are examples a user sets, never defaults: with no ``[sites]`` rates there is no cost at all.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wfm.config import real_number, show_value
from wfm.errors import ConfigError, reject_unknown
from wfm.times import WEEKDAYS, WEEKS_PER_MONTH, weekday

__all__ = ["Contract", "Cost", "Premium", "SiteCost", "contract_from_mapping", "queue_cost", "site_rates",
           "sites_from_mapping", "total_cost"]

MAX_RATE = 1e7  # any currency, per hour, seat-month, contact or minute
PRICE_MODELS = ("per_seat_month", "per_paid_hour", "per_handled_contact", "per_minute")
_SITE_KEYS = ("cost_per_paid_hour", "cost_per_seat_month", "overhead_per_fte_month", "premiums")
_PREMIUM_KEYS = ("name", "multiplier", "hours", "days")
_CONTRACT_KEYS = ("price_model", "rate", "target_service_level", "penalty_per_point", "max_penalty",
                  "bonus_above", "bonus")


def _number(value: Any, where: str, low: float = 0.0, high: float = MAX_RATE) -> float:
    number = real_number(value)
    if number is None or not low <= number <= high:
        raise ConfigError(f"{where} must be a number from {low:g} to {high:g}, got {show_value(value)}")
    return number


def _clock(text: Any, where: str) -> time:
    try:
        hour, minute = (int(p) for p in str(text).split(":"))
        return time(hour, minute)
    except (TypeError, ValueError):
        raise ConfigError(f"{where} must be a local time window like \"22:00-06:00\", got {show_value(text)}") from None


@dataclass(frozen=True)
class Premium:
    """Paid hours inside a local time window (``start``-``end``, wrapping midnight when ``end`` is
    not after ``start``; "00:00-00:00" is the whole day) on ``days`` (weekday names; empty: every
    day; a window that wraps midnight belongs to the day it starts) cost ``multiplier`` times the rate."""

    name: str
    multiplier: float
    start: time
    end: time
    days: tuple[str, ...] = ()

    def __post_init__(self) -> None:  # checked when made, in code as from wfm.toml
        where = f"premium {self.name!r}" if isinstance(self.name, str) else "premium"
        object.__setattr__(self, "multiplier", _number(self.multiplier, f"{where} multiplier", 1.0, 10.0))
        for key in ("start", "end"):
            if not isinstance(getattr(self, key), time):
                raise TypeError(f"{where} {key} must be a datetime.time, got {type(getattr(self, key)).__name__}")
        if not isinstance(self.days, (tuple, list)) or any(d not in WEEKDAYS for d in self.days):
            raise ConfigError(f"{where} days must be a list of Mon .. Sun, got {show_value(self.days)}")
        object.__setattr__(self, "days", tuple(self.days))

    def hours_inside(self, start: datetime, end: datetime) -> float:
        """Hours of [start, end) (local wall clock, at most a day long) inside the window."""
        epoch = datetime(1970, 1, 1)
        first = round((start - epoch).total_seconds())
        return float(self.hours_inside_many(np.array([first]), np.array([round((end - start).total_seconds())]))[0])

    def hours_inside_many(self, start_local_s: NDArray[np.int64], length_s: NDArray[np.int64]) -> NDArray[np.float64]:
        """Hours of each [start, start + length) inside the window: ``start_local_s`` local wall-clock seconds since
        1970-01-01, lengths in seconds, at most a day. The windows that can overlap one start the day before it,
        that day and the next; each counts when its starting day is one of ``days``."""
        start = np.asarray(start_local_s, dtype=np.int64)
        end = start + np.asarray(length_s, dtype=np.int64)
        opens = self.start.hour * 3600 + self.start.minute * 60
        closes = self.end.hour * 3600 + self.end.minute * 60
        closes += 86_400 if closes <= opens else 0  # a window wrapping midnight ("00:00-00:00": the whole day)
        allowed = np.array([not self.days or name in self.days for name in WEEKDAYS])
        total = np.zeros(start.shape)
        for shift in (-1, 0, 1):
            day = start // 86_400 + shift
            w0, w1 = day * 86_400 + opens, day * 86_400 + closes
            overlap = np.clip(np.minimum(end, w1) - np.maximum(start, w0), 0, None)
            total += np.where(allowed[weekday(day)], overlap, 0)
        return total / 3600.0


@dataclass(frozen=True)
class SiteCost:
    """A site's rates: ``cost_per_paid_hour`` (labour) or ``cost_per_seat_month`` (a fully loaded
    seat, as outsourcers price onshore, nearshore and offshore), optionally both, plus
    ``overhead_per_fte_month`` and premiums on the paid-hour rate."""

    name: str
    cost_per_paid_hour: float | None = None
    cost_per_seat_month: float | None = None
    overhead_per_fte_month: float = 0.0
    premiums: tuple[Premium, ...] = ()

    def __post_init__(self) -> None:  # checked when made, in code as from wfm.toml; numbers kept as floats
        for key in ("cost_per_paid_hour", "cost_per_seat_month", "overhead_per_fte_month"):
            value = getattr(self, key)
            if value is not None:
                object.__setattr__(self, key, _number(value, f"[sites.{self.name}] {key}"))
        if not all(isinstance(p, Premium) for p in self.premiums):
            raise TypeError(f"[sites.{self.name}] premiums must be Premium objects")
        object.__setattr__(self, "premiums", tuple(self.premiums))
        if self.cost_per_paid_hour is None and self.cost_per_seat_month is None:
            raise ConfigError(f"[sites.{self.name}]: give cost_per_paid_hour or cost_per_seat_month")
        if self.premiums and self.cost_per_paid_hour is None:
            raise ConfigError(f"[sites.{self.name}]: premiums multiply cost_per_paid_hour, which is not given")


@dataclass(frozen=True)
class Contract:
    """How the client pays: ``rate`` per unit of ``price_model``; below ``target_service_level``
    for the week, ``penalty_per_point`` of the fee per point (at most ``max_penalty`` of it); at or
    above ``bonus_above`` (if set), ``bonus`` of the fee."""

    price_model: str
    rate: float
    target_service_level: float = 0.80
    penalty_per_point: float = 0.0
    max_penalty: float = 1.0
    bonus_above: float | None = None
    bonus: float = 0.0

    def __post_init__(self) -> None:  # checked when made, in code as from wfm.toml; numbers kept as floats
        if not isinstance(self.price_model, str) or self.price_model not in PRICE_MODELS:
            raise ConfigError(f"[contract] price_model must be one of {', '.join(PRICE_MODELS)}, "
                              f"got {show_value(self.price_model)}")
        object.__setattr__(self, "rate", _number(self.rate, "[contract] rate"))
        for key in ("target_service_level", "penalty_per_point", "max_penalty", "bonus_above", "bonus"):
            value = getattr(self, key)
            if value is not None or key != "bonus_above":
                object.__setattr__(self, key, _number(value, f"[contract] {key}", 0, 1))
        if self.bonus and self.bonus_above is None:  # it would never be paid
            raise ConfigError(f"[contract] bonus needs bonus_above, the service level the bonus is paid at (got a "
                              f"bonus of {show_value(self.bonus)} and no bonus_above)")

    def revenue(self, seats: float, paid_hours: float, contacts: float, minutes: float) -> float:
        """The week's fee: ``rate`` times the units of ``price_model`` (seats per month of the week's seats,
        paid hours, handled contacts or their handled minutes)."""
        units = {"per_seat_month": seats / WEEKS_PER_MONTH, "per_paid_hour": paid_hours,
                 "per_handled_contact": contacts, "per_minute": minutes}[self.price_model]
        return self.rate * units


@dataclass(frozen=True)
class Cost:
    """A week's cost (and, with a contract, P&L) of a queue, a site or the plan. ``penalty`` is
    negative for a bonus; revenue, penalty and margin are None without a contract."""

    labour: float
    premiums: float
    seats: float
    overhead: float
    contacts: float
    fte: float
    revenue: float | None = None
    penalty: float | None = None

    @property
    def total(self) -> float:
        return self.labour + self.premiums + self.seats + self.overhead

    @property
    def per_contact(self) -> float | None:
        return self.total / self.contacts if self.contacts > 0 else None

    @property
    def per_fte(self) -> float | None:
        return self.total / self.fte if self.fte > 0 else None

    @property
    def margin(self) -> float | None:
        if self.revenue is None or self.penalty is None:
            return None
        return self.revenue - self.penalty - self.total

    def record(self) -> dict[str, Any]:
        """The ``cost`` object of summary.json (currency units, to the cent): the parts rounded, the
        total and the margin computed from the rounded parts, so the printed figures add up."""
        parts = {k: cents(getattr(self, k)) for k in ("labour", "premiums", "seats", "overhead")}
        total = cents(sum(parts.values()))
        out: dict[str, Any] = {
            "total": total, "per_contact": _cents(self.per_contact), "per_fte": _cents(self.per_fte), **parts,
        }
        if self.revenue is not None and self.penalty is not None:
            revenue, pen = cents(self.revenue), cents(self.penalty)
            out.update(revenue=revenue, penalty=pen, margin=cents(revenue - pen - total))
        return out


def _cents(value: float | None) -> float | None:
    return None if value is None else cents(value)


_CENT = Decimal("0.01")


def cents(value: float) -> float:
    """Money to the cent, half away from zero, as the decimal the float prints as: 19.99 x 7,772.5 =
    155,372.275 is 155,372.28, as a spreadsheet rounds it, where round() on the binary float (a hair below the
    half) gives .27. NaN and infinities are kept."""
    if not math.isfinite(value) or abs(value) >= 1e15:  # beyond cents a float can tell apart: as it is
        return value if not math.isfinite(value) else float(round(value, 2))
    return float(Decimal(repr(float(value))).quantize(_CENT, rounding=ROUND_HALF_UP)) + 0.0


def cents_array(values: ArrayLike) -> NDArray[np.float64]:
    """:func:`cents` of each value (a period's or a queue's figure: a few hundred at most, not a hot loop)."""
    flat = np.asarray(values, dtype=np.float64)
    return np.array([cents(float(v)) for v in flat.reshape(-1)], dtype=np.float64).reshape(flat.shape)


def queue_cost(shifts: Sequence[Any], seats: int, fte: float, contacts: float, handled_minutes: float,
               service_level: float, site: SiteCost, contract: Contract | None = None) -> Cost:
    """The week's cost of one queue's shifts (``wfm.scheduling.solution.Shift``: ``count``,
    ``paid_h``, ``length_h``, ``start_local``, ``end_local``) at ``site``; with a contract, its
    revenue and penalty (module docstring)."""
    rate = site.cost_per_paid_hour or 0.0
    paid = sum(s.count * s.paid_h for s in shifts)
    extra = 0.0
    for p in site.premiums:
        extra += (p.multiplier - 1.0) * sum(  # the shift's real hours from its local start (as the solver counts)
            s.count * p.hours_inside(s.start_local, s.start_local + timedelta(hours=s.length_h))
            * (s.paid_h / s.length_h) for s in shifts)
    cost = Cost(labour=rate * paid, premiums=rate * extra,
                seats=seats * (site.cost_per_seat_month or 0.0) / WEEKS_PER_MONTH,
                overhead=fte * site.overhead_per_fte_month / WEEKS_PER_MONTH, contacts=contacts, fte=fte)
    if contract is None:
        return cost
    revenue = contract.revenue(seats, paid, contacts, handled_minutes)
    return dataclasses.replace(cost, revenue=revenue, penalty=penalty(revenue, service_level, contract))


def penalty(revenue: float, service_level: float, contract: Contract) -> float:
    """The week's penalty (negative: a bonus) at ``service_level``: per point below the target, at
    most ``max_penalty`` of the fee; the bonus at or above ``bonus_above``. A service level that
    meets a target exactly in decimal meets it (a tolerance far below any printed digit). A week without contacts
    has no service level (NaN): no penalty, no bonus."""
    if math.isnan(service_level):
        return 0.0
    tol = 1e-9
    if service_level < contract.target_service_level - tol:
        points = 100.0 * (contract.target_service_level - service_level)
        return revenue * min(contract.penalty_per_point * points, contract.max_penalty)
    if contract.bonus_above is not None and service_level >= contract.bonus_above - tol:
        return -revenue * contract.bonus
    return 0.0


def total_cost(costs: Sequence[Cost], seats: int | None = None, site: SiteCost | None = None,
               contract: Contract | None = None) -> Cost:
    """The sum of ``costs``; with ``seats`` and ``site``, the seat cost of a site's shared seats
    (the peak of the sum, not the sum of the queues' peaks), and under a ``per_seat_month`` contract the fee
    for those seats too: the queues' fees and penalties scaled by shared seats / the sum of their peaks (each
    queue's penalty stays the same share of its fee)."""
    fields = ("labour", "premiums", "seats", "overhead", "contacts", "fte")
    sums = {f: sum(getattr(c, f) for c in costs) for f in fields}
    if seats is not None and site is not None:
        sums["seats"] = seats * (site.cost_per_seat_month or 0.0) / WEEKS_PER_MONTH
    with_contract = costs and all(c.revenue is not None for c in costs)
    revenue = sum(c.revenue or 0.0 for c in costs)
    scale = shared_seat_scale(contract, seats, revenue) if with_contract and seats is not None else 1.0
    return Cost(**sums, revenue=revenue * scale if with_contract else None,
                penalty=sum(c.penalty or 0.0 for c in costs) * scale if with_contract else None)


def shared_seat_scale(contract: Contract | None, seats: float, billed: float) -> float:
    """Under a ``per_seat_month`` contract, the factor that turns the fees ``billed`` for queues' own seat peaks
    into the fee for the ``seats`` their site shares (the peak of their sum); 1 under any other price model, or
    with nothing billed. Their penalties scale by it too, each staying the same share of its fee."""
    if contract is None or contract.price_model != "per_seat_month" or billed <= 0:
        return 1.0
    return contract.revenue(seats, 0.0, 0.0, 0.0) / billed


# --- settings --------------------------------------------------------------------------------


def _check_keys(data: Mapping[str, Any], where: str, allowed: Sequence[str], required: Sequence[str]) -> None:
    """One line for the first unknown key, then for the first required key missing."""
    reject_unknown(data, allowed, where)
    for key in required:
        if key not in data:
            raise ConfigError(f"{where} is missing '{key}'")


def site_rates(sites: Mapping[str, SiteCost], queue: str, site: str, where: str = "") -> SiteCost:
    """The rates of the site a queue is worked at: a one-line ConfigError when it has none."""
    if site not in sites:
        raise ConfigError(f"{where + ': ' if where else ''}queue '{queue}' is worked at site '{site}', which has no "
                          f"[sites.{site}] rates; priced sites: {', '.join(sorted(sites))}")
    return sites[site]


def _premium(data: Any, where: str) -> Premium:
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where} must be a table with keys {', '.join(_PREMIUM_KEYS)}, got {show_value(data)}")
    _check_keys(data, where, _PREMIUM_KEYS, ("multiplier", "hours"))
    hours = str(data["hours"])
    if hours.count("-") != 1:
        raise ConfigError(f"{where}.hours must be a local time window like \"22:00-06:00\", got {show_value(hours)}")
    start, end = (_clock(h.strip(), f"{where}.hours") for h in hours.split("-"))
    days = data.get("days", [])
    if not isinstance(days, list) or any(d not in WEEKDAYS for d in days):
        raise ConfigError(f"{where}.days must be a list of Mon .. Sun, got {show_value(days)}")
    return Premium(name=str(data.get("name", "premium")), multiplier=_number(data["multiplier"], f"{where}.multiplier",
                                                                           1.0, 10.0),
                   start=start, end=end, days=tuple(days))  # named by its place in the file before Premium checks


def sites_from_mapping(raw: Mapping[str, Any], where: str) -> dict[str, SiteCost]:
    """``[sites.NAME]`` tables as :class:`SiteCost`, each checked (one line naming the setting)."""
    out = {}
    for name, table in raw.items():
        label = f"{where} [sites.{name}]"
        if not isinstance(table, Mapping):
            raise ConfigError(f"{label} must be a table, got {show_value(table)}")
        _check_keys(table, label, _SITE_KEYS, ())
        premiums = table.get("premiums", [])
        if not isinstance(premiums, list):
            raise ConfigError(f"{label}: premiums must be a list of tables, got {show_value(premiums)}")
        try:
            out[name] = SiteCost(  # SiteCost checks the rates
                name=name, cost_per_paid_hour=table.get("cost_per_paid_hour"),
                cost_per_seat_month=table.get("cost_per_seat_month"),
                overhead_per_fte_month=table.get("overhead_per_fte_month", 0.0),
                premiums=tuple(_premium(p, f"{label} premiums[{i}]") for i, p in enumerate(premiums)),
            )
        except ConfigError as exc:
            message = str(exc)
            raise ConfigError(message if message.startswith(where) else f"{where} {message}") from None
    return out


def contract_from_mapping(raw: Mapping[str, Any], where: str) -> Contract | None:
    """``[contract]`` as a :class:`Contract` (None when the table is absent or empty)."""
    if not raw:
        return None
    label = f"{where} [contract]"
    _check_keys(raw, label, _CONTRACT_KEYS, ("price_model", "rate"))
    try:  # Contract checks every value; its message names the setting, the file is put before it
        return Contract(**{key: raw[key] for key in _CONTRACT_KEYS if key in raw})
    except ConfigError as exc:
        raise ConfigError(f"{where} {exc}") from None


# --- a plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanCost:
    """A plan's week priced: per queue (``queues``, in the plan's order), per site and in total."""

    queues: tuple[Cost, ...]
    sites: Mapping[str, Cost]
    total: Cost


def _handled(plan: Any, q: Any, sized: NDArray[np.float64]) -> tuple[float, float]:
    """Contacts a queue (or team) handles in the week, offered less abandoned (deferred items
    included, each row once), and their handle minutes. A real-time queue's abandonment is what the
    plan's agents give (Erlang A, ``q.evaluation.abandon_rate``), not what the bare requirement would
    (``sized``: the requirement's handled contacts per row, for the others)."""
    req = plan.requirement
    rows = np.unique(np.concatenate([q.rows, *[d.rows for d in q.deferred]]))
    volume = sized[rows]
    rate = q.evaluation.abandon_rate
    if rate is not None:  # per row of q.rows; NaN: a row without abandonment (Erlang C, deferred work)
        at = np.searchsorted(rows, q.rows)
        volume[at] = np.where(np.isnan(rate), volume[at], q.evaluation.volume * (1.0 - np.nan_to_num(rate)))
    return float(volume.sum()), float((volume * req.forecast.aht_s[rows]).sum() / 60.0)


def plan_cost(plan: Any, sites: Mapping[str, SiteCost], contract: Contract | None = None,
              site: str | None = None) -> PlanCost | None:
    """The week's cost of ``plan`` (a :class:`wfm.plan.Plan`): each queue at its own site's rates
    (``site``: every queue at that one instead, to price the same plan elsewhere). None when no
    queue's site has rates; a queue whose site has none is an error naming the site."""
    if not sites:
        return None
    costs = []
    sized = plan.requirement.handled  # a property over every row: once, not per queue
    for q in plan.queues:
        rates = site_rates(sites, q.queue, site or q.site)
        contacts, minutes = _handled(plan, q, sized)
        costs.append(queue_cost(q.schedule.shifts, q.seats.seats, q.fte, contacts, minutes,
                                q.evaluation.service_level_week, rates, contract))
    by_site: dict[str, Cost] = {}
    for s in plan.sites:
        members = [c for q, c in zip(plan.queues, costs, strict=True) if q.site == s.site]
        name = site or s.site
        by_site[name] = total_cost(members, s.seats, sites[name], contract)
    if site is not None:  # one site for every queue: its seats are the peak of all the queues together
        from wfm.scheduling.seats import site_seats

        shared = site_seats(site, tuple(q.queue for q in plan.queues), [q.schedule for q in plan.queues],
                            [q.seats for q in plan.queues], buffer_fraction=plan.seat_rules.buffer_fraction,
                            buffer_seats=plan.seat_rules.buffer_seats)
        by_site = {site: total_cost(costs, shared.seats, sites[site], contract)}
    return PlanCost(tuple(costs), by_site, total_cost(list(by_site.values())))


def _premium_hours(site: SiteCost, forecast: Any, rows: NDArray[np.int64], staff: NDArray[np.float64]) -> float:
    """The extra paid hours the site's premiums add to the staff-hours of ``rows``: per premium, (multiplier - 1)
    x staff x the hours of each interval inside its window (the requirement's staff as if paid by the interval)."""
    if not site.premiums or rows.size == 0:
        return 0.0
    local = forecast.local_start[rows].astype("datetime64[s]").astype(np.int64)
    length = forecast.interval_s[rows].astype(np.int64)
    return float(sum((p.multiplier - 1.0) * (staff[rows] * p.hours_inside_many(local, length)).sum()
                     for p in site.premiums))


def requirement_costs(requirement: Any, settings: Any) -> tuple[dict[str, float], float] | None:
    """What a sized requirement (``wfm size``) costs over the weeks the forecast covers, per queue
    at its site and in total: (staff-hours + the premiums' extra hours, interval by interval) x
    cost_per_paid_hour + FTE x overhead_per_fte_month x
    weeks / W + seats x cost_per_seat_month x weeks / W, where a queue's seats are its
    peak staff and, in the total, a site's seats the peak of its queues' staff together (queues on
    one site share seats). To the cent (:func:`cents`, as every money figure wfm writes). None without
    ``[sites.NAME]`` rates."""
    from wfm.staffing import queue_summary

    if not settings.sites:
        return None
    f = requirement.forecast
    per_queue: dict[str, float] = {}
    seat_free: dict[str, float] = {}
    weeks_of: dict[str, float] = {}
    for summary in queue_summary(requirement):
        site = site_rates(settings.sites, summary.queue, settings.site_for(summary.queue), settings.source)
        q = f.queue_names.index(summary.queue)
        per_fte_week = requirement.targets[q].paid_hours_per_fte_week
        weeks = summary.staff_hours / (summary.fte * per_fte_week) if summary.fte > 0 else 1.0
        weeks_of[summary.queue] = weeks
        rows = np.flatnonzero(f.queue == q)
        seat_free[summary.queue] = ((summary.staff_hours + _premium_hours(site, f, rows, requirement.staff_exact))
                                    * (site.cost_per_paid_hour or 0.0)
                                    + summary.fte * site.overhead_per_fte_month * weeks / WEEKS_PER_MONTH)
        per_queue[summary.queue] = seat_free[summary.queue] + (
            summary.peak_staff * (site.cost_per_seat_month or 0.0) * weeks / WEEKS_PER_MONTH)
    total = sum(seat_free.values())
    for name in sorted({settings.site_for(queue) for queue in per_queue}):
        rate = settings.sites[name].cost_per_seat_month or 0.0
        queues = [k for k, queue in enumerate(f.queue_names) if settings.site_for(queue) == name]
        together = requirement.peak_staff_together(np.flatnonzero(np.isin(f.queue, queues)))
        weeks = max(weeks_of[f.queue_names[k]] for k in queues)
        total += together * rate * weeks / WEEKS_PER_MONTH
    return {queue: cents(cost) for queue, cost in per_queue.items()}, cents(total)
