"""Background tasks of the learning core (django-tasks). Tasks take ids, never instances."""

import base64
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from learning.conf import learning_settings

logger = logging.getLogger(__name__)

XAPI_VERSION = "1.0.3"


def _lrs_request(statement):
    endpoint = learning_settings.LEARNING_XAPI_LRS_ENDPOINT.rstrip("/") + "/statements"
    statement_id = statement["id"]
    request = urllib.request.Request(  # noqa: S310 - the endpoint is a configured http(s) URL
        f"{endpoint}?statementId={statement_id}",
        data=json.dumps(statement).encode(),
        method="PUT",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": XAPI_VERSION,
        },
    )
    username = learning_settings.LEARNING_XAPI_LRS_USERNAME
    if username:
        password = learning_settings.LEARNING_XAPI_LRS_PASSWORD
        credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {credentials}")
    return request


def retry_delay(attempt):
    """Exponential backoff: 30 s, 1 min, 2 min, ... capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** (attempt - 1), 3600))


@task()
def forward_statement(statement_pk, attempt=1):
    """Send one stored statement to the configured LRS (``PUT /statements?statementId=``,
    idempotent on the LRS side); on failure try again later, up to
    ``LEARNING_XAPI_LRS_MAX_ATTEMPTS`` times."""
    from learning.models import XAPIStatement

    if not learning_settings.LEARNING_XAPI_LRS_ENDPOINT:
        return "disabled"
    row = XAPIStatement.objects.filter(pk=statement_pk, forwarded_at__isnull=True).first()
    if row is None:
        return "nothing to do"
    statement = {**row.raw, "id": str(row.statement_id)}
    try:
        with urllib.request.urlopen(  # noqa: S310 - see _lrs_request
            _lrs_request(statement), timeout=learning_settings.LEARNING_XAPI_LRS_TIMEOUT
        ) as response:
            response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        status = getattr(error, "code", None)
        # 409: the LRS already holds this id (e.g. an earlier attempt timed out after
        # storing), which is what we wanted.
        if status != 409:
            return _retry_later(statement_pk, attempt, error)
    XAPIStatement.objects.filter(pk=statement_pk).update(forwarded_at=timezone.now())
    return "forwarded"


def _retry_later(statement_pk, attempt, error):
    max_attempts = learning_settings.LEARNING_XAPI_LRS_MAX_ATTEMPTS
    if attempt >= max_attempts:
        logger.error(
            "Giving up forwarding xAPI statement %s after %s attempts: %s",
            statement_pk,
            attempt,
            error,
        )
        return "gave up"
    logger.warning("Forwarding xAPI statement %s failed (%s); retrying", statement_pk, error)
    retry = forward_statement
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + retry_delay(attempt))
    transaction.on_commit(lambda: retry.enqueue(statement_pk, attempt + 1))
    return "retrying"


def _send_h5p_email(user, template, context):
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from learning.timezones import language_for_user

    with translation.override(language_for_user(user)):
        context = {
            **context,
            "user": user,
            "name": str(getattr(user, "profile", "") or user.get_full_name() or user.email),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string(f"learning/emails/{template}_subject.txt", context)
        body = render_to_string(f"learning/emails/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def _admin_url(name, *args):
    from django.conf import settings
    from django.urls import reverse

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=args)


@task()
def send_h5p_approval_request_emails(version_id):
    """Tell everyone who may install H5P libraries that an upload awaits their decision."""
    from django.contrib.auth import get_user_model

    from learning.h5p.services import INSTALL_PERMISSION
    from learning.models import H5PContentVersion

    version = (
        H5PContentVersion.objects.select_related("content", "uploaded_by")
        .filter(pk=version_id, status=H5PContentVersion.Status.AWAITING_APPROVAL)
        .first()
    )
    if version is None:
        return "nothing to do"
    approvers = (
        get_user_model()
        .objects.with_perm(
            INSTALL_PERMISSION,
            include_superusers=True,
            backend="learning.backends.CachedModelBackend",
        )
        .filter(is_active=True)
        .exclude(email="")
        .select_related("profile")
    )
    url = _admin_url("h5p_approvals:review", version.pk)
    sent = 0
    for approver in approvers:
        _send_h5p_email(approver, "h5p_approval_request", {"version": version, "url": url})
        sent += 1
    return f"sent {sent}"


@task()
def send_h5p_approval_decision_email(version_id):
    """Tell the uploader whether the libraries of their package were approved."""
    from learning.models import H5PContentVersion

    version = (
        H5PContentVersion.objects.select_related("content", "uploaded_by__profile")
        .filter(pk=version_id)
        .exclude(status=H5PContentVersion.Status.AWAITING_APPROVAL)
        .first()
    )
    if version is None or version.uploaded_by is None or not version.uploaded_by.email:
        return "nothing to do"
    url = _admin_url("h5p_content:edit", version.content_id)
    _send_h5p_email(version.uploaded_by, "h5p_approval_decision", {"version": version, "url": url})
    return "sent"
