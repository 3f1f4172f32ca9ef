"""The compiled event loop of the simulation (numba): one replication, contacts in arrival order, first come
first served through a heap of agent slots, and deferred items in the gaps. No randomness here: the caller
draws every random number.

Why one pass in arrival order is exact (Kiefer & Wolfowitz 1955, the FCFS multi-server recursion; with
abandonment as in Baccelli & Hebuterne 1981): under first come, first served a contact is answered by the
first slot that can take it once everyone ahead of it has been placed, and nobody behind it changes that. So
contact i's answer time is ``min over slots of (earliest time >= arrival_i the slot is free and on duty)``.
If the wait exceeds its patience it hangs up at ``arrival_i + patience_i`` and never takes the slot (the
slot stays free for the next contact: its *virtual* wait was too long); otherwise it holds that slot until
``answer + handle time``. Closing time works the same way: a contact whose answer time would be at or after
the end of its interval's run of consecutive intervals (the queue's closing) is never answered and leaves the
slot free (abandoned if its patience runs out before closing, else unfinished), so a caller still waiting at
closing is not answered later by an agent still on duty or by the next morning's.

Heap keys. Each slot's key is the earliest time it can start a contact, a time inside its current on-duty
window (``start_w <= key < end_w``). A slot whose key is at or before the arrival is free then, unless its
window closed before the arrival: then it moves to its agent's next window (its key becomes that window's
start) and the heap is repaired, once per window at most. A slot that finishes a contact past its window's
end has worked overtime (``overrun``: the seconds outside every window of its agent, e.g. through a break)
and its next key is the start of the next window after the finish (or the finish itself, if that window has
already opened). A slot past its agent's last window leaves the heap. Each contact costs O(log slots) plus
O(log intervals) to book its handle time on the interval clock.

Agent-seconds: a chat agent with ``concurrency`` k holds k slots; one slot-second is 1/k agent-second, so
``busy / on_duty`` is the occupancy per conversation slot, as Erlang C with N k servers computes it.

Deferred work (blended teams). Each deferred queue's items form a first-in first-out line, started only inside
the queue's workable rows (its open intervals that the team works), only when no real-time contact waits, and
non-preemptively: a slot free and on duty at time tau takes, if no real-time contact waits then, the oldest
item (by arrival; at a tie the lower queue) among the queues' heads that have arrived by tau and whose queue is
workable at tau. A head's *eligible* time is the first time >= its arrival inside a workable row of its queue.
The loop takes the next job in time order: with x the earliest eligible time of the heads, if x < t_i (contact
i's arrival) it finds tau = the earliest time >= x a slot is free and on duty; if tau < t_i (at a tie the
real-time contact goes first) a slot is free with no contact waiting, and it takes the oldest head eligible at
tau and workable at tau. A head eligible before tau whose row closed before tau gets the next workable row's
start as its eligible time (its queue waits for it), and if no head is workable at tau the loop looks again
from the next eligible time. Otherwise contact i is placed as above. Still exact: when a slot is free at tau <
t_i, no earlier contact j waits then. j was placed when every slot's key was at most its key now (keys only
grow), so at or before max(t_j, tau) = tau, or its virtual wait ran past its patience and it hung up before
tau. No item could start before tau: it needs a slot free and on duty at a time >= its eligible time >= x.
Since keys and eligible times only grow, the pick-up times come out in time order between the contacts (the
heap is repaired only with times <= every later job's start). An item holds its slot like a contact (overrun
past a window's end included; an item in hand when its queue's row ends is finished); an idle slot takes an
item the moment it becomes eligible; items still waiting when the last window or the queue's last workable row
closes are never started.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True)
def _first_after(starts, x):
    """Index of the first of the sorted ``starts`` that is > x (binary search, len(starts) if none)."""
    lo, hi = 0, starts.size
    while lo < hi:
        mid = (lo + hi) >> 1
        if starts[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def _workable_from(starts, length, x):
    """The first time >= x inside one of the rows [starts[j], starts[j] + length) (sorted starts, seconds; inf
    if none is left)."""
    j = _first_after(starts, x) - 1
    if j >= 0 and x < starts[j] + length:
        return x
    if j + 1 < starts.size:
        return starts[j + 1]
    return math.inf


@njit(cache=True)
def spread(a, b, weight, interval_start, interval_s, out):
    """Add ``weight x`` the overlap of [a, b) with each interval [start_j, start_j + interval_s) to out[j]."""
    if b <= a:
        return
    j = max(_first_after(interval_start, a) - 1, 0)
    m = interval_start.size
    while j < m and interval_start[j] < b:
        lo = max(a, interval_start[j])
        hi = min(b, interval_start[j] + interval_s)
        if hi > lo:
            out[j] += (hi - lo) * weight
        j += 1


@njit(cache=True)
def _sift_down(keys, slots, size, i):
    """Restore the min-heap below position i (keys[i] may have grown)."""
    key = keys[i]
    slot = slots[i]
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[i] = keys[child]
        slots[i] = slots[child]
        i = child
    keys[i] = key
    slots[i] = slot


@njit(cache=True)
def _pop(keys, slots, size):
    """Remove the heap's top; returns the new size."""
    size -= 1
    keys[0] = keys[size]
    slots[0] = slots[size]
    if size > 0:
        _sift_down(keys, slots, size, 0)
    return size


