"""Slowing down password guessing without locking anyone out.

Two counters, kept in the rate limiter's storage (Redis in production, so every worker and host
sees the same numbers):

- per account *and* address: the first LOGIN_FREE_TRIES failures cost nothing, each further
  one makes that address wait for that account, 15 s, 30 s, 60 s ... up to LOGIN_MAX_DELAY.
  Somebody else guessing the office's password from elsewhere therefore never locks the office
  out (the old "ten failures lock the account for 15 minutes" did, for anyone who knew the name);
- per address across accounts: LOGIN_ADDRESS_FREE_TRIES failures, then the same doubling wait
  for every login from that address, which is what slows a spray of many usernames.

An attempt is counted *before* its password is checked, and an attempt beyond the free ones
must claim the wait slot first (an atomic increment that only one request wins), so a burst of
simultaneous requests cannot slip more guesses through than sequential ones. A success clears
the account's counter and takes that account's attempts back off the address's counter: a
village office where many people log in (and mistype) from one address never fills it.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app

from lawlearn.extensions import limiter


@dataclass(frozen=True)
class Attempt:
    """A login attempt that was let through: its counter keys, to settle it afterwards."""

    account: str
    address: str


@dataclass(frozen=True)
class Wait:
    """The attempt is refused: try again in `seconds`."""

    seconds: int


def _prefix() -> str:
    return current_app.config.get("RATELIMIT_KEY_PREFIX") or ""


def _keys(username: str, address: str) -> Attempt:
    # Hashed: a username may hold anything the form allows, and a key should not echo it.
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return Attempt(account=f"{_prefix()}login/account/{name}/{address}",
                   address=f"{_prefix()}login/address/{address}")


def delay_after(extra_failures: int) -> int:
    """Seconds to wait after the `extra_failures`-th failure beyond the free ones: doubling
    from LOGIN_DELAY up to LOGIN_MAX_DELAY."""
    config = current_app.config
    if extra_failures < 1:
        return 0
    return min(config["LOGIN_DELAY"] * 2 ** min(extra_failures - 1, 30), config["LOGIN_MAX_DELAY"])


def _window() -> int:
    return int(current_app.config["LOGIN_WINDOW_HOURS"] * 3600)


def _waiting(key: str) -> int:
    storage = limiter.storage
    if storage.get(f"{key}/wait") <= 0:
        return 0
    return max(1, math.ceil(storage.get_expiry(f"{key}/wait") - time.time()))


def begin(username: str, address: str) -> Attempt | Wait:
    """Let an attempt through, or say how long to wait."""
    storage = limiter.storage
    attempt = _keys(username, address)
    waiting = max(_waiting(attempt.account), _waiting(attempt.address))
    if waiting:
        return Wait(waiting)
    limits = ((attempt.account, current_app.config["LOGIN_FREE_TRIES"]),
              (attempt.address, current_app.config["LOGIN_ADDRESS_FREE_TRIES"]))
    for key, free in limits:
        tries = storage.incr(f"{key}/tries", _window())
        if tries > free:
            delay = delay_after(tries - free)
            # Only the first request to claim this slot goes on; a simultaneous one waits.
            if storage.incr(f"{key}/wait", delay) > 1:
                return Wait(max(1, _waiting(key)))
    return attempt


def succeeded(attempt: Attempt) -> None:
    """The password was right: that account's earlier failures here were typing slips, so
    they (and this attempt) come off the address's count too."""
    storage = limiter.storage
    slips = storage.get(f"{attempt.account}/tries")
    storage.clear(f"{attempt.account}/tries")
    storage.clear(f"{attempt.account}/wait")
    forgive = min(slips, storage.get(f"{attempt.address}/tries"))
    if forgive > 0:
        storage.incr(f"{attempt.address}/tries", _window(), amount=-forgive)


def failed(attempt: Attempt) -> int:
    """The failure was counted in begin(); how long the user now has to wait (0: none)."""
    return max(_waiting(attempt.account), _waiting(attempt.address))
