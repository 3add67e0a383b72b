"""Demo courses for ``load_demo_data``: knowledge management for biodiversity, and
synergies between the Rio conventions. Idempotent: pages are found by slug."""

from wagtail.models import Locale

from courses import services
from courses.factories import grant_page_permissions
from courses.models import (
    CompletionRule,
    CourseIndexPage,
    CoursePage,
    EnrolmentMode,
    LessonPage,
    Level,
    ModulePage,
    Topic,
)
from learning.h5p.samples import ensure_demo_content
from learning.migration_utils import GROUP_COURSE_EDITORS

KM_COURSE = {
    "slug": "knowledge-management-for-biodiversity",
    "title": "Knowledge management for biodiversity",
    "summary": (
        "How national focal points and their partners find, share and use the knowledge "
        "needed to implement the Kunming-Montreal Global Biodiversity Framework."
    ),
    "overview": (
        "<p>Countries report on biodiversity, plan national strategies and learn from each "
        "other. Much of what they need to know already exists somewhere: in a ministry's "
        "files, in a scientist's dataset, in the memory of a community elder. This course "
        "introduces the practices that make such knowledge findable and usable.</p>"
    ),
    "outcomes": (
        "<ul><li>Explain the difference between data, information and knowledge.</li>"
        "<li>Map the knowledge your biodiversity work depends on.</li>"
        "<li>Choose a sharing practice (community of practice, after-action review, "
        "clearing-house) suited to a need.</li>"
        "<li>Plan a small knowledge-management improvement for your institution.</li></ul>"
    ),
    "audience": (
        "<p>National focal points, staff of environment ministries, clearing-house "
        "mechanism nodes and partner organisations. No prior training needed.</p>"
    ),
    "instructors": "<p>The capacity-building team of the secretariat.</p>",
    "topic": Topic.KNOWLEDGE_MANAGEMENT,
    "level": Level.BEGINNER,
    "effort_hours": 3,
    "sequential": True,
    "enrolment_mode": EnrolmentMode.OPEN,
    "modules": [
        (
            "Why knowledge management matters",
            "<p>What knowledge management is, and why the biodiversity agenda needs it.</p>",
            [
                (
                    "Data, information and knowledge",
                    CompletionRule.MANUAL,
                    [
                        (
                            "text",
                            "<p><b>Data</b> are raw observations: a species count from a "
                            "transect, a satellite pixel, a hectare figure in a forest "
                            "inventory. <b>Information</b> is data given context and "
                            "structure: a trend chart of the count over ten years. "
                            "<b>Knowledge</b> is what people can do with information: "
                            "knowing that the decline follows a change in grazing "
                            "practice, and which measures worked elsewhere.</p>"
                            "<p>Knowledge management (KM) is the set of practices that "
                            "help an organisation create, capture, share and apply that "
                            "knowledge. It concerns people and habits at least as much as "
                            "databases.</p>",
                        ),
                        (
                            "callout",
                            {
                                "kind": "tip",
                                "title": "Tacit and explicit knowledge",
                                "text": "<p>Explicit knowledge is written down. Tacit "
                                "knowledge lives in experience: how to convene a "
                                "difficult stakeholder meeting, which official to call. "
                                "Most of what matters is tacit.</p>",
                            },
                        ),
                    ],
                ),
                (
                    "Knowledge needs of the Global Biodiversity Framework",
                    CompletionRule.MANUAL,
                    [
                        (
                            "text",
                            "<p>The Kunming-Montreal Global Biodiversity Framework sets 23 "
                            "targets for 2030. Reaching them means updating national "
                            "biodiversity strategies and action plans (NBSAPs), reporting "
                            "on indicators, and learning quickly from what works.</p>"
                            "<p>Each of these steps depends on knowledge held by many "
                            "actors: statistics offices, research institutes, indigenous "
                            "peoples and local communities, the private sector. Target 21 "
                            "asks that the best available data, information and knowledge "
                            "be accessible to decision makers and the public.</p>",
                        ),
                    ],
                ),
                (
                    "Check your understanding",
                    CompletionRule.ACTIVITIES,
                    [
                        (
                            "text",
                            "<p>Answer the question below. The lesson is done when you "
                            "answer correctly.</p>",
                        ),
                        (
                            "h5p",
                            {
                                "content": (
                                    "KM quick check: data, information, knowledge",
                                    "A ten-year trend chart of a bird count is an example of…",
                                    ["Information", "Raw data", "Tacit knowledge"],
                                    0,
                                ),
                                "pass_mark": 100,
                                "required": True,
                            },
                        ),
                    ],
                ),
            ],
        ),
        (
            "Practices that work",
            "<p>Three practices that many biodiversity institutions have adopted.</p>",
            [
                (
                    "Communities of practice",
                    CompletionRule.MANUAL,
                    [
                        (
                            "text",
                            "<p>A community of practice is a group of people who share a "
                            "concern and deepen their expertise by interacting regularly: "
                            "for example, the officers in charge of national reporting in "
                            "a region. It needs a facilitator, a rhythm (a monthly call, a "
                            "mailing list) and a purpose members recognise.</p>"
                            "<p>Start small: invite ten people who already ask each other "
                            "questions, and make their answers findable for the next "
                            "person.</p>",
                        ),
                    ],
                ),
                (
                    "Learning after action",
                    CompletionRule.VIEWED,
                    [
                        (
                            "text",
                            "<p>An after-action review asks four questions once an "
                            "activity ends: What did we expect? What happened? Why was "
                            "there a difference? What will we do next time? Held within "
                            "days, in 30 minutes and without blame, it turns a workshop or "
                            "a reporting cycle into lessons the next team can use.</p>",
                        ),
                        (
                            "callout",
                            {
                                "kind": "note",
                                "title": "Record the answers",
                                "text": "<p>Store the four answers where the next team "
                                "will look, such as your clearing-house mechanism.</p>",
                            },
                        ),
                    ],
                ),
                (
                    "Clearing-house mechanisms",
                    CompletionRule.MANUAL,
                    [
                        (
                            "text",
                            "<p>The clearing-house mechanism (CHM) of the Convention on "
                            "Biological Diversity is a network of national websites that "
                            "publish biodiversity information: strategies, reports, "
                            "experts, case studies. A CHM works when it is curated: "
                            "someone decides what is published, tags it consistently and "
                            "retires what is out of date.</p>",
                        ),
                    ],
                ),
            ],
        ),
    ],
}

