"""The channels of a program and their default targets: what kind of work a queue is.

    channel       kind        sized by                                    default target
    voice         real time   Erlang C (or Erlang A, ``model``)           80 % answered within 30 s
    chat          real time   the same, ``concurrency`` conversations     80 % answered within 60 s,
                              per agent                                   2 conversations per agent
    email         deferred    first in, first out backlog (wfm.deferred)  90 % answered within 4 h
    social        deferred    the same                                    90 % answered within 1 h
    back_office   deferred    the same                                    90 % done within 24 h

A queue's channel is ``channel`` in its ``[queues.NAME]`` section or the forecast's optional
``channel`` column (they must agree); ``voice`` otherwise. A *real-time* contact is lost or waits
on the line, so it is covered interval by interval; *deferred* work waits in a backlog and may be
done whenever its response target still holds.

Where the targets come from, lowest priority first: the channel's defaults above; ``[targets]``
(its service keys -- ``service_level``, ``answer_within_s``, ``asa_s``, ``model``, ``patience_s``,
``max_abandon_rate``, ``concurrency`` -- are the **voice** targets; its staffing keys --
``max_occupancy``, ``shrinkage``, ``min_staff``, ``paid_hours_per_fte_week`` -- apply to every
channel); ``[channels.NAME]``; ``[queues.NAME]``; the command-line flags (every queue; the
real-time-only flags skip deferred queues). For deferred work ``service_level`` is the share of
items answered within ``answer_within_s`` (the response time, up to a week), counted in elapsed
time or in the team's open hours (``response_clock``).

Pure data: no numpy, so the config and the CSV loader can use it cheaply.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

VOICE, CHAT, EMAIL, SOCIAL, BACK_OFFICE = "voice", "chat", "email", "social", "back_office"
CHANNELS = (VOICE, CHAT, EMAIL, SOCIAL, BACK_OFFICE)
"""Every channel, in the order reports list them."""
REAL_TIME = frozenset({VOICE, CHAT})
DEFERRED = frozenset({EMAIL, SOCIAL, BACK_OFFICE})

SERVICE_KEYS = ("service_level", "answer_within_s", "asa_s", "model", "patience_s", "max_abandon_rate", "concurrency")
"""The targets that differ by channel: in ``[targets]`` they are the voice targets."""
REAL_TIME_ONLY = ("asa_s", "model", "patience_s", "max_abandon_rate", "concurrency")
"""Targets with no meaning for deferred work (nobody waits on the line)."""
DEFERRED_ONLY = ("response_clock", "open_hours")
"""Settings with no meaning for real-time work."""

CHANNEL_DEFAULTS: MappingProxyType[str, MappingProxyType[str, Any]] = MappingProxyType({
    VOICE: MappingProxyType({}),  # the Targets defaults: 80 % in 30 s
    CHAT: MappingProxyType({"service_level": 0.8, "answer_within_s": 60.0, "concurrency": 2}),
    EMAIL: MappingProxyType({"service_level": 0.9, "answer_within_s": 4 * 3600.0}),
    SOCIAL: MappingProxyType({"service_level": 0.9, "answer_within_s": 3600.0}),
    BACK_OFFICE: MappingProxyType({"service_level": 0.9, "answer_within_s": 24 * 3600.0}),
})
"""Each channel's default targets, over the :class:`wfm.config.Targets` defaults (documented above)."""

MAX_CONCURRENCY = 20
"""The most conversations one chat agent may hold."""
MAX_RESPONSE_S = 7 * 86_400.0
"""The longest response target of deferred work: a week."""
RESPONSE_CLOCKS = ("elapsed", "open")
"""How a deferred response time is counted: all the time, or only while the team is open."""


def is_deferred(channel: str) -> bool:
    """Deferred work (email, social, back office): a backlog worked first in, first out."""
    return channel in DEFERRED
