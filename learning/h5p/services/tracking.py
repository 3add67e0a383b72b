"""Tracking H5P activities: statements in, progress out.

``record_statements`` is the only writer of ``XAPIStatement`` and ``ActivityProgress``.
Statements are validated and the learner's access checked for every activity they name
before anything is written; a batch is stored all or nothing.
"""

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from learning.conf import learning_settings
from learning.h5p import access
from learning.h5p.xapi import (
    StatementError,
    meets_pass_mark,
    outcome,
    parse_statement,
    server_properties,
)
from learning.models import (
    ActivityProgress,
    H5PContent,
    H5PContentVersion,
    H5PUserData,
    XAPIStatement,
)
from learning.signals import activity_completed


class StatementConflict(Exception):
    """A statement id already stored with a different body (HTTP 409)."""


class UserDataError(ValueError):
    """Resume state that cannot be stored; ``status`` is the HTTP status saying why (413:
    too large, 400: a name or a number of saved states the endpoint does not take)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


# H5P names saved data "state" (or a content type's own word) per sub-content id.
USER_DATA_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}\Z")


@dataclass
class RecordResult:
    stored: int = 0
    duplicates: int = 0
    # (ActivityProgress, pass mark of the activity) for every activity an attempt finished
    progress: list = field(default_factory=list)


def activity_done(progress, pass_mark=None):
    """Whether ``progress`` satisfies an activity block with ``pass_mark`` (percent):
    completed, and the best score the server kept reaches the pass mark (any finished
    attempt when there is no pass mark). A stored ``success`` never stands in for the
    score: it may be the browser's own verdict."""
    if progress is None or not progress.completed:
        return False
    if pass_mark is None:
        return True
    return meets_pass_mark(progress.best_score, pass_mark)


def record_statements(user, statements):
    """Store ``statements`` (one dict or a list) for ``user`` and update their progress.

    Raises ``StatementError`` (malformed, nothing stored), ``PermissionDenied`` (an
    activity the user may not take, nothing stored) or ``StatementConflict`` (an id reused
    with another body, nothing stored). Replayed statements are skipped. Sends
    ``activity_completed`` and enqueues LRS forwarding after commit.
    """
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise StatementError(_("Send one statement or a non-empty list of statements."))
    parsed = []
    for index, statement in enumerate(statements):
        try:
            parsed.append(parse_statement(statement))
        except StatementError as error:
            if len(statements) == 1:
                raise
            raise StatementError(
                _("Statement %(number)d: %(error)s") % {"number": index + 1, "error": error}
            ) from None
    context = _activity_context(user, parsed)
    # Statement ids are almost always new: insert straight away and look stored ids up
    # only when the unique constraint says some exist (a replay, or a concurrent request).
    try:
        return _store(user, parsed, context, check_existing=False)
    except IntegrityError:
        pass
    try:
        return _store(user, parsed, context, check_existing=True)
    except IntegrityError:
        # A concurrent request stored one of these ids between our lookup and insert.
        return _store(user, parsed, context, check_existing=True)


@dataclass
class _ActivityInfo:
    content: H5PContent
    page: Page
    pass_mark: int | None


def _activity_context(user, parsed):
    found = access.targets({(item.activity.page_id, item.activity.content_id) for item in parsed})
    context = {}
    for activity in {item.activity for item in parsed}:
        target = found[activity.page_id, activity.content_id]
        if target.placed is None or not access.may_take(
            user, target.content, target.page, placed=target.placed
        ):
            raise PermissionDenied(_("You may not take this activity."))
        context[activity] = _ActivityInfo(target.content, target.page, target.placed.pass_mark)
    return context


def _versions(parsed, context):
    known = {
        (info.content.pk, info.content.current_version_id): info.content.current_version
        for info in context.values()
    }
    older = {
        item.version_hint
        for item in parsed
        if item.version_hint and (context[item.activity].content.pk, item.version_hint) not in known
    }
    if older:
        known.update(
            ((version.content_id, version.pk), version)
            for version in H5PContentVersion.objects.filter(
                pk__in=older, content_id__in={info.content.pk for info in context.values()}
            )
        )

    def version_for(item):
        info = context[item.activity]
        return known.get((info.content.pk, item.version_hint)) or info.content.current_version

    return version_for


