"""Sections courses contributes to the home page and to "My learning"."""

from courses import syllabus
from courses.models import CourseIndexPage, CoursePage, Enrolment
from learning.panels import Panel
from learning.translations import in_active_language, localized_map


class CoursesHomePanel(Panel):
    order = 100
    shared = True  # the same for everyone: public pages only
    template_name = "courses/panels/home_courses.html"

    def get_context_data(self):
        return {
            "courses": in_active_language(CoursePage.objects.live().public()).order_by("path")[:6],
            "catalogue": in_active_language(CourseIndexPage.objects.live().public()).first(),
        }


class MyCoursesPanel(Panel):
    """Enrolled courses with progress and the next lesson; completed courses. A fixed
    number of queries, whatever the number of enrolments and lessons."""

    order = 100
    template_name = "courses/panels/my_courses.html"

    def is_shown(self):
        return self.request.user.is_authenticated

    def get_context_data(self):
        user = self.request.user
        enrolments = list(
            Enrolment.objects.filter(
                user=user,
                status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.PENDING],
                course__live=True,
            )
            .select_related("course")
            .order_by("-last_seen_at", "-enrolled_at")
        )
        # Each course in the person's language when it is translated; the records are the
        # canonical course's, shared by its versions.
        shown = localized_map([enrolment.course for enrolment in enrolments])
        states = syllabus.course_states(shown.values(), user)
        in_progress, completed, pending = [], [], []
        for enrolment in enrolments:
            state = states[shown[enrolment.course_id].pk]
            if state.completion is not None:
                completed.append(state)
            elif enrolment.is_active:
                in_progress.append(state)
            else:
                pending.append(state)
        return {"in_progress": in_progress, "completed": completed, "pending": pending}
