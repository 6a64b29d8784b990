"""Tests of the built-in Meshwright sample business: determinism, integrity and stories."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from agent.store import tables as store
from knowledge.catalog import COUNTRY_TIMEZONES, STORIES
from knowledge.generator import COLUMNS, DEFAULT_AS_OF, DEFAULT_SEED, DOCS_DIR, generate

PROJECT_ROOT = Path(__file__).resolve().parents[1]
AS_OF = DEFAULT_AS_OF
TABLE_NAMES = tuple(COLUMNS)
STORE_MODELS = {
    "accounts": store.Account,
    "contacts": store.Contact,
    "subscriptions": store.Subscription,
    "usage": store.UsageRecord,
    "tickets": store.Ticket,
    "notes": store.Note,
    "surveys": store.Survey,
    "churn": store.ChurnEvent,
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def days_ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("meshwright")
    generate(out_dir)
    return out_dir


@pytest.fixture(scope="module")
def data(sample_dir: Path) -> dict[str, list[dict[str, str]]]:
    return {name: read_csv(sample_dir / f"{name}.csv") for name in TABLE_NAMES}


@pytest.fixture(scope="module")
def stories(sample_dir: Path) -> dict[str, dict[str, str]]:
    return json.loads((sample_dir / "stories.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_story(stories: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for account_id, entry in stories.items():
        grouped[entry["story"]].append(account_id)
    return grouped


@pytest.fixture(scope="module")
def daily_usage(data: dict) -> dict[str, Counter]:
    """Usage count per account per day, summed over features."""
    totals: dict[str, Counter] = defaultdict(Counter)
    for row in data["usage"]:
        totals[row["account_id"]][date.fromisoformat(row["usage_date"])] += int(row["usage_count"])
    return totals


def usage_between(daily: Counter, first: date, last: date) -> int:
    return sum(count for day, count in daily.items() if first <= day <= last)


def current_subscriptions(data: dict) -> dict[str, dict[str, str]]:
    """Return the latest subscription of each account (subscriptions are in start order)."""
    latest = {}
    for row in data["subscriptions"]:
        latest[row["account_id"]] = row
    return latest


# Determinism and shape


def test_generate_same_seed_identical_files(sample_dir: Path, tmp_path: Path) -> None:
    paths = generate(tmp_path)

    for path in paths.values():
        original = sample_dir / path.name
        assert path.read_bytes() == original.read_bytes(), f"{path.name} differs"


def test_generate_other_seed_differs(sample_dir: Path, tmp_path: Path) -> None:
    paths = generate(tmp_path, seed=DEFAULT_SEED + 1)

    for name in ("usage", "tickets", "notes", "contacts"):
        assert paths[name].read_bytes() != (sample_dir / f"{name}.csv").read_bytes(), name


def test_generate_returns_every_file(sample_dir: Path) -> None:
    names = {path.name for path in sample_dir.iterdir()}

    assert names == {f"{name}.csv" for name in TABLE_NAMES} | {"stories.json"}


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_csv_columns_are_store_fields(sample_dir: Path, name: str) -> None:
    with (sample_dir / f"{name}.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    store_columns = set(STORE_MODELS[name].__table__.columns.keys())

    assert tuple(header) == COLUMNS[name]
    assert set(header) <= store_columns, set(header) - store_columns


def test_cli_writes_files(tmp_path: Path) -> None:
    script = PROJECT_ROOT / "knowledge" / "generator.py"
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out"), "--seed", "7"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "accounts.csv").exists()
    assert "usage\t" in result.stdout


# Counts


def test_accounts_with_twelve_months_of_history(data: dict) -> None:
    year_ago = days_ago(365)
    old = [row for row in data["accounts"] if date.fromisoformat(row["signup_date"]) <= year_ago]

    assert len(data["accounts"]) >= 45
    assert len(old) >= 45


def test_usage_covers_twelve_months(data: dict) -> None:
    days = {date.fromisoformat(row["usage_date"]) for row in data["usage"]}

    assert min(days) == days_ago(364)
    assert max(days) == AS_OF


def test_usage_row_count_under_limit(data: dict) -> None:
    assert 20_000 < len(data["usage"]) < 120_000


def test_usage_lower_on_weekends(data: dict) -> None:
    weekday, weekend = Counter(), Counter()
    for row in data["usage"]:
        day = date.fromisoformat(row["usage_date"])
        (weekend if day.weekday() >= 5 else weekday)[day] += int(row["usage_count"])

    weekday_mean = sum(weekday.values()) / len(weekday)
    weekend_mean = sum(weekend.values()) / len(weekend)
    assert weekend_mean < 0.5 * weekday_mean


def test_docs_have_front_matter_and_length() -> None:
    pages = sorted(DOCS_DIR.glob("*.md"))

    assert len(pages) >= 22
    for page in pages:
        text = page.read_text(encoding="utf-8")
        match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
        assert match, f"{page.name} has no front matter"
        front, body = match.groups()
        assert re.search(r"^title: \S", front, re.M), f"{page.name} has no title"
        assert re.search(r"^description: \S", front, re.M), f"{page.name} has no description"
        words = len(re.findall(r"[A-Za-z0-9][\w'.,/-]*", body))
        assert 150 <= words <= 500, f"{page.name} has {words} words"


def test_every_story_has_four_accounts(by_story: dict) -> None:
    for story in STORIES:
        assert len(by_story[story]) >= 4, story


def test_stories_cover_every_account(data: dict, stories: dict) -> None:
    account_ids = [row["id"] for row in data["accounts"]]

    assert sorted(stories) == sorted(account_ids)
    for entry in stories.values():
        assert entry["story"] in STORIES
        assert entry["summary"].endswith(".")


# Integrity


def test_account_ids_exist_in_every_table(data: dict) -> None:
    account_ids = {row["id"] for row in data["accounts"]}

    for name in TABLE_NAMES[1:]:
        unknown = {row["account_id"] for row in data[name]} - account_ids
        assert not unknown, f"{name}: {sorted(unknown)[:5]}"


def test_ids_unique_in_every_table(data: dict) -> None:
    for name in TABLE_NAMES:
        ids = [row["id"] for row in data[name]]
        assert len(ids) == len(set(ids)), name


def test_survey_contacts_belong_to_account(data: dict) -> None:
    contact_accounts = {row["id"]: row["account_id"] for row in data["contacts"]}

    for row in data["surveys"]:
        assert contact_accounts.get(row["contact_id"]) == row["account_id"], row["id"]


def test_usage_subscriptions_belong_to_account(data: dict) -> None:
    subscriptions = {row["id"]: row for row in data["subscriptions"]}

    for row in data["usage"]:
        subscription = subscriptions[row["subscription_id"]]
        day = row["usage_date"]
        assert subscription["account_id"] == row["account_id"], row["id"]
        assert subscription["start_date"] <= day, row["id"]
        assert not subscription["end_date"] or day <= subscription["end_date"], row["id"]


def test_account_plan_matches_latest_subscription(data: dict) -> None:
    latest = current_subscriptions(data)

    for account in data["accounts"]:
        subscription = latest[account["id"]]
        assert account["plan_tier"] == subscription["plan_tier"], account["id"]
        assert account["seats"] == subscription["seats"], account["id"]


def test_subscription_arr_is_twelve_mrr(data: dict) -> None:
    for row in data["subscriptions"]:
        assert float(row["arr"]) == pytest.approx(12 * float(row["mrr"])), row["id"]


def test_subscription_history_has_changes(data: dict) -> None:
    flags = Counter(
        flag
        for row in data["subscriptions"]
        for flag in ("upgrade_flag", "downgrade_flag")
        if row[flag] == "true"
    )

    assert flags["upgrade_flag"] >= 4
    assert flags["downgrade_flag"] >= 1


def test_emails_use_example_domains(data: dict) -> None:
    emails = [row["email"] for row in data["contacts"]]
    emails += [row["csm_email"] for row in data["accounts"]]

    for email in emails:
        assert re.fullmatch(r"[a-z-]+\.[a-z-]+@[a-z]+\.example", email), email
    assert all(row["csm_email"].endswith("@meshwright.example") for row in data["accounts"])


def test_contact_timezones_match_country(data: dict) -> None:
    countries = {row["id"]: row["country"] for row in data["accounts"]}

    for row in data["contacts"]:
        assert row["timezone"] in COUNTRY_TIMEZONES[countries[row["account_id"]]], row["id"]


def test_active_users_within_seats(data: dict, by_story: dict) -> None:
    seats = {row["id"]: int(row["seats"]) for row in data["subscriptions"]}
    free_power_users = set(by_story["free_power_user"])

    for row in data["usage"]:
        if row["account_id"] in free_power_users:
            continue
        assert 1 <= int(row["active_users"]) <= seats[row["subscription_id"]], row["id"]


def test_errors_never_exceed_uses(data: dict) -> None:
    for row in data["usage"]:
        assert 0 <= int(row["error_count"]) <= int(row["usage_count"]), row["id"]


def test_tickets_status_matches_closure(data: dict) -> None:
    for row in data["tickets"]:
        assert re.fullmatch(r"MW-\d{4}", row["id"])
        if row["status"] == "closed":
            assert row["closed_at"] >= row["submitted_at"], row["id"]
            assert row["resolution_hours"], row["id"]
        else:
            assert row["closed_at"] == "", row["id"]
            assert row["resolution_hours"] == "", row["id"]
            assert row["satisfaction_score"] == "", row["id"]


def test_ticket_bodies_two_to_six_sentences(data: dict) -> None:
    for row in data["tickets"]:
        text = row["body"].split("\n\n")[0]
        sentences = re.findall(r"[.?!](?:\s|$)", text)
        assert 2 <= len(sentences) <= 6, row["id"]


def test_ticket_and_note_text_varies(data: dict) -> None:
    ticket_bodies = [row["body"] for row in data["tickets"]]
    note_bodies = [row["body"] for row in data["notes"]]

    assert len(set(ticket_bodies)) >= 0.95 * len(ticket_bodies)
    assert len(set(note_bodies)) == len(note_bodies)


def test_note_bodies_80_to_250_words(data: dict) -> None:
    for row in data["notes"]:
        assert 80 <= len(row["body"].split()) <= 250, row["id"]


def test_notes_written_by_account_csm(data: dict) -> None:
    csm = {row["id"]: row["csm_name"] for row in data["accounts"]}

    for row in data["notes"]:
        assert row["author"] == csm[row["account_id"]], row["id"]


# Stories


def test_usage_declining_drops_in_last_30_days(by_story: dict, daily_usage: dict) -> None:
    for account_id in by_story["usage_declining"]:
        daily = daily_usage[account_id]
        recent = usage_between(daily, days_ago(29), AS_OF)
        earlier = usage_between(daily, days_ago(119), days_ago(90))
        assert recent < 0.75 * earlier, account_id


def test_usage_declining_tickets_turn_to_problems(data: dict, by_story: dict) -> None:
    for account_id in by_story["usage_declining"]:
        tickets = [row for row in data["tickets"] if row["account_id"] == account_id]
        recent = [row for row in tickets if row["submitted_at"] >= days_ago(90).isoformat()]
        older = [row for row in tickets if row not in recent]
        assert any(row["category"] == "how-to" for row in older), account_id
        assert recent, account_id
        assert all(row["category"] != "how-to" for row in recent), account_id


def test_champion_left_has_inactive_champion(data: dict, by_story: dict) -> None:
    for account_id in by_story["champion_left"]:
        champions = [
            row
            for row in data["contacts"]
            if row["account_id"] == account_id and row["role"] == "champion"
        ]
        assert len(champions) == 1, account_id
        champion = champions[0]
        left_on = date.fromisoformat(champion["left_on"])
        assert champion["is_active"] == "false", account_id
        assert days_ago(60) <= left_on <= days_ago(30), account_id


def test_champion_left_notes_mention_departure(data: dict, by_story: dict) -> None:
    for account_id in by_story["champion_left"]:
        champion = next(
            row
            for row in data["contacts"]
            if row["account_id"] == account_id and row["role"] == "champion"
        )
        later_notes = [
            row
            for row in data["notes"]
            if row["account_id"] == account_id and row["note_date"] > champion["left_on"]
        ]
        assert any(
            champion["name"] in row["body"] and " left" in row["body"] for row in later_notes
        ), account_id


def test_champion_left_usage_dips(data: dict, by_story: dict, daily_usage: dict) -> None:
    for account_id in by_story["champion_left"]:
        champion = next(
            row
            for row in data["contacts"]
            if row["account_id"] == account_id and row["role"] == "champion"
        )
        left_on = date.fromisoformat(champion["left_on"])
        daily = daily_usage[account_id]
        before = usage_between(daily, left_on - timedelta(days=30), left_on - timedelta(days=1))
        recent = usage_between(daily, days_ago(29), AS_OF)
        assert recent < 0.85 * before, account_id


def test_champions_active_outside_champion_left(data: dict, by_story: dict) -> None:
    champion_left = set(by_story["champion_left"])

    for row in data["contacts"]:
        if row["role"] == "champion" and row["account_id"] not in champion_left:
            assert row["is_active"] == "true", row["id"]


def test_renewal_30_days_renew_within_30_days(data: dict, by_story: dict) -> None:
    latest = current_subscriptions(data)

    for account_id in by_story["renewal_30_days"]:
        renewal = date.fromisoformat(latest[account_id]["renewal_date"])
        assert AS_OF < renewal <= AS_OF + timedelta(days=30), account_id


def test_only_renewal_story_renews_soon(data: dict, by_story: dict) -> None:
    latest = current_subscriptions(data)
    soon = {
        account_id
        for account_id, row in latest.items()
        if row["renewal_date"]
        and row["churn_flag"] == "false"
        and AS_OF < date.fromisoformat(row["renewal_date"]) <= AS_OF + timedelta(days=30)
    }

    assert soon == set(by_story["renewal_30_days"])


def test_onboarding_signed_up_recently(data: dict, by_story: dict) -> None:
    accounts = {row["id"]: row for row in data["accounts"]}
    onboarding = set(by_story["onboarding"])

    for account_id, account in accounts.items():
        recent = date.fromisoformat(account["signup_date"]) >= days_ago(45)
        is_onboarding = account["lifecycle_stage"] == "onboarding"
        assert recent == (account_id in onboarding), account_id
        assert is_onboarding == (account_id in onboarding), account_id


def test_onboarding_usage_ramps_up(data: dict, by_story: dict, daily_usage: dict) -> None:
    accounts = {row["id"]: row for row in data["accounts"]}

    for account_id in by_story["onboarding"]:
        signup = date.fromisoformat(accounts[account_id]["signup_date"])
        if (AS_OF - signup).days < 21:
            continue
        daily = daily_usage[account_id]
        first_week = usage_between(daily, signup, signup + timedelta(days=6))
        last_week = usage_between(daily, days_ago(6), AS_OF)
        assert last_week > first_week, account_id


def test_free_power_users_hit_limits(data: dict, by_story: dict) -> None:
    accounts = {row["id"]: row for row in data["accounts"]}

    for account_id in by_story["free_power_user"]:
        rows = [row for row in data["usage"] if row["account_id"] == account_id]
        recent = [row for row in rows if row["usage_date"] >= days_ago(29).isoformat()]
        seats = int(accounts[account_id]["seats"])
        assert accounts[account_id]["plan_tier"] == "Free", account_id
        assert max(int(row["active_users"]) for row in rows) == seats, account_id
        assert sum(int(row["error_count"]) for row in recent) > 20, account_id


def test_free_power_users_ask_about_limits(data: dict, by_story: dict) -> None:
    for account_id in by_story["free_power_user"]:
        tickets = [row for row in data["tickets"] if row["account_id"] == account_id]
        notes = [row for row in data["notes"] if row["account_id"] == account_id]
        assert any(row["category"] == "plan-limits" for row in tickets), account_id
        assert any("limit" in row["body"] for row in notes), account_id


def test_open_escalation_has_open_ticket(data: dict, by_story: dict) -> None:
    for account_id in by_story["open_escalation"]:
        escalated = [
            row
            for row in data["tickets"]
            if row["account_id"] == account_id and row["escalated"] == "true"
        ]
        assert len(escalated) == 1, account_id
        ticket = escalated[0]
        submitted = datetime.fromisoformat(ticket["submitted_at"]).date()
        assert ticket["status"] == "open", account_id
        assert ticket["priority"] in ("urgent", "high"), account_id
        assert days_ago(30) <= submitted <= days_ago(10), account_id


def test_open_escalation_frustration_shows(data: dict, by_story: dict) -> None:
    for account_id in by_story["open_escalation"]:
        ticket = next(
            row
            for row in data["tickets"]
            if row["account_id"] == account_id and row["escalated"] == "true"
        )
        csat = [
            int(row["score"])
            for row in data["surveys"]
            if row["account_id"] == account_id and row["kind"] == "csat"
        ]
        notes = [row for row in data["notes"] if row["account_id"] == account_id]
        assert min(csat) <= 2, account_id
        assert any(ticket["id"] in row["body"] for row in notes), account_id


def test_open_escalations_only_in_story(data: dict, by_story: dict) -> None:
    escalation = set(by_story["open_escalation"])

    for row in data["tickets"]:
        if row["escalated"] == "true" and row["status"] != "closed":
            assert row["account_id"] in escalation, row["id"]


def test_churned_accounts_have_recent_churn(data: dict, by_story: dict) -> None:
    accounts = {row["id"]: row for row in data["accounts"]}
    churn_dates = defaultdict(list)
    for row in data["churn"]:
        churn_dates[row["account_id"]].append(date.fromisoformat(row["churn_date"]))

    for account_id, account in accounts.items():
        is_churned = account_id in by_story["churned"]
        assert (account["churned"] == "true") == is_churned, account_id
        if is_churned:
            assert max(churn_dates[account_id]) >= days_ago(365), account_id


def test_churned_usage_falls_then_stops(data: dict, by_story: dict, daily_usage: dict) -> None:
    latest = current_subscriptions(data)

    for account_id in by_story["churned"]:
        subscription = latest[account_id]
        churn_date = date.fromisoformat(subscription["end_date"])
        daily = daily_usage[account_id]
        # Usage starts falling 65-90 days before the churn date, so days 91-110 before it
        # are a baseline that also stays inside the 12 months of usage.
        last_month = usage_between(daily, churn_date - timedelta(days=29), churn_date) / 30
        baseline = (
            usage_between(daily, churn_date - timedelta(days=110), churn_date - timedelta(days=91))
            / 20
        )
        assert subscription["churn_flag"] == "true", account_id
        assert max(daily) <= churn_date, account_id
        assert last_month < 0.6 * baseline, account_id


def test_healthy_growing_expands(data: dict, by_story: dict, daily_usage: dict) -> None:
    for account_id in by_story["healthy_growing"]:
        subscriptions = [row for row in data["subscriptions"] if row["account_id"] == account_id]
        daily = daily_usage[account_id]
        first_month = usage_between(daily, days_ago(364), days_ago(335))
        last_month = usage_between(daily, days_ago(29), AS_OF)
        nps = [
            int(row["score"])
            for row in data["surveys"]
            if row["account_id"] == account_id and row["kind"] == "nps"
        ]
        assert subscriptions[-1]["upgrade_flag"] == "true", account_id
        assert last_month > first_month, account_id
        assert sum(nps) / len(nps) >= 8, account_id


def test_northwind_names_are_close(data: dict) -> None:
    names = {row["name"] for row in data["accounts"]}

    assert {"Northwind Studios", "Northwind Interactive"} <= names


def test_northwind_studios_notes_discuss_exports(data: dict) -> None:
    account_id = next(row["id"] for row in data["accounts"] if row["name"] == "Northwind Studios")
    notes = [row["body"] for row in data["notes"] if row["account_id"] == account_id]

    assert any("GLB" in body and "USDZ" in body for body in notes)
