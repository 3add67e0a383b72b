"""Course pages (catalogue, course, module, lesson), enrolment and completion records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import lesson_body_blocks


class Topic(models.TextChoices):
    KNOWLEDGE_MANAGEMENT = "knowledge-management", _("Knowledge management")
    RIO_SYNERGIES = "rio-synergies", _("Synergies between the Rio conventions")
    BIODIVERSITY = "biodiversity", _("Biodiversity")
    CLIMATE = "climate", _("Climate change")
    LAND = "land", _("Land degradation and desertification")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class EnrolmentMode(models.TextChoices):
    OPEN = "open", _("Open: anyone signed in can enrol")
    APPROVAL = "approval", _("Approval: course editors approve each request")
    CLOSED = "closed", _("Closed: no new enrolments")


class CourseIndexPage(Page):
    """The course catalogue."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["learning.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from courses import catalogue

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue.catalogue_context(self, request))
        return context


class CoursePage(Page):
    """A self-paced course: its modules hold the lessons, in the order editors give them."""

    # The admin lists children in syllabus order, not "last updated first".
    admin_default_ordering = "ord"

    summary = models.TextField(_("summary"), max_length=400, help_text=_("Shown on cards."))
    overview = RichTextField(_("overview"))
    outcomes = RichTextField(
        _("learning outcomes"), blank=True, help_text=_("What learners can do afterwards.")
    )
    audience = RichTextField(_("audience"), blank=True)
    instructors = RichTextField(_("instructors"), blank=True)
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    effort_hours = models.PositiveSmallIntegerField(
        _("estimated effort (hours)"), help_text=_("Total hours a learner needs.")
    )
    regions = ParentalManyToManyField(
        "learning.Region",
        blank=True,
        related_name="courses",
        verbose_name=_("relevant regions"),
        help_text=_("Leave empty when the course is relevant to every region."),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        verbose_name=_("prerequisite courses"),
        help_text=_("Learners must complete these courses before enrolling."),
    )
    enrolment_mode = models.CharField(
        _("enrolment"), max_length=20, choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN
    )
    sequential = models.BooleanField(
        _("sequential"),
        default=False,
        help_text=_("A lesson opens only once the lessons before it are done."),
    )
    issuer = models.CharField(
        _("certificate issuer"),
        max_length=255,
        default="Capacity Building Platform",
        help_text=_("Printed on certificates."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("overview"),
        FieldPanel("outcomes"),
        FieldPanel("audience"),
        FieldPanel("instructors"),
        MultiFieldPanel(
            [
                FieldPanel("topic"),
                FieldPanel("language"),
                FieldPanel("level"),
                FieldPanel("effort_hours"),
                FieldPanel("regions"),
            ],
            heading=_("Catalogue"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("enrolment_mode"),
                FieldPanel("prerequisites"),
                FieldPanel("sequential"),
                FieldPanel("issuer"),
            ],
            heading=_("Enrolment and completion"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("overview"),
        index.SearchField("outcomes"),
        index.FilterField("topic"),
        index.FilterField("language"),
        index.FilterField("level"),
        index.FilterField("effort_hours"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def get_context(self, request, *args, **kwargs):
        from courses import syllabus

        context = super().get_context(request, *args, **kwargs)
        context.update(syllabus.course_context(self, request.user))
        return context


class ModulePage(Page):
    """A group of lessons inside a course; editors reorder modules and lessons in the tree."""

    # The admin lists children in syllabus order, not "last updated first".
    admin_default_ordering = "ord"

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def serve(self, request, *args, **kwargs):
        # A module has no page of its own: its lessons are listed in the course syllabus.
        from django.shortcuts import redirect

        course = self.get_parent()
        return redirect(f"{course.url}#module-{self.pk}")


class CompletionRule(models.TextChoices):
    ACTIVITIES = "activities", _("All required H5P activities are completed")
    MANUAL = "manual", _("The learner marks the lesson as done")
    VIEWED = "viewed", _("The learner opens the lesson")


class LessonPage(Page):
    body = StreamField(lesson_body_blocks(), verbose_name=_("body"), use_json_field=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=20,
        choices=CompletionRule.choices,
        default=CompletionRule.MANUAL,
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Required lessons count towards completion.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("duration_minutes"), FieldPanel("completion_rule"), FieldPanel("required")],
            heading=_("Completion"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    # Opening a lesson records the visit (and may complete it): every GET is served afresh.
    keep_for_signed_in = False

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_course(self):
        if not hasattr(self, "_course"):
            self._course = CoursePage.objects.ancestor_of(self).first()
        return self._course

    def serve(self, request, *args, **kwargs):
        from courses.views import serve_lesson

        return serve_lesson(self, request, super().serve, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses import syllabus

        context = super().get_context(request, *args, **kwargs)
        context.update(syllabus.lesson_context(self, request.user))
        # Learners' pages follow their progress live; previews and the editor view record
        # nothing, so there is nothing to follow.
        context["tracked"] = context["lesson_state"] is not None and not (
            getattr(request, "is_preview", False) or getattr(request, "learning_editor_view", False)
        )
        return context


class Enrolment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        ACTIVE = "active", _("Enrolled")
        REJECTED = "rejected", _("Request declined")
        WITHDRAWN = "withdrawn", _("Unenrolled")

    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("learner"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("note to the learner"), blank=True)
    withdrawn_at = models.DateTimeField(_("unenrolled at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        LessonPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last lesson opened"),
    )
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_enrolment_per_course"),
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self):
        return f"{self.user} – {self.course} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class LessonCompletion(models.Model):
    """A learner finished a lesson. Kept when they unenrol, so re-enrolling resumes."""

    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="completions", verbose_name=_("lesson")
    )
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.CASCADE,
        related_name="lesson_completions",
        verbose_name=_("course"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_completions",
        verbose_name=_("learner"),
    )
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        ordering = ["completed_at"]
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "user"], name="one_completion_per_lesson"),
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self):
        return f"{self.user} – {self.lesson}"


class CourseCompletion(models.Model):
    """A learner completed every required lesson of a course. Never removed when editors
    later add lessons: an achievement, once reached, stays."""

    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="completions", verbose_name=_("course")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_completions",
        verbose_name=_("learner"),
    )
    started_at = models.DateTimeField(_("started at"))
    completed_at = models.DateTimeField(_("completed at"))
    certificate = models.ForeignKey(
        "learning.Certificate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate"),
    )

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_completion_per_course"),
        ]

    def __str__(self):
        return f"{self.user} – {self.course}"

    @property
    def duration(self):
        return self.completed_at - self.started_at
