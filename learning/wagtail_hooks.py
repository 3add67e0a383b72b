from wagtail import hooks


@hooks.register("learning_home_panels")
def regions_panel():
    from learning.workshops.panels import RegionsPanel

    return RegionsPanel


@hooks.register("register_admin_viewset")
def register_workshop_admin():
    from learning.workshops.viewsets import trainer_assignment_viewset, workshop_material_viewset

    return [workshop_material_viewset, trainer_assignment_viewset]


@hooks.register("learning_demo_data")
def build_workshop_demo(context):
    # Demo builders are imported by the load_demo_data command only (they need
    # factory-boy and Faker, which web processes never load).
    from learning.workshops.demo import build_workshops

    build_workshops(context)


@hooks.register("learning_demo_data")
def set_demo_learner_preferences(context):
    from learning.demo import set_demo_learner_preferences

    set_demo_learner_preferences(context)


@hooks.register("learning_demo_data")
def build_workshop_season_demo(context):
    # After the workshops exist (hooks of one module run in the order they are registered).
    from learning.workshops.demo_season import build_workshop_season

    build_workshop_season(context)


@hooks.register("register_admin_viewset")
def register_h5p_content_chooser():
    from learning.h5p.chooser import h5p_content_chooser_viewset

    return h5p_content_chooser_viewset


@hooks.register("register_admin_viewset")
def register_learning_admin():
    from learning.h5p.viewsets import learning_viewset_group

    return learning_viewset_group


@hooks.register("register_admin_viewset")
def register_certificate_admin():
    from learning.viewsets import certificate_viewset

    return certificate_viewset


@hooks.register("register_admin_viewset")
def register_h5p_reports():
    from learning.h5p.report_viewsets import h5p_report_viewset

    return h5p_report_viewset


@hooks.register("learning_dashboard_panels")
def h5p_results_panel():
    from learning.h5p.panels import ActivityResultsPanel

    return ActivityResultsPanel


@hooks.register("learning_demo_data")
def build_h5p_practice_demo(context):
    from learning.h5p.demo import build_practice_page

    build_practice_page(context)


@hooks.register("construct_reports_menu")
def hide_cross_cutting_reports(request, menu_items):
    from django.urls import reverse

    from learning.admin_scope import CROSS_CUTTING_REPORTS, is_scoped

    if is_scoped(request.user):
        hidden = {reverse(name) for name in CROSS_CUTTING_REPORTS if not name.endswith("_results")}
        menu_items[:] = [item for item in menu_items if item.url not in hidden]


@hooks.register("learning_personal_data")
def learning_personal_data():
    from learning.privacy.providers import LearningPersonalData

    return LearningPersonalData()


@hooks.register("register_admin_viewset")
def register_audit_log():
    from learning.privacy.viewsets import audit_log_viewset

    return audit_log_viewset


@hooks.register("register_admin_viewset")
def register_programme_summary():
    from learning.reports.summary import ProgrammeSummaryViewSet

    return ProgrammeSummaryViewSet()


@hooks.register("learning_programme_summary")
def workshops_programme_summary():
    from learning.workshops.summary import WorkshopSummary

    return WorkshopSummary()


@hooks.register("construct_homepage_panels")
def add_h5p_approvals_panel(request, panels):
    from learning.h5p.admin_home import add_panel

    add_panel(request, panels)


@hooks.register("construct_homepage_panels")
def add_admin_home_panel(request, panels):
    from learning.workshops.admin_home import add_panel

    add_panel(request, panels)


@hooks.register("register_admin_viewset")
def register_certificate_design_overrides():
    from learning.viewsets import certificate_design_override_viewset

    return certificate_design_override_viewset


@hooks.register("register_admin_viewset")
def register_workshop_reports():
    from learning.workshops.reports import WorkshopReportViewSet

    return WorkshopReportViewSet()


@hooks.register("register_admin_viewset")
def register_task_queue():
    from learning.task_queue_admin import TaskQueueViewSet

    return TaskQueueViewSet()
