"""Build the sample accounts: sign-up dates, story event dates, subscriptions and contacts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from knowledge.catalog import (
    ACCOUNT_SPECS,
    COUNTRY_TIMEZONES,
    CSMS,
    FIRST_NAMES,
    LAST_NAMES,
    PLANS,
    TIER_ORDER,
    TITLES,
    TRIAL_DAYS,
    AccountSpec,
    Csm,
)

# Days before the reference date on which each churned account's cancellation took effect,
# keyed by churn reason. They are spread over the year so that the usage decline before
# each one falls inside the 12 months of usage.
CHURN_DAYS_AGO = {
    "switched_competitor": (80, 95),
    "budget": (195, 215),
    "low_adoption": (160, 180),
    "product_gaps": (120, 135),
    "project_ended": (30, 40),
}


@dataclass
class Subscription:
    id: str
    start: date
    end: date | None
    renewal: date | None
    plan: str
    seats: int
    billing: str
    mrr: float
    is_trial: bool = False
    upgrade: bool = False
    downgrade: bool = False
    churn: bool = False
    auto_renew: bool = True


@dataclass
class Contact:
    id: str
    name: str
    email: str
    title: str
    role: str
    timezone: str
    is_active: bool = True
    left_on: date | None = None

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0]


@dataclass
class Account:
    """One sample account with its story, the dates that drive it and its generated rows."""

    id: str
    spec: AccountSpec
    signup: date
    csm: Csm
    segment: str
    lifecycle: str
    subscriptions: list[Subscription] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    churn_date: date | None = None
    # Story event dates, for example `decline_start`, `champion_left_on`, `escalated_on`.
    events: dict[str, date] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def story(self) -> str:
        return self.spec.story

    @property
    def current(self) -> Subscription:
        return self.subscriptions[-1]

    def subscription_on(self, day: date) -> Subscription | None:
        for subscription in reversed(self.subscriptions):
            ends = subscription.end or date.max
            if subscription.start <= day <= ends:
                return subscription
        return None

    def contact(self, role: str, active_only: bool = False) -> Contact | None:
        for contact in self.contacts:
            if contact.role == role and (contact.is_active or not active_only):
                return contact
        return None

    @property
    def champion(self) -> Contact:
        contact = self.contact("champion")
        assert contact is not None, "every account has a champion"
        return contact


def add_years(day: date, years: int) -> date:
    """Shift a date by whole years, moving 29 February to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def monthly_rate(plan: str, seats: int, billing: str) -> float:
    """Return the monthly recurring revenue for a plan, with the Enterprise volume discount."""
    prices = PLANS[plan]
    price = prices.annual_price if billing == "annual" else prices.monthly_price
    mrr = price * seats
    if plan == "Enterprise" and seats >= 50:
        mrr *= 0.9
    return round(mrr, 2)


def segment_for(plan: str, seats: int) -> str:
    if plan == "Enterprise" or (plan == "Studio" and seats >= 15):
        return "high-touch"
    if plan == "Studio":
        return "low-touch"
    return "tech-touch"


def build_accounts(seed: int, as_of: date) -> list[Account]:
    """Build every account of the sample business with its subscriptions and contacts."""
    drafts = []
    csm_turns: dict[str, int] = {}
    for spec in ACCOUNT_SPECS:
        rng = random.Random(f"{seed}:account:{spec.domain}")
        drafts.append((_new_account(spec, rng, as_of, csm_turns), rng))

    # Ids follow sign-up order, as a CRM numbers its records, so they carry no hint of the story.
    drafts.sort(key=lambda draft: (draft[0].signup, draft[0].spec.domain))
    subscription_numbers = iter(range(1, 10_000))
    for number, (account, rng) in enumerate(drafts, start=1):
        account.id = f"MW-A{number:03d}"
        _add_subscriptions(account, rng, as_of, subscription_numbers)
        _add_contacts(account, rng, as_of)
    return [account for account, _ in drafts]


def _new_account(
    spec: AccountSpec,
    rng: random.Random,
    as_of: date,
    csm_turns: dict[str, int],
) -> Account:
    signup, events, churn_date = _story_dates(spec, rng, as_of)
    segment = segment_for(spec.plan, spec.seats)
    team = [csm for csm in CSMS if csm.segment == segment]
    turn = csm_turns.get(segment, 0)
    csm_turns[segment] = turn + 1
    if spec.story == "onboarding":
        lifecycle = "onboarding"
    elif (churn_date or as_of) - signup < timedelta(days=270):
        lifecycle = "adoption"
    else:
        lifecycle = "steady"
    return Account(
        id="",
        spec=spec,
        signup=signup,
        csm=team[turn % len(team)],
        segment=segment,
        lifecycle=lifecycle,
        churn_date=churn_date,
        events=events,
    )


