"""Read side of courses: the ordered lessons of courses and a learner's state in them.

Every function here runs a fixed number of queries, whatever the number of courses,
modules and lessons, so catalogue, course, lesson and dashboard pages stay cheap.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from courses.models import (
    CompletionRule,
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
)
from learning.page_cache import cached_for_pages
from learning.translations import canonical_map


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self):
        return self.total > 0 and self.done >= self.total


@dataclass
class LessonState:
    lesson: LessonPage  # the version shown: in the course page's language when it exists
    module: ModulePage
    number: int
    done: bool = False
    locked: bool = False
    key: int | None = None  # the canonical lesson's pk, which progress is stored against

    def __post_init__(self):
        if self.key is None:
            self.key = self.lesson.pk


@dataclass
class CourseState:
    """One learner's view of one course."""

    course: CoursePage  # the version shown
    modules: list  # [(ModulePage, [LessonState, ...]), ...]
    lessons: list  # [LessonState, ...] in syllabus order
    enrolment: Enrolment | None = None
    completion: CourseCompletion | None = None
    by_id: dict = field(default_factory=dict)

    @property
    def progress(self):
        required = [state for state in self.lessons if state.lesson.required]
        return Progress(sum(state.done for state in required), len(required))

    @property
    def enrolled(self):
        return self.enrolment is not None and self.enrolment.is_active

    @property
    def syllabus_key(self):
        """What the syllabus shows of the learner, besides pages: whether they are enrolled
        and each lesson done, locked or open. Learners with the same key see the same
        syllabus, shared through the cache (``includes_syllabus.html``)."""
        marks = "".join("d" if s.done else "l" if s.locked else "o" for s in self.lessons)
        return f"{self.course.pk}:{'enrolled' if self.enrolled else '-'}:{marks}"

    @property
    def effort(self):
        """``(hours, minutes)`` the live lessons take when every one of them has a
        duration, else None (then the course's own estimate stands)."""
        minutes = [state.lesson.duration_minutes for state in self.lessons]
        if not minutes or None in minutes:
            return None
        return divmod(sum(minutes), 60)

    @property
    def next_lesson(self):
        """Where the learner left off: the lesson they opened last if it is not done yet,
        else the first lesson not done and not locked."""
        last = self.by_id.get(self.enrolment.last_lesson_id) if self.enrolment else None
        if last is not None and not last.done and not last.locked:
            return last
        for state in self.lessons:
            if not state.done and not state.locked:
                return state
        return None

    def neighbours(self, lesson):
        current = self.by_id[lesson.pk]
        index = next(i for i, state in enumerate(self.lessons) if state is current)
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following


def _structure(courses):
    """Live modules and lessons of ``courses`` in syllabus (tree) order: two queries, or
    none while the cache holds them (they are the same for every learner and change only
    with the pages, see ``learning.page_cache``)."""
    if not courses:
        return {}
    key = "syllabus:" + ",".join(str(pk) for pk in sorted(course.pk for course in courses))
    return cached_for_pages(key, lambda: _read_structure(courses))


def _read_structure(courses):
    prefix = reduce(or_, (Q(path__startswith=course.path) for course in courses))
    modules = list(ModulePage.objects.live().filter(prefix).order_by("path"))
    lessons = list(LessonPage.objects.live().filter(prefix).defer("body").order_by("path"))
    result = {course.pk: [] for course in courses}
    course_by_path = {course.path: course for course in courses}
    module_by_path = {}
    for module in modules:
        course = course_by_path.get(module.path[: -module.steplen])
        if course is not None:
            module_by_path[module.path] = module
            result[course.pk].append((module, []))
    lessons_by_module = {module.pk: group for groups in result.values() for module, group in groups}
    for lesson in lessons:
        module = module_by_path.get(lesson.path[: -lesson.steplen])
        if module is not None:
            lessons_by_module[module.pk].append(lesson)
    return result


def _versions(model, pages, locale_ids):
    """``{(translation_key, locale_id): version}``: the live versions of ``pages`` in
    ``locale_ids`` (one query; a page has one version per locale)."""
    if not pages or not locale_ids:
        return {}
    versions = model.objects.live().filter(
        translation_key__in={page.translation_key for page in pages}, locale_id__in=locale_ids
    )
    if model is LessonPage:
        versions = versions.defer("body")
    return {(version.translation_key, version.locale_id): version for version in versions}


def _localized(structure, locale_id, modules, lessons):
    """The canonical course's syllabus ``structure`` shown in ``locale_id``: each module and
    lesson replaced by its version there when there is one, paired with the canonical
    lesson. Rules (order, required lessons) stay the canonical course's, so progress is
    the same in every language."""
    return [
        (
            modules.get((module.translation_key, locale_id), module),
            [
                (lessons.get((lesson.translation_key, locale_id), lesson), lesson)
                for lesson in group
            ],
        )
        for module, group in structure
    ]


