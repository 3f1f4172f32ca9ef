"""The scheduling stage: from a requirement curve (agents needed per interval) to shifts and weekly
tours with their breaks, what they deliver, and the seats they need. One queue at a time.

The modules, in the order data flows::

    rules  ->  timeline  ->  candidates  ->  model  ->  stages (solve)  ->  solution  ->  evaluation, seats

    rules          ShiftRules and BreakRule: shift lengths, start times, breaks, tours, costs, solver
                   settings, checked on construction (rules_parsing reads them from a TOML table)
    shrinkage      split_shrinkage: the shrinkage the schedule models (paid breaks) and the rest
    timeline       the week's local-time timeline, open and closed intervals, DST
    candidates     the daily shifts and weekly tours a schedule may choose from
    deferred_load  DeferredLoad: a deferred queue's work (email, back office) done by the same agents
    model          the integer program over those candidates
    break_families   its implicit breaks: break families and durations, their columns and rows
    deferred_rows    its deferred-work columns and rows
    highs          one HiGHS solve with deterministic stopping rules
    stages         the staged solver: LP relaxation, RENS, tour stage, break placement, whole MIP
    stage_run        one stage's HiGHS solve of the whole model, the time limit, pricing a plan
    tour_stage       the tour stage: the plan columns alone covering what a plan needs
    spread_stages    rounding and tour dives for an LP optimum spread over many tours
    solution       Schedule, Shift, Tour, BreakPlacement: the solver's answer read into a plan
    solve          the entry points: schedule (solve for a requirement) and roster (given shifts)
    evaluation     evaluate: service level, ASA and occupancy the plan gives, by Erlang C
    seats          seats (one queue) and site_seats (queues sharing a site)

Vocabulary (as planners use it):

* **interval** - one row of the requirement (15 or 30 minutes), a real UTC instant;
* **shift** - one agent's working day: a start (local wall clock), a length in hours measured
  from start to end in real time, and breaks placed inside windows relative to the start;
* **tour** - one agent's working week: the same start time and shift length on a fixed pattern
  of days (default 5 days on with the 2 days off consecutive, counted cyclically over the week,
  so Sunday + Monday off is a valid pattern; a closed day is always a day off and the run is
  counted over the open days); the number of tours is the headcount to roster;
* **shrinkage the schedule models** - paid breaks: the schedule places them explicitly, so they
  must not also be taken off as shrinkage (see :mod:`wfm.scheduling.shrinkage`).

Nothing is imported with the package: ``from wfm.scheduling.solve import schedule`` loads the
solver (scipy, highspy); ``from wfm.scheduling.rules import ShiftRules`` does not.
"""