SYNERGIES_COURSE = {
    "slug": "synergies-between-the-rio-conventions",
    "title": "Synergies between the Rio conventions",
    "summary": (
        "How the conventions on biodiversity (CBD), climate change (UNFCCC) and "
        "desertification (UNCCD) can be implemented together at national level."
    ),
    "overview": (
        "<p>The three Rio conventions were born at the 1992 Earth Summit. Their national "
        "focal points often sit in different ministries, yet ecosystems, land and climate "
        "are one system. This course shows where the conventions meet and how countries "
        "plan, finance and report jointly.</p>"
    ),
    "outcomes": (
        "<ul><li>Describe the mandate of each Rio convention.</li>"
        "<li>Identify overlaps between national plans under the three conventions.</li>"
        "<li>Give examples of joint measures such as ecosystem-based adaptation and land "
        "degradation neutrality.</li></ul>"
    ),
    "audience": "<p>Focal points of the three conventions and planning officers.</p>",
    "instructors": "<p>The capacity-building team of the secretariat.</p>",
    "topic": Topic.RIO_SYNERGIES,
    "level": Level.INTERMEDIATE,
    "effort_hours": 4,
    "sequential": False,
    "enrolment_mode": EnrolmentMode.OPEN,
    "prerequisites": [KM_COURSE["slug"]],
    "modules": [
        (
            "Three conventions, one planet",
            "<p>The mandates of the conventions and where they overlap.</p>",
            [
                (
                    "The Rio conventions in brief",
                    CompletionRule.MANUAL,
                    [
                        (
                            "text",
                            "<p>The <b>Convention on Biological Diversity</b> (CBD) aims at "
                            "the conservation of biodiversity, its sustainable use and the "
                            "fair sharing of benefits from genetic resources. The <b>United "
                            "Nations Framework Convention on Climate Change</b> (UNFCCC) "
                            "aims to stabilise greenhouse gas concentrations; the Paris "
                            "Agreement operates under it. The <b>United Nations Convention "
                            "to Combat Desertification</b> (UNCCD) addresses land "
                            "degradation and drought, especially in drylands.</p>",
                        ),
                    ],
                ),
                (
                    "Where the agendas meet",
                    CompletionRule.MANUAL,
                    [
                        (
                            "text",
                            "<p>Healthy ecosystems store carbon, buffer communities "
                            "against droughts and floods and sustain species. Restoring a "
                            "degraded watershed can therefore count towards a national "
                            "biodiversity target, a nationally determined contribution "
                            "under the Paris Agreement and a land degradation neutrality "
                            "target at the same time.</p>",
                        ),
                        (
                            "callout",
                            {
                                "kind": "warning",
                                "title": "Trade-offs exist",
                                "text": "<p>Planting fast-growing exotic trees may store "
                                "carbon but harm native biodiversity and water "
                                "supplies. Synergy means checking all three goals.</p>",
                            },
                        ),
                    ],
                ),
                (
                    "Quick check: the conventions",
                    CompletionRule.ACTIVITIES,
                    [
                        (
                            "h5p",
                            {
                                "content": (
                                    "Rio synergies quick check",
                                    "Which convention addresses land degradation and drought?",
                                    ["UNCCD", "UNFCCC", "CBD"],
                                    0,
                                ),
                                "pass_mark": None,
                                "required": True,
                            },
                        ),
                    ],
                ),
            ],
        ),
        (
            "Working together at national level",
            "<p>Practical ways to plan, finance and report jointly.</p>",
            [
                (
                    "Joint planning",
                    CompletionRule.MANUAL,
                    [
                        (
                            "text",
                            "<p>Countries align their NBSAP, their nationally determined "
                            "contribution and national adaptation plan, and their land "
                            "degradation neutrality targets by sharing a steering "
                            "committee, a common map of priority areas, and the same "
                            "baseline data.</p>",
                        ),
                    ],
                ),
                (
                    "Reporting once, using many times",
                    CompletionRule.VIEWED,
                    [
                        (
                            "text",
                            "<p>National reports to the three conventions ask for "
                            "overlapping indicators, such as forest area and land cover "
                            "change. A shared national data platform lets each report "
                            "reuse the same figures, and knowledge management makes sure "
                            "the teams know of each other's work.</p>",
                        ),
                    ],
                ),
            ],
        ),
    ],
}


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    return page


