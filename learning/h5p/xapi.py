"""Reading xAPI statements sent by the H5P player, and what each one means for progress.

Pure functions, no database: ``parse_statement`` validates one statement and extracts what
tracking needs; ``outcome`` applies the mapping table of H5P.md. Scores are computed in the
learner's browser: treat them as self-reported.
"""

import hashlib
import json
import math
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from learning.h5p.xapi_schema import StatementError, check_statement, load_body

__all__ = ["StatementError", "load_body", "parse_statement", "outcome"]

VERB_ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"
VERB_MASTERED = "http://adlnet.gov/expapi/verbs/mastered"
VERB_CONSUMED = "http://activitystrea.ms/schema/1.0/consume"
SCORED_VERBS = {VERB_ANSWERED, VERB_COMPLETED}
VERDICT_VERBS = {VERB_PASSED: True, VERB_FAILED: False, VERB_MASTERED: True}
LOCAL_CONTENT_ID = "http://h5p.org/x-api/h5p-local-content-id"
MAX_IRI_LENGTH = 1000
# H5P rounds scaled scores to 4 decimals; pass marks are compared with the same slack.
SCORE_TOLERANCE = 1e-3


@dataclass(frozen=True)
class Activity:
    page_id: int
    content_id: int


@dataclass(frozen=True)
class ParsedStatement:
    statement_id: uuid.UUID
    verb: str
    object_id: str
    activity: Activity
    sub_content_id: str
    question: str
    is_child: bool
    score: float | None  # raw / max, 0..1
    success: bool | None
    completion: bool | None
    version_hint: int | None
    body_sha256: str
    raw: dict


@dataclass(frozen=True)
class Outcome:
    """What a statement does to the learner's progress."""

    finishes_attempt: bool
    score: float | None = None
    success: bool | None = None


def site_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def activity_iri(page_id, content_id):
    """The xAPI object id issued for ``content_id`` placed on ``page_id``; H5P appends
    ``?subContentId=...`` for the questions inside it."""
    path = reverse("learning:h5p_activity", args=[page_id, content_id])
    return f"{site_url()}{path}"


def _activity_pattern():
    prefix = activity_iri(0, 0).rsplit("/0/0", 1)[0]
    return re.compile(re.escape(prefix) + r"/(\d{1,18})/(\d{1,18})(?:\?(.*))?\Z")


def parse_activity(object_id):
    """The activity an object id names, and its sub-content id ("" for the top level)."""
    match = _activity_pattern().match(object_id)
    if match is None:
        raise StatementError(
            _("object.id %(iri)s is not an activity issued by this site.") % {"iri": object_id}
        )
    sub_content_id = ""
    for part in (match.group(3) or "").split("&"):
        key, _sep, value = part.partition("=")
        if key == "subContentId":
            sub_content_id = value[:100]
    return Activity(int(match.group(1)), int(match.group(2))), sub_content_id


SERVER_SET = ("actor", "stored", "authority")


def canonical_sha256(statement):
    """Hash of what the learner's browser said, minus what the server sets (actor, stored,
    authority: always replaced)."""
    body = {key: value for key, value in statement.items() if key not in SERVER_SET}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _number(value, name):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise StatementError(_("%(name)s must be a number.") % {"name": name})
    return float(value)


def meets_pass_mark(score, pass_mark):
    """Whether a score (0..1) reaches a pass mark in percent; 29/100 reaches 29 although
    ``0.29 * 100`` is 28.999999999999996."""
    return score is not None and score * 100 >= pass_mark - SCORE_TOLERANCE


