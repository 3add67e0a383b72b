"""xAPI 1.0.3 conformance of what the statement endpoint accepts, and bounds on the JSON it
reads.

``load_body`` parses a request body with the bounds applied while parsing (nesting depth,
number size, no NaN or Infinity), so that no body makes the parser or what follows it
fail. ``check_statement`` checks one statement against the essentials of xAPI 1.0.3
(Data, section 2.4) that an LRS the statements are forwarded to would check: known
properties only, IRIs where IRIs belong, language maps, ISO 8601 durations and
timestamps, version 1.0.x, a consistent score. Every refusal is a ``StatementError`` whose
message names the field.
"""

import json
import math
import re
import uuid
from datetime import datetime

from django.utils.translation import gettext as _

from learning.conf import learning_settings

# JSON numbers beyond this are refused: no score, version or count needs them, and
# browsers lose precision above 2**53 anyway.
MAX_NUMBER = 10**15
MAX_NUMBER_TEXT = 40  # characters of one number literal

IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+\Z")
LANGUAGE_TAG_RE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
VERSION_RE = re.compile(r"^1\.0(?:\.\d{1,9})?\Z")
_PART = r"\d{1,9}(?:[.,]\d{1,9})?"
DURATION_RE = re.compile(
    rf"^P(?!\Z)(?:{_PART}Y)?(?:{_PART}M)?(?:{_PART}W)?(?:{_PART}D)?"
    rf"(?:T(?=\d)(?:{_PART}H)?(?:{_PART}M)?(?:{_PART}S)?)?\Z"
)
TIMESTAMP_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})\Z"
)

STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
VERB_KEYS = {"id", "display"}
OBJECT_KEYS = {"id", "objectType", "definition"}
DEFINITION_KEYS = {
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    "choices",
    "scale",
    "source",
    "target",
    "steps",
}
INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
INTERACTION_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}


class StatementError(ValueError):
    """A statement the endpoint cannot accept; the message says which part is wrong."""


# -- parsing --------------------------------------------------------------------------------


class _Refused:
    """What a parse hook returns for a literal it refuses, so that the error can name the
    field it stands in (found by ``_raise_refused`` once the value is parsed)."""

    def __init__(self, message):
        self.message = message


def _number_too_large(text):
    shown = text if len(text) <= 24 else text[:20] + "…"
    return _Refused(
        _("The number %(number)s is too large; numbers must stay below 10^15.") % {"number": shown}
    )


def _parse_int(text):
    if len(text.lstrip("-")) > 15:
        return _number_too_large(text)
    return int(text)


def _parse_float(text):
    if len(text) > MAX_NUMBER_TEXT:
        return _number_too_large(text)
    value = float(text)
    if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
        return _number_too_large(text)
    return value


def _reject_constant(name):
    return _Refused(_("%(value)s is not allowed: every number must be finite.") % {"value": name})


