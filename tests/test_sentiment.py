"""VADER sentiment per text and rolled up per account."""

from __future__ import annotations

from datetime import date

from agent.insights.sentiment import ScoredItem, label_for, roll_up, score_text


def test_score_text_labels():
    assert score_text("The exports are broken and we are furious.").label == "negative"
    assert score_text("Great call, the team loves the new retopology.").label == "positive"
    assert score_text("The meeting is on Tuesday.").label == "neutral"


def test_score_text_long_text_does_not_saturate():
    neutral = "We reviewed the export settings for the next sprint. " * 40
    text = neutral + "Thanks, that was helpful. " * 5

    score = score_text(text)

    assert 0.0 < score.compound < 0.3


def test_score_text_strips_transcript_marks():
    assert score_text("{vocalsound} {disfmarker}").compound == 0.0


def test_label_thresholds():
    assert label_for(0.05) == "positive"
    assert label_for(0.049) == "neutral"
    assert label_for(-0.05) == "negative"


def test_roll_up_weights_recent_items_more():
    as_of = date(2026, 6, 30)
    old_praise = ScoredItem(
        "note a", "note", date(2026, 3, 1), "", score_text("Wonderful, great work")
    )
    new_anger = ScoredItem(
        "note b", "note", date(2026, 6, 29), "", score_text("This is awful and broken")
    )

    rolled = roll_up([old_praise, new_anger], as_of)

    assert rolled.compound < 0
    assert rolled.most_negative().source_id == "note b"
    assert rolled.items[0].source_id == "note b"
    assert roll_up([], as_of) is None
