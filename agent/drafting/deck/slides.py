"""Render a deck as a PowerPoint file with python-pptx."""

from __future__ import annotations

from pathlib import Path

from agent.drafting.deck.document import Deck, verification_line


def render_pptx(deck: Deck, path: Path) -> Path:
    """Write a .pptx with a title slide, a slide per section and a slide per chart.

    The speaker notes of every slide list its sources.
    """
    from pptx import Presentation
    from pptx.util import Inches, Pt

    presentation = Presentation()
    title_slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    title_slide.shapes.title.text = deck.title
    title_slide.placeholders[1].text = deck.subtitle() + "\n" + verification_line(deck)
    title_slide.notes_slide.notes_text_frame.text = (
        "Sources: contacts (recipient), health model, usage, tickets, surveys, subscriptions.\n"
        + verification_line(deck)
    )
    for section in deck.sections:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = section.title
        body = slide.placeholders[1]
        body.left, body.top = Inches(0.5), Inches(1.4)
        body.width, body.height = Inches(9.0), Inches(5.8)
        frame = body.text_frame
        frame.word_wrap = True
        for index, bullet in enumerate(section.bullets):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = bullet
            paragraph.font.size = Pt(14)
        slide.notes_slide.notes_text_frame.text = "Sources: " + "; ".join(section.sources)
    titles = ("Weekly usage events", "Tickets opened and closed per month")
    for chart, title in zip(deck.charts, titles, strict=False):
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        slide.shapes.title.text = title
        slide.shapes.add_picture(str(chart), Inches(0.5), Inches(1.8), width=Inches(9.0))
        source = (
            f"usage {deck.quarter.previous().start}..{deck.as_of}"
            if "usage" in chart.stem
            else f"tickets of {deck.account_id}, {deck.quarter.previous().start}..{deck.as_of}"
        )
        slide.notes_slide.notes_text_frame.text = f"Sources: {source} ({chart.name})"
    path.parent.mkdir(parents=True, exist_ok=True)
    presentation.save(str(path))
    return path
