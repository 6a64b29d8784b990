"""Simulate daily feature usage for one account, shaped by the account's story."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from knowledge.accounts import Account
from knowledge.catalog import (
    EXPORT_FEATURES,
    FEATURE_SHARES,
    FREE_EXPORTS_PER_MONTH,
    FREE_GENERATIONS_PER_MONTH,
    GENERALLY_AVAILABLE_ON,
    GENERATION_FEATURES,
    PLANS,
)

USAGE_DAYS = 365

# Typical seconds of processing per successful use, before noise.
SECONDS_PER_USE = {
    "text_to_3d": 75,
    "image_to_3d": 85,
    "sketch_to_3d": 70,
    "auto_parts": 40,
    "retopology": 150,
    "export_obj": 6,
    "export_glb": 12,
    "export_fbx": 15,
    "export_usdz": 20,
}
USES_PER_USER = {
    "text_to_3d": 2.4,
    "image_to_3d": 2.2,
    "sketch_to_3d": 1.8,
    "auto_parts": 1.3,
    "retopology": 1.5,
    "export_obj": 1.6,
    "export_glb": 2.0,
    "export_fbx": 1.8,
    "export_usdz": 1.8,
}
ERROR_RATE = {
    "text_to_3d": 0.03,
    "image_to_3d": 0.03,
    "sketch_to_3d": 0.04,
    "auto_parts": 0.05,
    "retopology": 0.03,
    "export_obj": 0.01,
    "export_glb": 0.015,
    "export_fbx": 0.015,
    "export_usdz": 0.02,
}
# Share of seats active on a working day, by story.
ADOPTION = {
    "healthy_growing": 0.72,
    "usage_declining": 0.6,
    "onboarding": 0.62,
    "champion_left": 0.6,
    "open_escalation": 0.6,
    "renewal_30_days": 0.6,
    "free_power_user": 0.95,
    "churned": 0.5,
    "steady": 0.55,
}
# The feature that breaks for an escalated account, and the one that breaks for a declining
# account in each industry.
ESCALATION_FEATURE = {
    "fbx_missing_parts": "export_fbx",
    "glb_slow": "export_glb",
    "vehicle_width": "image_to_3d",
    "bridge_proportions": "text_to_3d",
    "face_detail": "image_to_3d",
}


@dataclass
class DayTotals:
    """One account's usage on one day, summed over features."""

    generations: int = 0
    exports: int = 0
    errors: int = 0
    # Attempts rejected because a Free workspace had used its monthly allowance.
    blocked: int = 0
    # The largest number of distinct users of any one feature that day.
    active_users: int = 0
    by_feature: dict[str, int] = field(default_factory=dict)


@dataclass
class _MonthCounter:
    month: tuple[int, int] = (0, 0)
    generations: int = 0
    exports: int = 0


def simulate_usage(account: Account, seed: int, as_of: date) -> tuple[list[dict], dict]:
    """Return the account's usage rows and its totals per day.

    Rows carry every usage column except `id`, which is numbered across all accounts later.
    """
    rng = random.Random(f"{seed}:usage:{account.spec.domain}")
    window_start = as_of - timedelta(days=USAGE_DAYS - 1)
    first_day = max(window_start, account.signup)
    last_day = min(as_of, account.churn_date or as_of)
    shares = _feature_shares(account, rng)
    adoption = ADOPTION[account.story] + rng.uniform(-0.06, 0.06)
    # Declining accounts fall 45-60% below their earlier level, before daily noise.
    decline_floor = rng.uniform(0.4, 0.55)
    rows: list[dict] = []
    daily: dict[date, DayTotals] = {}
    counter = _MonthCounter()

    day = first_day
    while day <= last_day:
        subscription = account.subscription_on(day)
        if subscription is not None:
            level = adoption * _story_factor(account, day, window_start, decline_floor)
            level *= _calendar_factor(account, day) * math.exp(rng.gauss(0.0, 0.25))
            totals = _simulate_day(account, subscription, day, level, shares, rng, counter, rows)
            if totals.by_feature:
                daily[day] = totals
        day += timedelta(days=1)
    return rows, daily


def _feature_shares(account: Account, rng: random.Random) -> dict[str, float]:
    shares = {}
    for feature, share in FEATURE_SHARES[account.spec.industry].items():
        jittered = share * rng.uniform(0.7, 1.3)
        if jittered >= 0.06:
            shares[feature] = jittered
    return shares


def _story_factor(account: Account, day: date, window_start: date, decline_floor: float) -> float:
    """Return the story's multiplier on usage for one day (1.0 is the account's norm).

    `decline_floor` is the level that a declining account's usage falls to.
    """
    events = account.events
    story = account.story
    progress = (day - window_start).days / (USAGE_DAYS - 1)
    if story == "healthy_growing":
        return 0.65 + 0.55 * progress
    if story == "free_power_user":
        return 0.85 + 0.35 * progress
    if story == "onboarding":
        return 0.15 + 0.85 * min(1.0, (day - account.signup).days / 35)
    if story == "usage_declining":
        return _decline(day, events["decline_start"], 30, decline_floor)
    if story == "churned":
        span = (account.churn_date - events["decline_start"]).days
        return _decline(day, events["decline_start"], span, 0.1)
    if story == "champion_left":
        return _decline(day, events["champion_left_on"], 10, 0.5)
    if story == "open_escalation":
        return 0.85 if day >= events["escalated_on"] - timedelta(days=20) else 1.0
    if story == "renewal_30_days" and "decline_start" in events:
        return _decline(day, events["decline_start"], 45, 0.55)
    if story == "renewal_30_days":
        return 0.95 + 0.15 * progress
    return 1.0 + 0.07 * math.sin(2 * math.pi * progress + len(account.name))


