"""Demo content for the regional workshops: the ``/workshops/`` index, one workshop per
region with an assigned demo trainer, and materials whose files the project generates
itself (a PDF handout made with fpdf2, an OpenDocument slide deck, a PNG photo made with
Pillow). Idempotent: existing pages, assignments and materials are kept as they are."""

import datetime
import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile

from learning.factories import TrainerAssignmentFactory, WorkshopIndexPageFactory
from learning.models import Region, WorkshopIndexPage, WorkshopPage, WorkshopTrainer
from learning.workshops import services

WORKSHOPS = [
    {
        "region": "africa",
        "trainer": "trainer_africa",
        "title": "Knowledge management for biodiversity: Africa regional workshop",
        "slug": "km-africa-nairobi-2026",
        "start_date": datetime.date(2026, 3, 10),
        "days": 3,
        "venue_city": "Nairobi",
        "venue_country": "KE",
        "languages": ["en", "fr"],
        "participants_count": 34,
        "trainers": [("Kwame Mensah", "Secretariat"), ("Awa Ndiaye", "UNEP-WCMC")],
        "topic": "national clearing-house mechanisms",
    },
    {
        "region": "asia-pacific",
        "trainer": "trainer_asia",
        "title": "Knowledge management for biodiversity: Asia and the Pacific workshop",
        "slug": "km-asia-pacific-bangkok-2026",
        "start_date": datetime.date(2026, 5, 18),
        "days": 3,
        "venue_city": "Bangkok",
        "venue_country": "TH",
        "languages": ["en"],
        "participants_count": 29,
        "trainers": [("Priya Raman", "Secretariat")],
        "topic": "synergies between the Rio conventions",
    },
    {
        "region": "latin-america-caribbean",
        "trainer": "trainer_lac",
        "title": "Gestion del conocimiento para la biodiversidad: taller regional",
        "slug": "km-lac-bogota-2026",
        "start_date": datetime.date(2026, 7, 6),
        "days": 2,
        "venue_city": "Bogota",
        "venue_country": "CO",
        "languages": ["es", "en"],
        "participants_count": 31,
        "trainers": [("Lucia Fernandez", "Secretariat")],
        "topic": "knowledge sharing",
    },
    {
        "region": "central-eastern-europe",
        "trainer": "trainer_cee",
        "title": "Knowledge management for biodiversity: Central and Eastern Europe (online)",
        "slug": "km-cee-online-2026",
        "start_date": datetime.date(2026, 9, 15),
        "days": 2,
        "is_online": True,
        "languages": ["en", "ru"],
        "participants_count": 42,
        "trainers": [("Jana Novak", "Secretariat")],
        "topic": "national reporting",
    },
]


def build_workshops(context):
    """The hook's builder: see the module docstring."""
    index = WorkshopIndexPage.objects.first()
    if index is None:
        index = WorkshopIndexPageFactory(
            parent=context.home_page,
            intro=(
                "<p>Materials of the regional knowledge-management training workshops, "
                "uploaded by their trainers.</p>"
            ),
        )
        context.log("Created the workshops index at /workshops/.")
    for spec in WORKSHOPS:
        trainer = context.users[spec["trainer"]]
        region = Region.objects.get(slug=spec["region"])
        TrainerAssignmentFactory(user=trainer, region=region)
        workshop = WorkshopPage.objects.filter(slug=spec["slug"]).first()
        if workshop is None:
            workshop = _create_workshop(index, region, spec)
            context.log(f"Created the workshop “{workshop.title}”.")
        _add_materials(workshop, trainer, spec)
    africa = WorkshopPage.objects.get(slug=WORKSHOPS[0]["slug"])
    services.add_participants(
        africa,
        [context.users["learner"].email],
        user=context.users[WORKSHOPS[0]["trainer"]],
    )


def _create_workshop(index, region, spec):
    start = spec["start_date"]
    workshop = WorkshopPage(
        title=spec["title"],
        slug=spec["slug"],
        region=region,
        start_date=start,
        end_date=start + datetime.timedelta(days=spec["days"] - 1),
        is_online=spec.get("is_online", False),
        venue_city=spec.get("venue_city", ""),
        venue_country=spec.get("venue_country", ""),
        languages=spec["languages"],
        participants_count=spec["participants_count"],
        description=(
            f"<p>A hands-on workshop for national focal points and their teams on "
            f"{spec['topic']}: mapping who knows what, capturing lessons learned and "
            f"sharing them through national clearing-house mechanisms.</p>"
        ),
        agenda=(
            "<ol><li>Day 1: why knowledge management, stakeholder mapping</li>"
            "<li>Day 2: capturing and curating knowledge, case studies</li>"
            "<li>Last day: action plans and peer review</li></ol>"
        ),
    )
    workshop.trainers = [
        WorkshopTrainer(name=name, affiliation=affiliation)
        for name, affiliation in spec["trainers"]
    ]
    index.add_child(instance=workshop)
    return workshop