def _score(score_data):
    """The score the server keeps (0..1): raw / max when max > 0, else scaled.

    The numbers must agree with each other (xAPI 1.0.3: -1 <= scaled <= 1, min <= raw <=
    max; and scaled = raw / max as H5P computes it), else a learner could send "0 of 10,
    scaled 1" and have the one the server reads decide."""
    raw = _number(score_data.get("raw"), "result.score.raw")
    low = _number(score_data.get("min"), "result.score.min")
    high = _number(score_data.get("max"), "result.score.max")
    scaled = _number(score_data.get("scaled"), "result.score.scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        raise StatementError(_("result.score.scaled must be between -1 and 1."))
    # max == min (0 of 0) is what H5P sends for content without points: no score.
    if low is not None and high is not None and low > high:
        raise StatementError(_("result.score.max must not be below result.score.min."))
    if raw is not None and low is not None and raw < low:
        raise StatementError(_("result.score.raw must not be below result.score.min."))
    if raw is not None and high is not None and raw > high:
        raise StatementError(_("result.score.raw must not be above result.score.max."))
    if raw is not None and high is not None and high > 0:
        score = raw / high
        if scaled is not None and abs(scaled - score) > SCORE_TOLERANCE:
            raise StatementError(
                _("result.score.scaled does not match result.score.raw / result.score.max.")
            )
    elif scaled is not None:
        score = scaled
    else:
        return None
    return min(max(score, 0.0), 1.0)


def _language_map_text(value):
    if isinstance(value, dict):
        for key in ("en-US", "en", *value.keys()):
            text = value.get(key)
            if isinstance(text, str) and text.strip():
                return text.strip()
    return ""


def parse_statement(statement):
    """Validate one statement as H5P sends it; raise ``StatementError`` naming the part."""
    if not isinstance(statement, dict):
        raise StatementError(_("A statement must be a JSON object."))
    check_statement(statement)
    raw_id = statement.get("id")
    if raw_id is None:
        statement_id = uuid.uuid4()
        statement = {**statement, "id": str(statement_id)}
    else:
        try:
            statement_id = uuid.UUID(str(raw_id))
        except ValueError:
            raise StatementError(_("id must be a UUID.")) from None
    verb = statement.get("verb")
    verb_id = verb.get("id") if isinstance(verb, dict) else None
    if not isinstance(verb_id, str) or not verb_id or len(verb_id) > 255:
        raise StatementError(_("verb.id must be an IRI of at most 255 characters."))
    obj = statement.get("object")
    object_id = obj.get("id") if isinstance(obj, dict) else None
    if not isinstance(object_id, str) or not object_id or len(object_id) > MAX_IRI_LENGTH:
        raise StatementError(_("object.id must be an IRI of at most 1000 characters."))
    activity, sub_content_id = parse_activity(object_id)

    result = statement.get("result", {})
    if not isinstance(result, dict):
        raise StatementError(_("result must be a JSON object."))
    score_data = result.get("score", {})
    if not isinstance(score_data, dict):
        raise StatementError(_("result.score must be a JSON object."))
    score = _score(score_data)
    success = result.get("success")
    if success is not None and not isinstance(success, bool):
        raise StatementError(_("result.success must be true or false."))
    completion = result.get("completion")
    if completion is not None and not isinstance(completion, bool):
        raise StatementError(_("result.completion must be true or false."))

    context = statement.get("context", {})
    if not isinstance(context, dict):
        raise StatementError(_("context must be a JSON object."))
    context_activities = context.get("contextActivities", {})
    parents = context_activities.get("parent") if isinstance(context_activities, dict) else None
    is_child = bool(parents) or bool(sub_content_id)

    definition = obj.get("definition", {}) if isinstance(obj.get("definition"), dict) else {}
    extensions = definition.get("extensions") or {}
    version_hint = extensions.get(LOCAL_CONTENT_ID) if isinstance(extensions, dict) else None
    try:
        version_hint = int(version_hint) if version_hint is not None else None
    except (TypeError, ValueError):
        version_hint = None
    question = _language_map_text(definition.get("description")) or _language_map_text(
        definition.get("name")
    )
    return ParsedStatement(
        statement_id=statement_id,
        verb=verb_id,
        object_id=object_id,
        activity=activity,
        sub_content_id=sub_content_id,
        question=question[:500],
        is_child=is_child,
        score=score,
        success=success,
        completion=completion,
        version_hint=version_hint,
        body_sha256=canonical_sha256(statement),
        raw=statement,
    )


def outcome(parsed, pass_mark=None):
    """The H5P.md mapping table: does ``parsed`` finish an attempt, with what result?

    Where the activity has a ``pass_mark`` (percent), success is the stored score reaching
    it; a self-reported ``result.success`` counts only where there is none."""
    if parsed.is_child:
        return Outcome(finishes_attempt=False)
    if pass_mark is not None and (parsed.verb in SCORED_VERBS or parsed.verb in VERDICT_VERBS):
        # The course's rule decides, from the score the server keeps; the browser's own
        # verdict (result.success, or a "passed" verb) is self-reported and ignored.
        success = meets_pass_mark(parsed.score, pass_mark) if parsed.score is not None else None
        return Outcome(True, score=parsed.score, success=success)
    if parsed.verb in SCORED_VERBS:
        return Outcome(True, score=parsed.score, success=parsed.success)
    if parsed.verb in VERDICT_VERBS:
        return Outcome(True, score=parsed.score, success=VERDICT_VERBS[parsed.verb])
    if parsed.verb == VERB_CONSUMED or (parsed.completion is True and parsed.score is None):
        return Outcome(True)
    return Outcome(finishes_attempt=False)


def actor_for(user):
    """The actor stored and forwarded: the platform account, never what the browser said."""
    return {
        "objectType": "Agent",
        "account": {"homePage": site_url(), "name": str(user.pk)},
    }


def authority():
    """The ``authority`` of every stored statement: this site, which vouches for the actor
    (xAPI 1.0.3, 2.4.9: set by the LRS, never taken from the client)."""
    return {"objectType": "Agent", "account": {"homePage": site_url(), "name": "site"}}


def server_properties(statement, user, now):
    """``statement`` as stored: actor, ``stored`` and ``authority`` set by the server (and
    ``timestamp`` defaulting to ``stored``, as an LRS does)."""
    stored = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        **statement,
        "actor": actor_for(user),
        "stored": stored,
        "authority": authority(),
        "timestamp": statement.get("timestamp") or stored,
    }


def origin_of(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