def _decline(day: date, start: date, days: int, floor: float) -> float:
    if day < start:
        return 1.0
    done = min(1.0, (day - start).days / max(days, 1))
    return 1.0 - (1.0 - floor) * done


def _calendar_factor(account: Account, day: date) -> float:
    free = account.spec.plan == "Free"
    weekday = day.weekday()
    if weekday == 5:
        factor = 0.55 if free else 0.15
    elif weekday == 6:
        factor = 0.5 if free else 0.1
    else:
        factor = 1.0
    if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 2):
        factor *= 0.4
    return factor


def _simulate_day(
    account: Account,
    subscription,
    day: date,
    level: float,
    shares: dict[str, float],
    rng: random.Random,
    counter: _MonthCounter,
    rows: list[dict],
) -> DayTotals:
    totals = DayTotals()
    allowed = PLANS[subscription.plan].features
    seats = subscription.seats
    if counter.month != (day.year, day.month):
        counter.month, counter.generations, counter.exports = (day.year, day.month), 0, 0
    for feature, share in shares.items():
        if feature not in allowed:
            continue
        users = min(seats, _poisson(rng, seats * level * share))
        if account.story == "free_power_user" and feature == "text_to_3d":
            # The whole Free team works in Meshwright every day, so all members use its main
            # feature on most days.
            users = seats if rng.random() < 0.9 else seats - 1
        if users == 0:
            continue
        attempts = max(users, round(users * USES_PER_USER[feature] * math.exp(rng.gauss(0, 0.3))))
        successes, blocked = _apply_free_limits(subscription.plan, feature, attempts, counter)
        error_rate = _error_rate(account, feature, day)
        failures = min(successes, _poisson(rng, successes * error_rate))
        seconds = _duration(account, subscription.plan, feature, day, successes, rng)
        rows.append(
            {
                "account_id": account.id,
                "subscription_id": subscription.id,
                "usage_date": day,
                "feature": feature,
                "usage_count": attempts,
                "duration_secs": seconds,
                "error_count": failures + blocked,
                "active_users": users,
                "is_beta": day < GENERALLY_AVAILABLE_ON.get(feature, date.min),
            }
        )
        _add_to_totals(totals, feature, successes - failures, failures + blocked, users)
        totals.blocked += blocked
    return totals


def _apply_free_limits(
    plan: str, feature: str, attempts: int, counter: _MonthCounter
) -> tuple[int, int]:
    """Split attempts into successes and attempts blocked by a Free monthly limit."""
    if plan != "Free":
        return attempts, 0
    if feature in GENERATION_FEATURES:
        remaining = FREE_GENERATIONS_PER_MONTH - counter.generations
    else:
        remaining = FREE_EXPORTS_PER_MONTH - counter.exports
    if remaining <= 0:
        # People who have seen "Monthly limit reached" try less often.
        attempts = max(1, round(attempts * 0.4))
    successes = max(0, min(attempts, remaining))
    if feature in GENERATION_FEATURES:
        counter.generations += successes
    else:
        counter.exports += successes
    return successes, attempts - successes


def _error_rate(account: Account, feature: str, day: date) -> float:
    rate = ERROR_RATE[feature]
    events = account.events
    if account.story == "open_escalation":
        broken = ESCALATION_FEATURE[account.spec.variant]
        if feature == broken and day >= events["escalated_on"] - timedelta(days=25):
            rate = 0.18
    elif (
        account.story == "usage_declining"
        and feature in ("export_fbx", "export_glb")
        and day >= events["decline_start"] - timedelta(days=15)
    ):
        rate = 0.1
    return rate


def _duration(
    account: Account, plan: str, feature: str, day: date, uses: int, rng: random.Random
) -> int:
    seconds = SECONDS_PER_USE[feature] * uses * math.exp(rng.gauss(0, 0.2))
    if plan == "Free":
        # Free workspaces share a slower, lower-priority queue.
        seconds *= 2.5
    if (
        account.spec.variant == "glb_slow"
        and feature == "export_glb"
        and day >= account.events["escalated_on"] - timedelta(days=25)
    ):
        seconds *= 12
    return round(seconds)


def _add_to_totals(
    totals: DayTotals, feature: str, good_uses: int, errors: int, users: int
) -> None:
    totals.by_feature[feature] = good_uses
    totals.errors += errors
    totals.active_users = max(totals.active_users, users)
    if feature in GENERATION_FEATURES:
        totals.generations += good_uses
    elif feature in EXPORT_FEATURES:
        totals.exports += good_uses


def _poisson(rng: random.Random, mean: float) -> int:
    """Draw from a Poisson distribution (Knuth's method, normal approximation above 30)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit = math.exp(-mean)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def free_limit_day(daily: dict, day: date) -> int | None:
    """Return the day of the month on which a Free workspace first had attempts blocked.

    Looks at the month of `day`, then at the month before; returns None when the workspace
    reached no limit in either.
    """
    first = day.replace(day=1)
    for month_start in (first, (first - timedelta(days=1)).replace(day=1)):
        current = month_start
        while current.month == month_start.month and current <= day:
            totals = daily.get(current)
            if totals is not None and totals.blocked > 0:
                return current.day
            current += timedelta(days=1)
    return None
