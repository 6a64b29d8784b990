"""Render a deck as a 16:9 PowerPoint file with python-pptx, every text fitted to its box."""

from __future__ import annotations

from pathlib import Path

from agent.drafting.deck.document import Bullet, Chart, Deck, Section, verification_line
from agent.drafting.deck.fitting import (
    LINE_SPACING,
    PARAGRAPH_GAP,
    FittedText,
    TextBox,
    bullet_size,
    fit_text,
)

# Slide and shape geometry in inches, for a 16:9 slide.
SLIDE_WIDTH, SLIDE_HEIGHT = 13.333, 7.5
MARGIN = 0.6
TITLE_TOP, TITLE_HEIGHT = 0.35, 1.0
BODY_TOP, BODY_HEIGHT = 1.5, 5.6
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
# Text insets of every text box, in inches (python-pptx's defaults, set explicitly).
INSET_X, INSET_Y = 0.1, 0.05
TITLE_SIZES = (36, 32, 28, 24)
COVER_TITLE_SIZES = (40, 36, 32, 28)
COVER_TEXT_SIZES = (24, 22, 20, 18, 16)
# Dark grey for the cover's subtitle, 10:1 against white; dark red for a failed verification.
SUBTITLE_COLOR = (0x40, 0x40, 0x40)
FAILED_COLOR = (0xA0, 0x00, 0x00)
POINTS_PER_INCH = 72.0


def text_box(width: float, height: float, bulleted: bool = True) -> TextBox:
    """Return the area inside a shape of `width` by `height` inches, in points."""
    return TextBox(
        width=(width - 2 * INSET_X) * POINTS_PER_INCH,
        height=(height - 2 * INSET_Y) * POINTS_PER_INCH,
        bulleted=bulleted,
    )


BODY_BOX = text_box(CONTENT_WIDTH, BODY_HEIGHT)
TITLE_BOX = text_box(CONTENT_WIDTH, TITLE_HEIGHT, bulleted=False)


def render_pptx(deck: Deck, path: Path) -> Path:
    """Write a .pptx with a title slide, a slide per section and a slide per chart.

    A section whose bullets do not fit one slide at the smallest font size continues on more
    slides. The speaker notes of every slide list its sources, and the full text of any
    bullet shortened to fit.
    """
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    presentation.slide_width = Inches(SLIDE_WIDTH)
    presentation.slide_height = Inches(SLIDE_HEIGHT)
    _cover_slide(presentation, deck)
    for section in deck.sections:
        _section_slides(presentation, section)
    for chart in deck.charts:
        _chart_slide(presentation, chart)
    path.parent.mkdir(parents=True, exist_ok=True)
    presentation.save(str(path))
    return path


def _place(shape, left: float, top: float, width: float, height: float) -> None:  # noqa: ANN001
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches

    shape.left, shape.top = Inches(left), Inches(top)
    shape.width, shape.height = Inches(width), Inches(height)
    frame = shape.text_frame
    frame.word_wrap = True
    # The text is fitted here; a renderer's own shrink-on-overflow would undo the measure.
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Inches(INSET_X)
    frame.margin_top = frame.margin_bottom = Inches(INSET_Y)


def _write(shape, fitted: FittedText, align=None, color=None) -> None:  # noqa: ANN001
    """Write the fitted paragraphs into the shape with exact sizes and spacing."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    frame = shape.text_frame
    for index, bullet in enumerate(fitted.bullets):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        points = bullet_size(fitted.size, bullet.level)
        paragraph.text = bullet.text
        paragraph.level = bullet.level
        paragraph.line_spacing = Pt(points * LINE_SPACING)
        paragraph.space_before = Pt(0 if index == 0 else PARAGRAPH_GAP[bullet.level] * points)
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            run.font.size = Pt(points)
            if color is not None:
                run.font.color.rgb = RGBColor(*color)


def _title(slide, text: str) -> None:  # noqa: ANN001
    from pptx.enum.text import PP_ALIGN

    shape = slide.shapes.title
    _place(shape, MARGIN, TITLE_TOP, CONTENT_WIDTH, TITLE_HEIGHT)
    fitted = fit_text([Bullet(text)], TITLE_BOX, TITLE_SIZES, max_lines=2)[0]
    _write(shape, fitted, align=PP_ALIGN.LEFT)


def _notes(
    slide,  # noqa: ANN001 - a python-pptx Slide
    sources: str,
    shortened: list[str],
    remarks: tuple[str, ...] = (),
) -> None:
    text = f"Sources: {sources}"
    for remark in remarks:
        text += f"\n\n{remark}"
    if shortened:
        text += "\n\nShortened on the slide; the full text:\n" + "\n".join(
            f"- {full}" for full in shortened
        )
    slide.notes_slide.notes_text_frame.text = text


def _cover_slide(presentation, deck: Deck) -> None:  # noqa: ANN001
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN

    slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    width = SLIDE_WIDTH - 2 * 0.8
    _place(slide.shapes.title, 0.8, 1.4, width, 2.2)
    cover_title = text_box(width, 2.2, bulleted=False)
    fitted = fit_text([Bullet(deck.title)], cover_title, COVER_TITLE_SIZES, max_lines=2)[0]
    _write(slide.shapes.title, fitted, align=PP_ALIGN.CENTER)

    subtitle = slide.placeholders[1]
    _place(subtitle, 0.8, 3.9, width, 2.8)
    check = verification_line(deck)
    lines = [Bullet(deck.subtitle()), Bullet(check)]
    fitted = fit_text(lines, text_box(width, 2.8, bulleted=False), COVER_TEXT_SIZES)[0]
    failed = deck.verification is not None and not deck.verification.ok
    _write(subtitle, fitted, align=PP_ALIGN.CENTER, color=SUBTITLE_COLOR)
    if failed:
        for run in subtitle.text_frame.paragraphs[-1].runs:
            run.font.color.rgb = RGBColor(*FAILED_COLOR)
    _notes(
        slide,
        "contacts (recipient), health model, usage, tickets, surveys, subscriptions.\n" + check,
        fitted.shortened,
    )


def _section_slides(presentation, section: Section) -> None:  # noqa: ANN001
    pages = fit_text(section.bullets, BODY_BOX)
    for number, page in enumerate(pages):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        _title(slide, section.title if number == 0 else f"{section.title} (continued)")
        body = slide.placeholders[1]
        _place(body, MARGIN, BODY_TOP, CONTENT_WIDTH, BODY_HEIGHT)
        _write(body, page)
        _notes(slide, "; ".join(section.sources), page.shortened, _remarks(section))


def _remarks(section: Section) -> tuple[str, ...]:
    """Say who wrote the section: the model (verified) or the template, and why."""
    if section.note:
        return (section.note,)
    if section.written_by.startswith("model:"):
        name = section.written_by.removeprefix("model:")
        return (f"Written by the model {name} and verified against the account's facts.",)
    return ()


def _chart_slide(presentation, chart: Chart) -> None:  # noqa: ANN001
    from pptx.util import Inches

    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    _title(slide, chart.caption)
    # The charts are drawn at 2:1; fill the height below the title and centre them.
    height = SLIDE_HEIGHT - BODY_TOP - 0.3
    width = min(CONTENT_WIDTH, 2 * height)
    left = (SLIDE_WIDTH - width) / 2
    slide.shapes.add_picture(
        str(chart.path), Inches(left), Inches(BODY_TOP), Inches(width), Inches(height)
    )
    slide.notes_slide.notes_text_frame.text = f"Sources: {chart.source} ({chart.path.name})"
