"""Deck layout: text fitted into slide boxes, and the .pptx rendered to PDF by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime

import pytest

from agent.drafting.deck.document import Bullet
from agent.drafting.deck.fitting import (
    BODY_SIZES,
    ELLIPSIS,
    MAX_BULLET_LINES,
    TextBox,
    bullet_lines,
    bullet_size,
    fit_text,
    shorten,
    text_height,
    text_width,
    wrap,
)
from agent.drafting.deck.slides import BODY_BOX, text_box

LONG = (
    "MW-9101 (escalated, high priority, opened October 2, 2026): Large suspension bridge "
    "models come out with the deck twice as wide as the reference drawing and the towers far "
    "too short, so the generated asset cannot be used in the level without manual rework, "
    "which the art team has reported in every batch since the October release."
)
LONG_SUBJECTS = [
    "Large suspension bridge models come out with the deck twice as wide as the reference "
    "drawing and the towers far too short, so the asset cannot be used without rework",
    "FBX export of the assembled vehicle set drops the wheels, the steering column and two "
    "interior panels when the scene has more than forty parts, although GLB is complete",
    "Faces on character busts lose their fine detail (eyelids, lips and ears) after AI "
    "retopology at the medium polygon budget, in every batch since the October release",
    "GLB export of scenes with more than two hundred textured objects takes over twenty "
    "minutes and sometimes times out in the browser before the download even starts",
    "Request to restore the workspace archive of the retired product catalogue that an "
    "administrator deleted by mistake during the clean-up of old projects last month",
    "Text prompt generation ignores the requested real-world dimensions for furniture and "
    "returns chairs at roughly a third of their size, even when the size is set first",
    "Sketch to model conversion places the handles of kitchen cabinets on the wrong side "
    "for every left-hinged door in the uploaded sketches and mirrors the hinges as well",
]


def _assert_fits(pages, box: TextBox) -> None:
    for page in pages:
        assert page.size in BODY_SIZES
        assert text_height(page.bullets, box, page.size) <= box.height
        for bullet in page.bullets:
            assert bullet_lines(bullet, box, page.size) <= MAX_BULLET_LINES, bullet.text
            points = bullet_size(page.size, bullet.level)
            for line in wrap(bullet.text, box.line_width(bullet.level), points):
                assert text_width(line, points) <= box.line_width(bullet.level), line


def test_text_width_scales_with_size():
    assert text_width("Open issues", 20) == pytest.approx(2 * text_width("Open issues", 10))
    assert text_width("Open issues", 10) > text_width("Open", 10)


def test_wrap_keeps_every_line_within_width():
    lines = wrap(LONG, 300.0, 18)

    assert len(lines) > 3
    assert " ".join(lines) == LONG
    for line in lines:
        assert text_width(line, 18) <= 300.0, line


def test_wrap_breaks_a_word_wider_than_a_line():
    lines = wrap("x" * 200, 100.0, 18)

    assert "".join(lines) == "x" * 200
    for line in lines:
        assert text_width(line, 18) <= 100.0


def test_shorten_cuts_at_word_boundary():
    text = shorten(LONG, 300.0, 18, max_lines=2)

    assert text.endswith(ELLIPSIS)
    assert LONG.startswith(text[:-1])
    # The cut drops trailing punctuation, then falls on a space.
    assert LONG[len(text) - 1 :].lstrip(",;:(").startswith(" ")
    assert len(wrap(text, 300.0, 18)) <= 2


def test_shorten_leaves_fitting_text_alone():
    assert shorten("Renewal on May 18, 2027.", 300.0, 18, max_lines=1) == (
        "Renewal on May 18, 2027."
    )


def test_fit_short_bullets_use_largest_size():
    bullets = [Bullet("Health: 88 (green)."), Bullet("Usage: +32% a day.")]

    pages = fit_text(bullets, BODY_BOX)

    assert len(pages) == 1
    assert pages[0].size == BODY_SIZES[0]
    assert [b.text for b in pages[0].bullets] == [b.text for b in bullets]
    assert pages[0].shortened == []


def test_fit_reduces_size_before_shortening():
    bullets = [Bullet(LONG[:200]) for _ in range(4)]

    pages = fit_text(bullets, BODY_BOX)

    assert len(pages) == 1
    assert pages[0].size < BODY_SIZES[0]
    assert pages[0].shortened == []
    _assert_fits(pages, BODY_BOX)


def test_fit_shortens_overlong_bullet():
    bullets = [Bullet(LONG * 3)]

    pages = fit_text(bullets, BODY_BOX)

    assert len(pages) == 1
    assert pages[0].bullets[0].text.endswith(ELLIPSIS)
    assert pages[0].shortened == [LONG * 3]
    _assert_fits(pages, BODY_BOX)


def test_fit_splits_across_boxes_keeping_sub_bullets():
    bullets: list[Bullet] = []
    for number in range(12):
        bullets.append(Bullet(f"MW-{9100 + number}: {LONG_SUBJECTS[number % 7]}"))
        bullets.append(Bullet("Action: CSM follows up with support.", level=1))

    pages = fit_text(bullets, BODY_BOX)

    assert len(pages) > 1
    assert sum(len(page.bullets) for page in pages) == len(bullets)
    for page in pages:
        assert page.bullets[0].level == 0
    assert len({page.size for page in pages}) == 1
    _assert_fits(pages, BODY_BOX)


def test_fit_title_within_two_lines():
    box = text_box(12.133, 1.0, bulleted=False)
    title = "Tickets opened and closed per month, Q3 2026 to Q4 2026 " * 3

    pages = fit_text([Bullet(title)], box, (36, 32, 28, 24), max_lines=2)

    assert len(pages) == 1
    assert bullet_lines(pages[0].bullets[0], box, pages[0].size) <= 2
    assert text_height(pages[0].bullets, box, pages[0].size) <= box.height


@pytest.fixture
def long_ticket_store(demo_store):  # noqa: ANN001, ANN201 - agent.store.Store
    """The sample business with seven open tickets with long subjects on Okapi Lane."""
    from agent.store import Ticket

    with demo_store.session() as session:
        for number, subject in enumerate(LONG_SUBJECTS):
            session.add(
                Ticket(
                    id=f"MW-{9101 + number}",
                    account_id="MW-A020",
                    submitted_at=datetime(2026, 10, 2 + number, 9, 0),
                    closed_at=None,
                    priority="high" if number % 3 == 0 else "normal",
                    status="open",
                    escalated=number % 3 == 0,
                    subject=subject,
                )
            )
    return demo_store


def test_pptx_bullets_within_box_capacity(demo_settings, long_ticket_store, tmp_path):
    from pptx import Presentation

    from agent.drafting.deck import build_deck, render_pptx

    account = long_ticket_store.resolve_account("Okapi Lane")
    deck = build_deck(long_ticket_store, account, "ebr", None, demo_settings)
    path = render_pptx(deck, tmp_path / "deck.pptx")

    slides = list(Presentation(str(path)).slides)
    issue_slides = [s for s in slides if s.shapes.title.text.startswith("Open issues")]
    assert len(issue_slides) >= 2
    section_slides = [
        s for s in slides[1:] if 1 in [p.placeholder_format.idx for p in s.placeholders]
    ]
    assert len(section_slides) >= 7
    for slide in section_slides:
        body = slide.placeholders[1]
        box = text_box(body.width / 914400, body.height / 914400)
        assert box.height == pytest.approx(BODY_BOX.height, abs=1.0)
        paragraphs = [
            (Bullet(p.text, p.level), p.runs[0].font.size.pt) for p in body.text_frame.paragraphs
        ]
        sizes = {size + 2 * bullet.level for bullet, size in paragraphs}
        assert len(sizes) == 1, slide.shapes.title.text
        size = int(sizes.pop())
        bullets = [bullet for bullet, _size in paragraphs]
        assert text_height(bullets, box, size) <= box.height, slide.shapes.title.text
        for bullet in bullets:
            assert bullet_lines(bullet, box, size) <= MAX_BULLET_LINES, bullet.text


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _drawn_images(stream, resources, reader) -> int:  # noqa: ANN001 - pypdf objects
    """Count the images a content stream draws, following form XObjects.

    LibreOffice shares one resource dictionary between all pages, so listing a page's
    resources would find every chart on every page. Only the `Do` operators show which
    images a page draws.
    """
    from pypdf.generic import ContentStream

    xobjects = resources.get("/XObject", {})
    xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
    count = 0
    for operands, operator in ContentStream(stream, reader).operations:
        if operator != b"Do":
            continue
        xobject = xobjects[operands[0]].get_object()
        if xobject["/Subtype"] == "/Image":
            count += 1
        elif xobject["/Subtype"] == "/Form":
            inner = xobject.get("/Resources", resources)
            count += _drawn_images(xobject, inner.get_object(), reader)
    return count


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (no soffice or libreoffice on PATH), so the deck "
    "cannot be rendered to PDF; install libreoffice-impress to run this test",
)
def test_pptx_renders_one_page_per_slide(demo_settings, long_ticket_store, tmp_path):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    from pypdf import PdfReader

    from agent.drafting.deck import write_deck

    account = long_ticket_store.resolve_account("Okapi Lane")
    _deck, path = write_deck(long_ticket_store, account, demo_settings, "ebr", None, "pptx")
    # A profile of its own, so a LibreOffice the user has open does not take the job.
    profile = (tmp_path / "libreoffice-profile").as_uri()
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )

    reader = PdfReader(tmp_path / f"{path.stem}.pdf")
    pages = reader.pages
    slides = list(Presentation(str(path)).slides)
    assert len(pages) == len(slides)
    chart_slides = 0
    for number, (slide, page) in enumerate(zip(slides, pages, strict=True), start=1):
        has_chart = any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes)
        chart_slides += has_chart
        images = _drawn_images(page.get_contents(), page["/Resources"].get_object(), reader)
        assert (images > 0) == has_chart, f"slide {number}: {slide.shapes.title.text}"
    assert chart_slides == 2