def _store(user, parsed, context, *, check_existing):
    version_for = _versions(parsed, context)
    existing = {}
    if check_existing:
        existing = {
            row.statement_id: row
            for row in XAPIStatement.objects.filter(
                statement_id__in=[item.statement_id for item in parsed]
            ).only("statement_id", "user_id", "body_sha256")
        }
    result = RecordResult()
    fresh = OrderedDict()
    for item in parsed:
        seen = existing.get(item.statement_id) or fresh.get(item.statement_id)
        if seen is None:
            fresh[item.statement_id] = item
            continue
        seen_user = seen.user_id if isinstance(seen, XAPIStatement) else user.pk
        if seen.body_sha256 != item.body_sha256 or seen_user != user.pk:
            raise StatementConflict(
                _("Statement %(id)s was already stored with different content.")
                % {"id": item.statement_id}
            )
        result.duplicates += 1
    rows = []
    outcomes = []
    now = timezone.now()
    for item in fresh.values():
        info = context[item.activity]
        effect = outcome(item, info.pass_mark)
        if effect.finishes_attempt and info.pass_mark is not None:
            success = effect.success  # the pass mark decided, never the browser
        else:
            success = item.success if effect.success is None else effect.success
        rows.append(
            XAPIStatement(
                statement_id=item.statement_id,
                user=user,
                content=info.content,
                page=info.page,
                version=version_for(item),
                verb=item.verb,
                object_id=item.object_id,
                sub_content_id=item.sub_content_id,
                question=item.question,
                is_child=item.is_child,
                is_terminal=effect.finishes_attempt,
                score=item.score,
                success=success,
                raw=server_properties(item.raw, user, now),
                body_sha256=item.body_sha256,
            )
        )
        if effect.finishes_attempt:
            outcomes.append((item, effect))
    result.stored = len(rows)
    with transaction.atomic():
        if len(rows) == 1:
            rows[0].save(force_insert=True)  # lighter than bulk_create for one row
        else:
            XAPIStatement.objects.bulk_create(rows)
        updated = _update_progress(user, outcomes, context, version_for)
        transaction.on_commit(lambda: _after_commit(user, updated, rows))
    result.progress = [(progress, info.pass_mark) for info, progress in updated]
    return result


def _update_progress(user, outcomes, context, version_for):
    """Apply finished attempts: one upsert per activity, which also locks its row."""
    finished = {}
    for item, effect in outcomes:
        attempts, _effect, success, best = finished.get(item.activity, (0, None, None, None))
        if effect.success is not None and success is not True:
            success = effect.success
        if effect.score is not None and (best is None or effect.score > best):
            best = effect.score
        # The last attempt's score and version are kept as the "last" ones.
        finished[item.activity] = (attempts + 1, (item, effect), success, best)
    now = timezone.now()
    updated = []
    for activity, (attempts, (item, effect), success, best) in finished.items():
        info = context[activity]
        progress = _upsert_progress(
            user=user,
            info=info,
            attempts=attempts,
            success=success,
            best_score=best,
            last_score=effect.score,
            version=version_for(item),
            now=now,
        )
        updated.append((info, progress))
    return updated


def _progress_upsert_sql(connection):
    """``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` for ``ActivityProgress``, valid on
    PostgreSQL and SQLite (>= 3.35): the ORM's upsert can only copy the new values, not add
    to the attempt count or keep the best score, and a select-then-update pair costs two
    more round trips on the busiest endpoint of the site.

    Kept because it pays: single statements/s 1.17-1.22 times those of the plain version
    (``select_for_update().get_or_create()``, then ``save()``), measured with
    ``bench/xapi_ingest.py --ab`` (README: "Speed-ups that remain, and why"). The rules,
    row by row: attempts are added; the first completion time is kept; the last score
    and version are replaced; the best score only rises; a pass is kept, and a failure
    only until the first verdict. The row's lock is taken by the upsert itself, so
    concurrent attempts of one learner each add to the count (tested)."""
    meta = ActivityProgress._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = [quote(field.column) for field in meta.concrete_fields]
    inserted = [column for column in columns if column != quote(meta.pk.column)]
    # Only identifiers from the model's metadata are interpolated; values are parameters.
    placeholders = ", ".join(["%s"] * len(inserted))
    return (
        f"INSERT INTO {table} ({', '.join(inserted)}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT (user_id, content_id, page_id) DO UPDATE SET "
        f"completed = excluded.completed, "
        f"attempts = {table}.attempts + excluded.attempts, "
        f"completed_at = COALESCE({table}.completed_at, excluded.completed_at), "
        f"last_version_id = excluded.last_version_id, "
        f"last_score = excluded.last_score, "
        f"best_score = CASE WHEN excluded.best_score IS NOT NULL AND ({table}.best_score IS NULL "
        f"OR excluded.best_score > {table}.best_score) THEN excluded.best_score "
        f"ELSE {table}.best_score END, "
        f"success = CASE WHEN excluded.success IS NOT NULL AND (excluded.success = %s "
        f"OR {table}.success IS NULL) THEN excluded.success ELSE {table}.success END, "
        f"updated_at = excluded.updated_at "
        f"RETURNING {', '.join(columns)}"
    )


