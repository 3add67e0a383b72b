"""What learners did in H5P activities: raw xAPI statements, per-learner progress and
resume state.

An activity is one H5P content placed on one Wagtail page: the same content on two pages
is two activities with separate progress. Rows are written by
``learning.h5p.services.tracking`` only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ActivityProgress(models.Model):
    """A learner's standing in one H5P activity (a content on a page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="h5p_progress",
        verbose_name=_("learner"),
    )
    content = models.ForeignKey(
        "learning.H5PContent",
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("H5P content"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )
    completed = models.BooleanField(_("completed"), default=False)
    success = models.BooleanField(_("passed"), null=True, blank=True)
    best_score = models.FloatField(
        _("best score"), null=True, blank=True, help_text=_("Between 0 and 1.")
    )
    last_score = models.FloatField(
        _("last score"), null=True, blank=True, help_text=_("Between 0 and 1.")
    )
    attempts = models.PositiveIntegerField(_("finished attempts"), default=0)
    completed_at = models.DateTimeField(_("first completed at"), null=True, blank=True)
    last_version = models.ForeignKey(
        "learning.H5PContentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version of the last attempt"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("H5P activity progress")
        verbose_name_plural = _("H5P activity progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content", "page"], name="unique_h5p_progress_per_activity"
            ),
            models.CheckConstraint(
                condition=Q(best_score__isnull=True) | Q(best_score__gte=0, best_score__lte=1),
                name="h5p_progress_best_score_0_1",
            ),
            models.CheckConstraint(
                condition=Q(last_score__isnull=True) | Q(last_score__gte=0, last_score__lte=1),
                name="h5p_progress_last_score_0_1",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.content} · {self.page_id}"

    @property
    def best_percent(self):
        return None if self.best_score is None else round(self.best_score * 100)

    @property
    def last_percent(self):
        return None if self.last_score is None else round(self.last_score * 100)


class XAPIStatement(models.Model):
    """One xAPI statement as the learner's browser sent it, stored once per statement id.

    The actor of ``raw`` is replaced by the authenticated learner before storing; the
    columns beside it are what reports and progress need without parsing JSON.
    """

    statement_id = models.UUIDField(_("statement id"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="xapi_statements",
        verbose_name=_("learner"),
    )
    content = models.ForeignKey(
        "learning.H5PContent",
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("H5P content"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    version = models.ForeignKey(
        "learning.H5PContentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("content version"),
    )
    verb = models.CharField(_("verb"), max_length=255)
    object_id = models.CharField(_("object id"), max_length=1000)
    sub_content_id = models.CharField(
        _("sub-content id"),
        max_length=100,
        blank=True,
        help_text=_("The question inside the activity, for child statements."),
    )
    question = models.CharField(_("question"), max_length=500, blank=True)
    is_child = models.BooleanField(_("about a part of the activity"), default=False)
    is_terminal = models.BooleanField(_("finished an attempt"), default=False)
    score = models.FloatField(_("score"), null=True, blank=True, help_text=_("Between 0 and 1."))
    success = models.BooleanField(_("success"), null=True, blank=True)
    raw = models.JSONField(_("statement"))
    body_sha256 = models.CharField(_("SHA-256 of the statement as sent"), max_length=64)
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True, db_index=True)
    forwarded_at = models.DateTimeField(_("forwarded to the LRS at"), null=True, blank=True)

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [
            models.Index(fields=["content", "page", "user"], name="xapi_stmt_activity_idx"),
            models.Index(fields=["content", "is_child"], name="xapi_stmt_content_child_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="xapi_statement_score_0_1",
            ),
        ]

    def __str__(self):
        return str(self.statement_id)


class H5PUserData(models.Model):
    """Resume state H5P saves while a learner works (``contentUserDataUrl``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("learner"),
    )
    content = models.ForeignKey(
        "learning.H5PContent",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("H5P content"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    version = models.ForeignKey(
        "learning.H5PContentVersion",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("content version"),
        help_text=_("State saved on one version is not offered to another."),
    )
    data_type = models.CharField(_("data type"), max_length=64)
    sub_content_id = models.CharField(_("sub-content id"), max_length=100, default="0")
    data = models.TextField(_("data"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("H5P resume state")
        verbose_name_plural = _("H5P resume states")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content", "page", "data_type", "sub_content_id"],
                name="unique_h5p_user_data",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.content} · {self.data_type}"