def course_states(courses, user):
    """``{course.pk: CourseState}`` for ``user`` (anonymous: nothing done, all locked).

    A course shown in another language than its canonical version (``learning.translations``)
    shares the canonical course's enrolment, progress and completion: the syllabus and
    the records are the canonical course's, the titles and links its own language's."""
    courses = list(courses)
    sources = canonical_map(courses)
    structure = _structure(list({source.pk: source for source in sources.values()}.values()))
    course_ids = list({source.pk for source in sources.values()})
    enrolments, done_ids, completions = {}, set(), {}
    if user is not None and user.is_authenticated and course_ids:
        enrolments = {
            enrolment.course_id: enrolment
            for enrolment in Enrolment.objects.filter(user=user, course_id__in=course_ids)
        }
        done_ids = set(
            LessonCompletion.objects.filter(user=user, course_id__in=course_ids).values_list(
                "lesson_id", flat=True
            )
        )
        completions = {
            completion.course_id: completion
            for completion in CourseCompletion.objects.filter(user=user, course_id__in=course_ids)
        }
    translated = [course for course in courses if sources[course.pk].pk != course.pk]
    locale_ids = {course.locale_id for course in translated}
    sources_shown = [structure[sources[course.pk].pk] for course in translated]
    local_modules = _versions(ModulePage, [m for st in sources_shown for m, _g in st], locale_ids)
    local_lessons = _versions(
        LessonPage, [lesson for st in sources_shown for _m, g in st for lesson in g], locale_ids
    )
    states = {}
    for course in courses:
        source = sources[course.pk]
        enrolment = enrolments.get(source.pk)
        active = enrolment is not None and enrolment.is_active
        if source.pk == course.pk:
            shown = [
                (module, [(lesson, lesson) for lesson in group])
                for module, group in structure[source.pk]
            ]
        else:
            shown = _localized(structure[source.pk], course.locale_id, local_modules, local_lessons)
        modules, flat, blocked = [], [], False
        for module, lessons in shown:
            entries = []
            for lesson, rule in lessons:
                done = rule.pk in done_ids
                state = LessonState(
                    lesson=lesson,
                    module=module,
                    number=len(flat) + 1,
                    done=done,
                    locked=not active or (source.sequential and blocked),
                    key=rule.pk,
                )
                if rule.required and not done:
                    blocked = True
                entries.append(state)
                flat.append(state)
            modules.append((module, entries))
        by_id = {state.key: state for state in flat}
        by_id.update({state.lesson.pk: state for state in flat})
        states[course.pk] = CourseState(
            course=course,
            modules=modules,
            lessons=flat,
            enrolment=enrolment,
            completion=completions.get(source.pk),
            by_id=by_id,
        )
    return states


def course_state(course, user):
    return course_states([course], user)[course.pk]


def course_context(course, user):
    from courses import services

    prerequisites = services.prerequisite_status(course, user)
    state = course_state(course, user)
    missing = [prerequisite for prerequisite, done in prerequisites if not done]
    completed = state.completion is not None
    return {
        "state": state,
        "prerequisites": prerequisites,
        "enrolment": services.enrolment_options(
            course, user, state.enrolment, missing, completed=completed
        ),
        "next_courses": services.next_courses(course) if completed else [],
    }


@dataclass(frozen=True)
class UnpassedActivity:
    content: object  # H5PContent
    pass_mark: int
    best_percent: int


def unpassed_activities(lesson, user):
    """The required H5P activities of ``lesson`` that ``user`` finished without reaching
    the block's pass mark, in page order: what to try again. Two queries at most."""
    from learning.h5p.access import page_activities
    from learning.h5p.services import activity_done
    from learning.models import ActivityProgress, H5PContent

    if user is None or not user.is_authenticated:
        return []
    marked = [a for a in page_activities(lesson) if a.required and a.pass_mark is not None]
    if not marked:
        return []
    rows = {
        row.content_id: row
        for row in ActivityProgress.objects.filter(
            user=user, page_id=lesson.pk, content_id__in=[a.content_id for a in marked]
        )
    }
    failed = [
        (activity, rows[activity.content_id])
        for activity in marked
        if activity.content_id in rows
        and rows[activity.content_id].completed
        and not activity_done(rows[activity.content_id], activity.pass_mark)
    ]
    if not failed:
        return []
    contents = H5PContent.objects.in_bulk([activity.content_id for activity, _row in failed])
    return [
        UnpassedActivity(
            content=contents[activity.content_id],
            pass_mark=activity.pass_mark,
            best_percent=row.best_percent or 0,
        )
        for activity, row in failed
        if activity.content_id in contents
    ]


def lesson_context(lesson, user):
    course = lesson.get_course()
    state = getattr(lesson, "learner_state", None) or course_state(course, user)
    previous, following = state.neighbours(lesson) if lesson.pk in state.by_id else (None, None)
    current = state.by_id.get(lesson.pk)
    retry = (
        unpassed_activities(lesson, user)
        if current is not None
        and not current.done
        and lesson.completion_rule == CompletionRule.ACTIVITIES
        else []
    )
    return {
        "course": course,
        "state": state,
        "lesson_state": current,
        "previous_lesson": previous,
        "next_lesson": following,
        "unpassed_activities": retry,
    }
