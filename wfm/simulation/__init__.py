"""Simulation of a plan: seeded discrete-event runs of real-time queues worked by agents on shift, with the
deferred work of blended teams taken when no real-time contact waits (issue 9).

    engine    the model and its API: Workload, Agents, constant_agents, simulate -> SimulationResult,
              simulate_trace (one replication contact by contact)
    kernel    the compiled event loop (numba) the engine calls
    steady    steady-state runs beside Erlang C / Erlang A (the engine's tests; ``python -m
              wfm.simulation.steady`` prints the handle-time variability figures)
    rosters   who is on duty: a plan folder, a constant headcount or the sized requirement
    plan_summary  a plan folder's summary.json read back, each value checked (one line naming the file and key)
    compare   the simulated measures with confidence intervals beside the formulas
    blended   a blended team's deferred queues beside the plan's backlog model
    run       ``wfm simulate`` and ``wfm plan --simulate``: the queues simulated and compared

Nothing is imported here: ``import wfm.simulation.engine`` loads numba, which the rest of wfm does not need.
"""
