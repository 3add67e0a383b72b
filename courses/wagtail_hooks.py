from wagtail import hooks

from courses import permissions
from courses.admin_views import CourseAdminViewSet, course_page_buttons
from courses.panels import CoursesHomePanel, MyCoursesPanel


@hooks.register("learning_home_panels")
def courses_home_panel():
    return CoursesHomePanel


@hooks.register("learning_dashboard_panels")
def my_courses_panel():
    return MyCoursesPanel


hooks.register("learning_h5p_access", permissions.lesson_access_hook)


@hooks.register("learning_demo_data")
def build_demo_courses(context):
    # Imported by the load_demo_data command only: demo builders need factory-boy and
    # Faker, which web processes never load.
    from courses.demo import build_demo_courses

    build_demo_courses(context)


@hooks.register("learning_demo_data")
def build_demo_course_translations(context):
    from courses.demo_translations import build_demo_course_translations

    build_demo_course_translations(context)


@hooks.register("learning_demo_data")
def build_demo_course_season(context):
    # After the courses exist (hooks of one module run in the order they are registered).
    from courses.demo_season import build_demo_course_season

    build_demo_course_season(context)


@hooks.register("register_admin_viewset")
def register_course_admin():
    return CourseAdminViewSet()


@hooks.register("register_admin_viewset")
def register_course_reports():
    from courses.reports.viewsets import CourseReportViewSet

    return CourseReportViewSet()


hooks.register("register_page_header_buttons", course_page_buttons)
hooks.register("register_page_listing_more_buttons", course_page_buttons)


@hooks.register("learning_personal_data")
def course_personal_data():
    from courses.privacy import CoursePersonalData

    return CoursePersonalData()


@hooks.register("learning_programme_summary")
def courses_programme_summary():
    from courses.summary import CourseSummary

    return CourseSummary()


@hooks.register("construct_homepage_panels")
def add_admin_home_panel(request, panels):
    from courses.admin_home import add_panel

    add_panel(request, panels)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_lesson_completion_rule(request, page):
    from courses.admin_views import warn_required_activities_not_counted

    warn_required_activities_not_counted(request, page)