@njit(cache=True)
def run_replication(
    arrival, interval_of, service, patience, answer_within_s,
    win_start, win_end, agent_first, agent_stop, present, concurrency,
    interval_start, interval_s, close_at,
    offered, answered, answered_within, abandoned, wait_answered, busy, on_duty, overrun_by_interval,
    answer_at, answered_by,
    d_arrival, d_service, d_by_queue, d_item_first, d_work_start, d_work_first, d_row_start, d_row_first,
    d_interval_s, d_worked, d_start, d_agent,
):
    """Simulate one replication; fills the per-interval output rows (which must start at zero) and the
    per-contact ``answer_at`` (answer time; left as it is for contacts not answered) and ``answered_by`` (the
    agent), and returns (total overrun in agent-seconds, contacts still waiting at closing).

    arrival        sorted arrival times, seconds            interval_of   arrival interval of each contact
    service        handle time of each contact, seconds     patience      patience, seconds (inf: never hangs up)
    win_start/end  on-duty windows sorted by agent, then start; agent a owns windows agent_first[a]:agent_stop[a]
    present        the agents at work in this replication   concurrency   slots per agent
    close_at       per interval, when the queue closes after it (the end of its run of consecutive intervals):
                   a contact not answered before its interval's closing is never answered; it is abandoned if
                   its patience runs out by then, else unfinished (left waiting at closing)

    Deferred work (all arrays empty without it): the items of every deferred queue merged in arrival order
    (``d_arrival`` sorted, seconds), each holding one slot for ``d_service`` seconds. Queue q's items are
    ``d_by_queue[d_item_first[q]:d_item_first[q + 1]]`` (indices into the merged arrays, in arrival order); its
    rows start at ``d_row_start[d_row_first[q]:d_row_first[q + 1]]`` and last ``d_interval_s[q]`` seconds, and
    its items are started only inside its workable rows, starting at
    ``d_work_start[d_work_first[q]:d_work_first[q + 1]]`` (sorted, seconds). A slot that is free and on duty
    while no real-time contact waits takes the oldest item of a queue workable then; fills ``d_start`` (left as
    it is for items never started), ``d_agent`` and ``d_worked`` (slot-seconds x 1 / concurrency inside each row
    of the item's queue). Deferred work is also booked in ``busy`` and in the overrun (module docstring).
    """
    weight = 1.0 / concurrency
    # On duty: every present agent's windows, on the interval clock.
    for p in range(present.size):
        a = present[p]
        for w in range(agent_first[a], agent_stop[a]):
            spread(win_start[w], win_end[w], 1.0, interval_start, interval_s, on_duty)
    # The slots of present agents who have a window, keyed by their first window's start.
    n_slots = 0
    for p in range(present.size):
        if agent_stop[present[p]] > agent_first[present[p]]:
            n_slots += concurrency
    keys = np.empty(n_slots, np.float64)
    slots = np.empty(n_slots, np.int64)
    slot_win = np.empty(n_slots, np.int64)
    slot_stop = np.empty(n_slots, np.int64)
    slot_agent = np.empty(n_slots, np.int64)
    s = 0
    for p in range(present.size):
        a = present[p]
        if agent_stop[a] > agent_first[a]:
            for _ in range(concurrency):
                slot_win[s] = agent_first[a]
                slot_stop[s] = agent_stop[a]
                slot_agent[s] = a
                keys[s] = win_start[agent_first[a]]
                slots[s] = s
                s += 1
    size = n_slots
    for i in range(size // 2 - 1, -1, -1):
        _sift_down(keys, slots, size, i)

    overrun = 0.0
    unfinished = 0
    n = arrival.size
    n_queues = d_item_first.size - 1
    head = d_item_first[:n_queues].copy()  # per deferred queue: its oldest item not yet taken (in d_by_queue)
    eligible = np.full(n_queues, math.inf)  # per queue: when its head can first be started (inf: never)
    for q in range(n_queues):
        if head[q] < d_item_first[q + 1]:
            eligible[q] = _workable_from(d_work_start[d_work_first[q]:d_work_first[q + 1]], d_interval_s[q],
                                         d_arrival[d_by_queue[head[q]]])
    i = 0  # the next real-time contact
    while True:
        t = arrival[i] if i < n else math.inf
        # The next job: a deferred item if a head is eligible before contact i arrives (taken only if a slot is
        # free before t: at a tie the real-time contact goes first), else contact i.
        x = math.inf
        for q in range(n_queues):
            x = min(x, eligible[q])
        deferred = x < t
        if not deferred:
            if i == n:
                break  # no contact left, and no item can be started any more
            x = t
        start = math.inf
        while size > 0:  # the earliest time >= x a slot can start: repair stale tops first
            key = keys[0]
            s = slots[0]
            if key > x:
                start = key
                break
            w = slot_win[s]
            if x < win_end[w]:
                start = x
                break
            w += 1  # its window closed before x: on to the agent's first window still open at x
            while w < slot_stop[s] and win_end[w] <= x:
                w += 1
            if w == slot_stop[s]:
                size = _pop(keys, slots, size)
                continue
            slot_win[s] = w
            keys[0] = win_start[w]
            _sift_down(keys, slots, size, 0)
        if deferred and start >= t:
            # No slot is free before contact i arrives: it goes first, and the earliest time >= t is the same.
            deferred = False
            if i == n:
                break  # no slot is left for the deferred items
        if deferred:
            # start < t: a slot is free and no contact waits. The oldest head eligible by then whose queue is
            # workable at start; a head whose row closed before start waits for its queue's next workable row.
            pick = -1
            for q in range(n_queues):
                if eligible[q] > start:
                    continue
                at = _workable_from(d_work_start[d_work_first[q]:d_work_first[q + 1]], d_interval_s[q], start)
                if at > start:
                    eligible[q] = at
                elif pick < 0 or d_arrival[d_by_queue[head[q]]] < d_arrival[d_by_queue[head[pick]]]:
                    pick = q
            if pick < 0:
                continue  # no queue workable at start: look again from the next eligible time
            s = slots[0]
            k = d_by_queue[head[pick]]
            finish = start + d_service[k]
            d_start[k] = start
            d_agent[k] = slot_agent[s]
            first, stop = d_row_first[pick], d_row_first[pick + 1]
            spread(start, finish, weight, d_row_start[first:stop], d_interval_s[pick], d_worked[first:stop])
            head[pick] += 1
            eligible[pick] = math.inf
            if head[pick] < d_item_first[pick + 1]:
                eligible[pick] = _workable_from(d_work_start[d_work_first[pick]:d_work_first[pick + 1]],
                                                d_interval_s[pick], d_arrival[d_by_queue[head[pick]]])
        else:
            j = interval_of[i]
            offered[j] += 1
            close = close_at[j]
            if start >= close or start - t > patience[i]:  # no slot before closing (inf: none), or it hangs up
                if t + patience[i] <= close:
                    abandoned[j] += 1
                else:
                    unfinished += 1
                i += 1
                continue
            s = slots[0]
            wait = start - t
            answer_at[i] = start
            answered_by[i] = slot_agent[s]
            answered[j] += 1
            wait_answered[j] += wait
            if wait <= answer_within_s:
                answered_within[j] += 1
            finish = start + service[i]
            i += 1
        spread(start, finish, weight, interval_start, interval_s, busy)
        w = slot_win[s]
        if finish < win_end[w]:
            keys[0] = finish
            _sift_down(keys, slots, size, 0)
            continue
        # Past the window's end: overtime until the next window opens or the work ends.
        off = win_end[w]
        w += 1
        while True:
            if w == slot_stop[s] or win_start[w] >= finish:
                overrun += (finish - off) * weight
                spread(off, finish, weight, interval_start, interval_s, overrun_by_interval)
                break
            overrun += (win_start[w] - off) * weight
            spread(off, win_start[w], weight, interval_start, interval_s, overrun_by_interval)
            if finish < win_end[w]:
                break
            off = win_end[w]
            w += 1
        if w == slot_stop[s]:
            size = _pop(keys, slots, size)
        else:
            slot_win[s] = w
            keys[0] = max(finish, win_start[w])
            _sift_down(keys, slots, size, 0)
    return overrun, unfinished