def _story_dates(
    spec: AccountSpec, rng: random.Random, as_of: date
) -> tuple[date, dict[str, date], date | None]:
    """Draw the sign-up date, the story's event dates and the churn date of one account."""
    events: dict[str, date] = {}
    churn_date = None
    story = spec.story
    if story == "churned":
        low, high = CHURN_DAYS_AGO[spec.variant]
        churn_date = as_of - timedelta(days=rng.randint(low, high))
        events["decline_start"] = churn_date - timedelta(days=rng.randint(65, 90))

    if story == "onboarding":
        low, high = (5, 12) if spec.variant == "trial" else (8, 42)
        signup = as_of - timedelta(days=rng.randint(low, high))
    elif spec.variant == "project_ended":
        # Old enough that the first run and the comeback both precede the 12 months of usage.
        signup = as_of - timedelta(days=rng.randint(900, 1000))
    elif spec.variant == "adoption":
        signup = as_of - timedelta(days=rng.randint(120, 250))
    elif spec.billing == "annual":
        renewal = _next_renewal(spec, rng, as_of, churn_date)
        events["renewal"] = renewal
        signup = add_years(renewal, -rng.randint(2, 3))
    else:
        signup = as_of - timedelta(days=rng.randint(420, 1000))

    if spec.billing == "annual" and "renewal" not in events:
        events["renewal"] = _anniversary_after(signup, as_of)

    if story == "usage_declining":
        events["decline_start"] = as_of - timedelta(days=rng.randint(70, 86))
    elif story == "champion_left":
        events["champion_left_on"] = as_of - timedelta(days=rng.randint(32, 58))
    elif story == "open_escalation":
        events["escalated_on"] = as_of - timedelta(days=rng.randint(11, 28))
    elif story == "renewal_30_days" and spec.variant == "shaky":
        events["decline_start"] = as_of - timedelta(days=rng.randint(100, 130))
    if spec.prior is not None:
        events["plan_change"] = _plan_change_date(spec, rng, as_of, events, churn_date)
    return signup, events, churn_date


def _next_renewal(
    spec: AccountSpec, rng: random.Random, as_of: date, churn_date: date | None
) -> date:
    """Return the renewal date after the reference date (or the renewal that churned)."""
    if spec.story == "renewal_30_days":
        return as_of + timedelta(days=rng.randint(4, 28))
    if churn_date is not None:
        if spec.variant == "product_gaps":
            # Auto-renewed, then cancelled 10 to 14 days into the new term.
            return churn_date - timedelta(days=rng.randint(10, 14))
        return churn_date
    if spec.prior is not None and spec.story == "usage_declining":
        return as_of + timedelta(days=rng.randint(150, 250))
    return as_of + timedelta(days=rng.randint(50, 330))


def _anniversary_after(start: date, day: date) -> date:
    """Return the first anniversary of `start` that falls after `day`."""
    years = 1
    while add_years(start, years) <= day:
        years += 1
    return add_years(start, years)


def _plan_change_date(
    spec: AccountSpec,
    rng: random.Random,
    as_of: date,
    events: dict[str, date],
    churn_date: date | None,
) -> date:
    """Return the day the current subscription replaced the prior one."""
    renewal = events.get("renewal")
    is_downgrade = TIER_ORDER.index(spec.plan) < TIER_ORDER.index(spec.prior[0]) or (
        spec.plan == spec.prior[0] and spec.seats < spec.prior[1]
    )
    if is_downgrade and renewal is not None:
        # Annual downgrades take effect at a renewal: the one that started the current term.
        return add_years(renewal, -1)
    if churn_date is not None:
        return churn_date - timedelta(days=rng.randint(150, 200))
    return as_of - timedelta(days=rng.randint(45, 220))