def _upsert_progress(*, user, info, attempts, success, best_score, last_score, version, now):
    """Run ``_progress_upsert_sql`` with these values and return the row it leaves as an
    ``ActivityProgress``: the values go through the fields' own database preparation, and
    the returned columns through the backend's converters, as the ORM would do."""
    connection = transaction.get_connection()
    meta = ActivityProgress._meta
    values = {
        "user_id": user.pk,
        "content_id": info.content.pk,
        "page_id": info.page.pk,
        "completed": True,
        "success": success,
        "best_score": best_score,
        "last_score": last_score,
        "attempts": attempts,
        "completed_at": now,
        "last_version_id": getattr(version, "pk", None),
        "updated_at": now,
    }
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    params = [field.get_db_prep_save(values[field.attname], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_progress_upsert_sql(connection), [*params, True])
        row = cursor.fetchone()
    converted = []
    for model_field, value in zip(meta.concrete_fields, row, strict=True):
        column = model_field.get_col(meta.db_table)
        for converter in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = converter(value, column, connection)
        converted.append(value)
    progress = ActivityProgress.from_db(
        connection.alias, [field.attname for field in meta.concrete_fields], converted
    )
    progress.content, progress.page, progress.last_version = info.content, info.page, version
    return progress


def _after_commit(user, updated, rows):
    from learning import tasks

    for info, progress in updated:
        activity_completed.send(
            sender=ActivityProgress,
            user=user,
            content=info.content,
            page=info.page,
            progress=progress,
        )
    if learning_settings.LEARNING_XAPI_LRS_ENDPOINT:
        for row in rows:
            tasks.forward_statement.enqueue(row.pk)


def status_text(progress, pass_mark=None):
    """One line a learner reads under the activity."""
    if progress is None or not progress.attempts:
        return _("Not attempted yet.")
    attempts = ngettext("%(count)d attempt", "%(count)d attempts", progress.attempts) % {
        "count": progress.attempts
    }
    if pass_mark is not None and not activity_done(progress, pass_mark):
        # A learner reads "completed ... not reached" as done; say what to do instead.
        if progress.best_score is None:
            return _("Not passed yet — try again · %(attempts)s") % {"attempts": attempts}
        return _("Not passed yet — try again · best score %(best)d%% · %(attempts)s") % {
            "best": progress.best_percent,
            "attempts": attempts,
        }
    if progress.best_score is not None:
        text = _("Completed · best score %(best)d%% · %(attempts)s") % {
            "best": progress.best_percent,
            "attempts": attempts,
        }
    else:
        text = _("Completed · %(attempts)s") % {"attempts": attempts}
    if pass_mark is not None:
        text += " · " + _("passed")
    return text


def load_user_data(*, user_id, content, page_id, version, data_type, sub_content_id):
    """Saved resume state (a JSON string) for this version, or None."""
    row = (
        H5PUserData.objects.filter(
            user_id=user_id,
            content=content,
            page_id=page_id,
            data_type=data_type,
            sub_content_id=sub_content_id,
            version=version,
        )
        .only("data")
        .first()
    )
    return row.data if row else None


def save_user_data(*, user_id, content, page_id, version, data_type, sub_content_id, data):
    """Store resume state; ``data=None`` deletes it.

    Bounded per learner and activity: each saved state at most
    ``LEARNING_H5P_STATE_MAX_SIZE`` bytes, at most ``LEARNING_H5P_STATE_MAX_ROWS`` of them
    (data types × sub-contents); ``UserDataError`` otherwise, nothing stored."""
    if not USER_DATA_NAME_RE.match(data_type) or not USER_DATA_NAME_RE.match(sub_content_id):
        raise UserDataError(
            _(
                "The saved state's name may only contain letters, digits, “.”, “_” and “-” "
                "(at most 64)."
            )
        )
    rows = H5PUserData.objects.filter(user_id=user_id, content=content, page_id=page_id)
    this = {"data_type": data_type, "sub_content_id": sub_content_id}
    with transaction.atomic():
        if data is None:
            rows.filter(**this).delete()
            return
        limit = learning_settings.LEARNING_H5P_STATE_MAX_SIZE
        if len(data.encode()) > limit:
            raise UserDataError(
                _("The saved state is too large (at most %(limit)s).")
                % {"limit": filesizeformat(limit)},
                status=413,
            )
        most = learning_settings.LEARNING_H5P_STATE_MAX_ROWS
        if not rows.filter(**this).exists() and rows.count() >= most:
            raise UserDataError(
                ngettext(
                    "An activity may keep at most %(count)d saved state per learner.",
                    "An activity may keep at most %(count)d saved states per learner.",
                    most,
                )
                % {"count": most}
            )
        H5PUserData.objects.update_or_create(
            user_id=user_id,
            content=content,
            page_id=page_id,
            **this,
            defaults={"data": data, "version": version},
        )