def _raise_refused(value, field=""):
    if isinstance(value, _Refused):
        if not field:
            raise StatementError(value.message)
        raise StatementError(
            _("%(field)s: %(error)s") % {"field": field.lstrip("."), "error": value.message}
        )
    if isinstance(value, dict):
        for key, item in value.items():
            _raise_refused(item, f"{field}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _raise_refused(item, f"{field}[{index}]")


_STRUCTURE_RE = re.compile(r'[\[\]{}"\\]')


def _check_depth(text, limit):
    """Refuse nesting deeper than ``limit`` before parsing (the parser recurses per level)."""
    depth = 0
    in_string = False
    skip_to = -1
    for match in _STRUCTURE_RE.finditer(text):
        position = match.start()
        if position < skip_to:
            continue
        char = match.group()
        if in_string:
            if char == "\\":
                skip_to = position + 2  # the escaped character is not structure
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise StatementError(
                    _("The JSON is nested more than %(limit)d levels deep.") % {"limit": limit}
                )
        elif char in "]}":
            depth -= 1


def load_body(body):
    """The JSON value of a request body, or ``StatementError`` naming what is wrong."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise StatementError(_("The request body is not UTF-8 text.")) from None
    # One more level than a statement may have: a list of statements.
    _check_depth(text, learning_settings.LEARNING_XAPI_MAX_DEPTH + 1)
    try:
        value = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_reject_constant,
        )
    except (ValueError, RecursionError):
        raise StatementError(_("The request body is not valid JSON.")) from None
    _raise_refused(value)
    return value


# -- checking -------------------------------------------------------------------------------


def _fail(message, field):
    raise StatementError(message % {"field": field})


def check_values(value, field="statement", depth=0):
    """Depth and numbers of an already parsed statement (a caller of the services may not
    have gone through ``load_body``)."""
    if depth > learning_settings.LEARNING_XAPI_MAX_DEPTH:
        _fail(_("%(field)s is nested too deeply."), field)
    if isinstance(value, dict):
        for key, item in value.items():
            check_values(item, f"{field}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_values(item, f"{field}[{index}]", depth + 1)
    elif isinstance(value, float | int) and not isinstance(value, bool):
        if not math.isfinite(value):
            _fail(_("%(field)s must be a finite number."), field)
        if abs(value) >= MAX_NUMBER:
            _fail(_("%(field)s is too large a number."), field)


def _object(value, field, allowed=None):
    if not isinstance(value, dict):
        _fail(_("%(field)s must be a JSON object."), field)
    if allowed is not None:
        for key in value:
            if key not in allowed:
                _fail(_("%(field)s is not an xAPI 1.0.3 property."), f"{field}.{key}")
    return value


def _iri(value, field):
    if not isinstance(value, str) or len(value) > 2048 or not IRI_RE.match(value):
        _fail(_("%(field)s must be an IRI (e.g. http://adlnet.gov/expapi/verbs/answered)."), field)


def _language_map(value, field):
    _object(value, field)
    for tag, text in value.items():
        if not LANGUAGE_TAG_RE.match(tag) or not isinstance(text, str):
            _fail(
                _(
                    '%(field)s must be a language map, e.g. {"en-US": "answered"}: language '
                    "tags as keys, text as values."
                ),
                field,
            )


def _extensions(value, field):
    _object(value, field)
    for key in value:
        _iri(key, f"{field} key")


def _activity(value, field):
    _object(value, field, OBJECT_KEYS)
    if value.get("objectType", "Activity") != "Activity":
        _fail(_("%(field)s must be an Activity."), f"{field}.objectType")
    _iri(value.get("id"), f"{field}.id")
    if "definition" in value:
        _definition(value["definition"], f"{field}.definition")


def _definition(value, field):
    _object(value, field, DEFINITION_KEYS)
    for key in ("name", "description"):
        if key in value:
            _language_map(value[key], f"{field}.{key}")
    for key in ("type", "moreInfo"):
        if key in value:
            _iri(value[key], f"{field}.{key}")
    if "extensions" in value:
        _extensions(value["extensions"], f"{field}.extensions")
    if "interactionType" in value and value["interactionType"] not in INTERACTION_TYPES:
        _fail(_("%(field)s is not an xAPI interaction type."), f"{field}.interactionType")
    if "correctResponsesPattern" in value:
        pattern = value["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(item, str) for item in pattern):
            _fail(_("%(field)s must be a list of strings."), f"{field}.correctResponsesPattern")
    for key in INTERACTION_COMPONENT_LISTS:
        if key not in value:
            continue
        components = value[key]
        if not isinstance(components, list):
            _fail(_("%(field)s must be a list."), f"{field}.{key}")
        for index, component in enumerate(components):
            where = f"{field}.{key}[{index}]"
            _object(component, where, {"id", "description"})
            if not isinstance(component.get("id"), str):
                _fail(_("%(field)s must be a string."), f"{where}.id")
            if "description" in component:
                _language_map(component["description"], f"{where}.description")


def _result(value):
    _object(value, "result", RESULT_KEYS)
    if "score" in value:
        _object(value["score"], "result.score", SCORE_KEYS)
    for key in ("success", "completion"):
        if key in value and not isinstance(value[key], bool):
            _fail(_("%(field)s must be true or false."), f"result.{key}")
    if "response" in value and not isinstance(value["response"], str):
        _fail(_("%(field)s must be a string."), "result.response")
    if "duration" in value and not (
        isinstance(value["duration"], str) and DURATION_RE.match(value["duration"])
    ):
        _fail(_("%(field)s must be an ISO 8601 duration, e.g. PT1M30S."), "result.duration")
    if "extensions" in value:
        _extensions(value["extensions"], "result.extensions")


def _context(value):
    _object(value, "context", CONTEXT_KEYS)
    if "registration" in value:
        try:
            uuid.UUID(str(value["registration"]))
        except ValueError:
            _fail(_("%(field)s must be a UUID."), "context.registration")
    activities = value.get("contextActivities")
    if activities is not None:
        _object(activities, "context.contextActivities", CONTEXT_ACTIVITY_KEYS)
        for key, items in activities.items():
            where = f"context.contextActivities.{key}"
            for index, item in enumerate(items if isinstance(items, list) else [items]):
                _activity(item, f"{where}[{index}]" if isinstance(items, list) else where)
    for key in ("revision", "platform"):
        if key in value and not isinstance(value[key], str):
            _fail(_("%(field)s must be a string."), f"context.{key}")
    if "language" in value and not (
        isinstance(value["language"], str) and LANGUAGE_TAG_RE.match(value["language"])
    ):
        _fail(_("%(field)s must be a language tag such as en-US."), "context.language")
    if "statement" in value:
        reference = _object(value["statement"], "context.statement", {"objectType", "id"})
        try:
            uuid.UUID(str(reference.get("id")))
        except ValueError:
            _fail(_("%(field)s must be a UUID."), "context.statement.id")
    if "extensions" in value:
        _extensions(value["extensions"], "context.extensions")


def _timestamp(value):
    valid = isinstance(value, str) and TIMESTAMP_RE.match(value) and not value.endswith("-00:00")
    if valid:
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            valid = False
    if not valid:
        _fail(
            _("%(field)s must be an ISO 8601 date and time, e.g. 2026-03-01T10:00:00Z."),
            "timestamp",
        )


def check_statement(statement):
    """Refuse what xAPI 1.0.3 does not allow in a statement; the message names the field.

    The actor is not checked (the server replaces it), nor ``stored`` and ``authority``
    (set by the server, whatever the client sent)."""
    _object(statement, "statement")
    for key in statement:
        if key not in STATEMENT_KEYS:
            _fail(_("%(field)s is not an xAPI 1.0.3 statement property."), key)
    if "attachments" in statement:
        _fail(_("%(field)s are not accepted by this endpoint."), "attachments")
    check_values(statement)
    verb = _object(statement.get("verb"), "verb", VERB_KEYS)
    _iri(verb.get("id"), "verb.id")
    if "display" in verb:
        _language_map(verb["display"], "verb.display")
    _activity(statement.get("object"), "object")
    if "result" in statement:
        _result(statement["result"])
    if "context" in statement:
        _context(statement["context"])
    if "timestamp" in statement:
        _timestamp(statement["timestamp"])
    if "version" in statement and not (
        isinstance(statement["version"], str) and VERSION_RE.match(statement["version"])
    ):
        _fail(_("%(field)s must be 1.0.0 or another 1.0.x version."), "version")