def _add_subscriptions(account: Account, rng: random.Random, as_of: date, numbers) -> None:
    spec = account.spec
    renewal = account.events.get("renewal")
    start = account.signup
    if spec.variant == "project_ended":
        _add_reactivated_history(account, rng, numbers)
        start = account.events["reactivated_on"]

    if spec.prior is not None:
        change = account.events["plan_change"]
        prior_plan, prior_seats = spec.prior
        prior_mrr = monthly_rate(prior_plan, prior_seats, spec.billing)
        # A downgrade takes effect at a renewal, so the prior term renewed on the change date;
        # an upgrade happens mid-term and keeps the renewal date.
        is_downgrade = prior_mrr > monthly_rate(spec.plan, spec.seats, spec.billing)
        prior_renewal = change if is_downgrade else renewal
        account.subscriptions.append(
            Subscription(
                id=f"MW-S{next(numbers):04d}",
                start=start,
                end=change - timedelta(days=1),
                renewal=prior_renewal if spec.billing == "annual" else None,
                plan=prior_plan,
                seats=prior_seats,
                billing=spec.billing,
                mrr=prior_mrr,
            )
        )
        start = change

    current = Subscription(
        id=f"MW-S{next(numbers):04d}",
        start=start,
        end=account.churn_date,
        renewal=renewal if spec.billing == "annual" else None,
        plan=spec.plan,
        seats=spec.seats,
        billing=spec.billing,
        mrr=monthly_rate(spec.plan, spec.seats, spec.billing),
    )
    if spec.prior is not None:
        current.upgrade = current.mrr > account.subscriptions[-1].mrr
        current.downgrade = current.mrr < account.subscriptions[-1].mrr
    if spec.variant == "trial":
        current.is_trial = True
        current.mrr = 0.0
        current.auto_renew = False
        current.end = account.signup + timedelta(days=TRIAL_DAYS - 1)
    if account.churn_date is not None:
        current.churn = True
        current.auto_renew = False
    if spec.plan == "Free":
        current.renewal = None
    account.subscriptions.append(current)


def _add_reactivated_history(account: Account, rng: random.Random, numbers) -> None:
    """Add the earlier run of an account that churned once, came back and churned again."""
    spec = account.spec
    first_churn = account.signup + timedelta(days=rng.randint(300, 360))
    account.events["first_churn"] = first_churn
    account.events["reactivated_on"] = first_churn + timedelta(days=rng.randint(120, 150))
    account.subscriptions.append(
        Subscription(
            id=f"MW-S{next(numbers):04d}",
            start=account.signup,
            end=first_churn,
            renewal=None,
            plan=spec.plan,
            seats=spec.seats - 2,
            billing=spec.billing,
            mrr=monthly_rate(spec.plan, spec.seats - 2, spec.billing),
            churn=True,
            auto_renew=False,
        )
    )


def _add_contacts(account: Account, rng: random.Random, as_of: date) -> None:
    spec = account.spec
    titles = TITLES[spec.industry]
    zones = COUNTRY_TIMEZONES[spec.country]
    home_zone = rng.choice(zones)
    used_names: set[str] = set()
    for number, role in enumerate(_roles_for(spec, rng), start=1):
        name = _unique_name(rng, used_names)
        first, last = name.lower().split(" ")
        zone = home_zone if rng.random() < 0.8 else rng.choice(zones)
        account.contacts.append(
            Contact(
                id=f"{account.id}-C{number}",
                name=name,
                email=f"{first}.{last}@{spec.domain}.example",
                title=rng.choice(titles[role]),
                role=role,
                timezone=zone,
            )
        )

    if spec.story == "champion_left":
        account.champion.is_active = False
        account.champion.left_on = account.events["champion_left_on"]
    elif spec.story in ("steady", "healthy_growing") and rng.random() < 0.4:
        users = [contact for contact in account.contacts if contact.role == "user"]
        if len(users) >= 2:
            users[-1].is_active = False
            users[-1].left_on = as_of - timedelta(days=rng.randint(120, 300))


def _roles_for(spec: AccountSpec, rng: random.Random) -> list[str]:
    if spec.plan == "Free":
        return ["champion", "user", "user"]
    roles = ["champion"]
    if spec.plan != "Starter" or rng.random() < 0.5:
        roles.append("sponsor")
    if spec.plan == "Enterprise" or spec.seats >= 10:
        roles.append("admin")
    user_count = min(4, 1 + spec.seats // 8)
    roles.extend(["user"] * user_count)
    return roles


def _unique_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        first = name.split(" ")[0]
        if name not in used and all(not other.startswith(first + " ") for other in used):
            used.add(name)
            return name
