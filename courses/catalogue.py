"""The catalogue page's context: filtered live courses with the learner's progress."""

from courses import syllabus
from courses.forms import CatalogueFilterForm
from courses.models import CoursePage
from learning.translations import canonical, in_active_language


def catalogue_context(index, request):
    form = CatalogueFilterForm(request.GET or None)
    # The catalogue in any language lists every course: in that language where it is
    # translated, else in the original's.
    source = canonical(index)
    courses = in_active_language(
        CoursePage.objects.filter(
            CoursePage.objects.child_of_q(index) | CoursePage.objects.child_of_q(source)
        )
        .live()
        .public()
    ).order_by("path")
    if form.is_bound and form.is_valid():
        courses = form.filter(courses)
    elif form.is_bound:
        courses = courses.none()
    courses = list(courses)
    user = request.user if request.user.is_authenticated else None
    states = syllabus.course_states(courses, user) if user else {}
    return {
        "filter_form": form,
        "cards": [(course, states.get(course.pk)) for course in courses],
    }