def _add_materials(workshop, trainer, spec):
    existing = set(workshop.materials.values_list("title", flat=True))
    place = "Online" if spec.get("is_online") else spec["venue_city"]
    language = spec["languages"][0]
    materials = [
        {
            "title": "Participant handout",
            "kind": "handout",
            "filename": "participant-handout.pdf",
            "data": lambda: handout_pdf(spec["title"], place, spec["topic"]),
            "visibility": "public",
            "description": f"Key ideas and exercises of the workshop on {spec['topic']}.",
        },
        {
            "title": "Opening slides",
            "kind": "slides",
            "filename": "opening-slides.odp",
            "data": lambda: slide_deck_odp(spec["title"], spec["topic"]),
            "visibility": "public",
            "description": "The slides that opened the workshop.",
        },
        {
            "title": "Group photo",
            "kind": "photo",
            "filename": "group-photo.png",
            "data": lambda: photo_png(f"{place} {spec['start_date'].year}"),
            "visibility": "participants",
            "description": "The participants on the last day.",
        },
    ]
    for material in materials:
        if material["title"] in existing:
            continue
        services.add_material(
            workshop,
            SimpleUploadedFile(material["filename"], material["data"]()),
            user=trainer,
            title=material["title"],
            kind=material["kind"],
            language=language,
            visibility=material["visibility"],
            description=material["description"],
            topics=[spec["topic"], "knowledge management"],
        )


# --- generated files ---------------------------------------------------------------------


def handout_pdf(title, place, topic):
    """A two-page PDF handout made with fpdf2 (core fonts: the demo text is Latin-1)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author("Capacity Building Platform")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, f"Participant handout - {place}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    sections = [
        (
            "Why knowledge management",
            f"Knowledge about biodiversity is scattered across ministries, research "
            f"institutes and communities. This workshop on {topic} helps national teams "
            f"find it, keep it and share it.",
        ),
        (
            "Exercise 1: who knows what",
            "List the people and organisations who hold knowledge your national report "
            "needs. For each, note what they know, how you reach them and how often.",
        ),
        (
            "Exercise 2: capture a lesson learned",
            "Pick one project from the last two years. In half a page, write what worked, "
            "what did not, and what you would advise a colleague in another country.",
        ),
        (
            "Exercise 3: an action plan",
            "Choose three actions for the next six months, each with an owner and a date.",
        ),
    ]
    for heading, text in sections:
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, "Notes", new_x="LMARGIN", new_y="NEXT")
    for _ in range(20):
        pdf.cell(0, 9, "_" * 80, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def slide_deck_odp(title, topic):
    """A small OpenDocument presentation: the mimetype entry first and stored, a manifest
    and the slides' content, which is all LibreOffice and PowerPoint need to open it."""
    slides = [
        (title, "Welcome, objectives and agenda"),
        ("Why knowledge management?", f"Focus of this workshop: {topic}"),
        ("Stakeholder mapping", "Who holds the knowledge your national report needs?"),
        ("Next steps", "Action plans, peer review and the online community"),
    ]
    pages = "".join(
        f'<draw:page draw:name="Slide {number}" draw:master-page-name="Default">'
        f'<draw:frame svg:x="1.5cm" svg:y="1.5cm" svg:width="25cm" svg:height="3cm">'
        f"<draw:text-box><text:p>{escape(heading)}</text:p></draw:text-box></draw:frame>"
        f'<draw:frame svg:x="1.5cm" svg:y="6cm" svg:width="25cm" svg:height="10cm">'
        f"<draw:text-box><text:p>{escape(body)}</text:p></draw:text-box></draw:frame>"
        f"</draw:page>"
        for number, (heading, body) in enumerate(slides, start=1)
    )
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
        'office:version="1.3"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces}>'
        f"<office:body><office:presentation>{pages}</office:presentation></office:body>"
        f"</office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {namespaces}>'
        f"<office:master-styles>"
        f'<style:master-page style:name="Default"/></office:master-styles>'
        f"</office:document-styles>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        'manifest:media-type="application/vnd.oasis.opendocument.presentation"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.presentation",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", content)
        archive.writestr("styles.xml", styles)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def photo_png(caption):
    """A stand-in group photo drawn with Pillow: people as coloured figures on a lawn."""
    from PIL import Image, ImageDraw

    width, height = 960, 540
    image = Image.new("RGB", (width, height), (186, 220, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 0.62, width, height], fill=(96, 160, 88))
    colours = [(204, 85, 0), (0, 102, 153), (153, 51, 102), (230, 180, 40), (40, 120, 80)]
    for row, (y, size) in enumerate(((250, 34), (320, 40))):
        for column in range(11):
            x = 70 + column * 82 + (row * 40)
            colour = colours[(column + row) % len(colours)]
            draw.ellipse([x - size / 2, y - size, x + size / 2, y], fill=(120, 84, 60))
            draw.rounded_rectangle([x - size * 0.7, y + 4, x + size * 0.7, y + 120], 12, colour)
    draw.rectangle([0, height - 48, width, height], fill=(255, 255, 255))
    draw.text((20, height - 36), caption, fill=(20, 20, 20), font_size=24)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
