"""Login throttling: free attempts, then doubling waits, per username and address."""

from __future__ import annotations

from tightrope.web.throttle import LoginThrottle


def test_backoff_doubles_after_the_free_attempts_up_to_the_cap() -> None:
    throttle = LoginThrottle(free_attempts=3, max_delay_seconds=60)
    assert [throttle.delay(n) for n in range(0, 11)] == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_waiting_is_per_username_and_address_and_cleared_by_success() -> None:
    throttle = LoginThrottle(free_attempts=2, max_delay_seconds=900)
    for _ in range(4):
        throttle.failed("Rivera", "10.0.0.1", 100.0)
    assert throttle.wait_seconds("rivera", "10.0.0.1", 100.0) == 4.0  # case-insensitive
    assert throttle.wait_seconds("rivera", "10.0.0.1", 103.5) == 0.5
    assert throttle.wait_seconds("rivera", "10.0.0.2", 100.0) == 0.0
    assert throttle.wait_seconds("okafor", "10.0.0.1", 100.0) == 0.0
    throttle.succeeded("rivera", "10.0.0.1")
    assert throttle.wait_seconds("rivera", "10.0.0.1", 100.0) == 0.0
