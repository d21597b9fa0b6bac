"""The simulated clock: order, cancellation, run_for and run_until."""

from k8sgame.engine.clock import SimClock


def test_actions_run_in_time_then_priority_then_fifo_order():
    clock = SimClock()
    seen = []
    clock.call_at(5, lambda: seen.append("t5"))
    clock.call_at(1, lambda: seen.append("t1-late"), priority=9)
    clock.call_at(1, lambda: seen.append("t1-early"), priority=0)
    clock.call_at(1, lambda: seen.append("t1-early-second"), priority=0)
    clock.run_until_time(10)
    assert seen == ["t1-early", "t1-early-second", "t1-late", "t5"]
    assert clock.now == 10


def test_cancelled_timer_never_runs_and_time_jumps_over_empty_stretches():
    clock = SimClock()
    seen = []
    timer = clock.call_at(3600, lambda: seen.append("no"))
    timer.cancel()
    clock.run_until_time(7200)
    assert seen == []
    assert clock.now == 7200
    assert clock.pending == 0


def test_run_until_stops_at_the_instant_the_predicate_holds():
    clock = SimClock()
    box = {"n": 0}

    def tick():
        box["n"] += 1
        clock.call_later(10, tick)

    clock.call_later(10, tick)
    assert clock.run_until(lambda: box["n"] == 3, timeout=100)
    assert clock.now == 30
    assert not clock.run_until(lambda: box["n"] == 100, timeout=50)
    assert clock.now == 80