def _body(blocks):
    body = []
    for block_type, value in blocks:
        if block_type == "h5p":
            title, question, answers, correct = value["content"]
            content = ensure_demo_content(title, question, answers, correct)
            value = {**value, "content": content}
        body.append((block_type, value))
    return body


def _build_course(index, spec):
    fields = {
        key: value for key, value in spec.items() if key not in ("slug", "modules", "prerequisites")
    }
    course = _child(index, CoursePage, spec["slug"], **fields)
    for prerequisite_slug in spec.get("prerequisites", []):
        # The English course: its translations share the slug.
        course.prerequisites.add(
            CoursePage.objects.get(slug=prerequisite_slug, locale=Locale.get_default())
        )
    course.save()
    lessons = []
    # The lessons' durations add up to the course's stated effort, as the course page says.
    count = sum(len(lesson_specs) for _title, _intro, lesson_specs in spec["modules"])
    share, extra = divmod(spec["effort_hours"] * 60, count)
    durations = iter([share + (1 if index < extra else 0) for index in range(count)])
    for number, (title, intro, lesson_specs) in enumerate(spec["modules"], start=1):
        module = _child(course, ModulePage, f"module-{number}", title=title, intro=intro)
        for lesson_number, (lesson_title, rule, blocks) in enumerate(lesson_specs, start=1):
            lessons.append(
                _child(
                    module,
                    LessonPage,
                    f"lesson-{number}-{lesson_number}",
                    title=lesson_title,
                    completion_rule=rule,
                    duration_minutes=next(durations),
                    body=_body(blocks),
                )
            )
    return course, lessons


def build_demo_courses(context):
    index = _child(
        context.home_page,
        CourseIndexPage,
        "courses",
        title="Courses",
        show_in_menus=True,
        intro="<p>Self-paced courses with short activities and a certificate at the end.</p>",
    )
    grant_page_permissions(index, GROUP_COURSE_EDITORS)
    km, km_lessons = _build_course(index, KM_COURSE)
    synergies, _lessons = _build_course(index, SYNERGIES_COURSE)
    # The demo learner is halfway through the KM course ("continue where you left off").
    learner = context.users["learner"]
    services.enrol(km, learner)
    for lesson in km_lessons[:2]:
        services.complete_lesson(lesson, learner)
    context.log(f"Courses: {km.title}, {synergies.title} ({index.url_path})")
