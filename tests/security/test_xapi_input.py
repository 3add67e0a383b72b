"""xAPI bodies and statements (issue 18, item 5 and "what we emit conforms"): bounds
applied while parsing, xAPI 1.0.3 essentials checked before storing, every malformed body
a 400 naming the problem (never a 500), ``stored`` and ``authority`` set by the server."""

import json
import random
import uuid

import pytest

from learning.h5p.xapi import StatementError, load_body, parse_statement
from learning.models import XAPIStatement
from tests.fixtures_h5p_play import statement

pytestmark = pytest.mark.django_db

URL = "/learning/xapi/statements/"


def post(client, payload):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json")


def refused(response, *words):
    assert response.status_code == 400, response.content
    message = response.json()["error"]
    for word in words:
        assert word in message, message
    return message


# -- bounds at parse time -------------------------------------------------------------------


def test_deeply_nested_json_is_refused_naming_the_depth(learner_client):
    body = "[" * 30_000 + "]" * 30_000  # 60 KB
    refused(post(learner_client, body), "nested")
    refused(post(learner_client, '{"a":' * 10_000 + "1" + "}" * 10_000), "nested")


def test_nesting_inside_a_statement_is_refused(learner_client, activity_page, quick_check_content):
    data = statement(activity_page, quick_check_content, raw=1)
    deep = 1
    for _level in range(40):
        deep = {"http://example.org/x": deep}
    data["context"]["extensions"] = {"http://example.org/deep": deep}
    refused(post(learner_client, data), "nested")
    assert not XAPIStatement.objects.exists()


def test_brackets_inside_strings_do_not_count_as_nesting(
    learner_client, activity_page, quick_check_content
):
    data = statement(activity_page, quick_check_content, raw=1)
    data["result"]["response"] = '[[[[{{{{"\\' * 200
    assert post(learner_client, data).status_code == 200


@pytest.mark.parametrize(
    ("place", "literal"),
    [
        ("score", str(10**400)),
        ("score", str(10**25)),
        ("score", "-" + str(10**25)),
        ("score", "1e400"),
        ("score", "1" * 50 + ".5"),
        ("version", str(10**25)),
        ("extension", str(10**400)),
    ],
)
def test_huge_numbers_are_refused_at_parse_time(
    learner_client, activity_page, quick_check_content, place, literal
):
    data = statement(activity_page, quick_check_content, raw=1)
    marker = "__NUMBER__"
    if place == "score":
        data["result"]["score"]["raw"] = marker
    elif place == "version":
        data["version"] = marker
    else:
        data["context"]["extensions"] = {"http://example.org/n": marker}
    body = json.dumps(data).replace(f'"{marker}"', literal)
    refused(
        post(learner_client, body),
        "too large",
        {"score": "result.score.raw", "version": "version"}.get(place, "context.extensions"),
    )
    assert not XAPIStatement.objects.exists()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused_anywhere(
    learner_client, activity_page, quick_check_content, constant
):
    data = statement(activity_page, quick_check_content, raw=1)
    data["context"]["extensions"] = {"http://example.org/n": {"deep": ["__X__"]}}
    body = json.dumps(data).replace('"__X__"', constant)
    refused(post(learner_client, body), "context.extensions", constant.lstrip("-"), "finite")


def test_non_finite_numbers_are_refused_also_when_the_service_is_called_directly(
    user, activity_page, quick_check_content
):
    from learning.h5p.services import record_statements

    data = statement(activity_page, quick_check_content, raw=1)
    data["context"]["extensions"] = {"http://example.org/n": float("nan")}
    with pytest.raises(StatementError, match="context.extensions"):
        record_statements(user, data)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"\xff\xfe{", ["UTF-8"]),
        (b"{not json", ["not valid JSON"]),
        (b"", ["not valid JSON"]),
        (b"[]", ["non-empty list"]),
        (b'"text"', ["non-empty list"]),
        (b"[1, 2]", ["Statement 1", "JSON object"]),
    ],
)
def test_malformed_bodies_get_a_400_naming_the_problem(learner_client, body, words):
    refused(post(learner_client, body), *words)


# -- xAPI 1.0.3 essentials ------------------------------------------------------------------


def _set(path, value):
    def change(data):
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target.setdefault(key, {})
        target[last] = value

    return change


INVALID = [
    ("verb id not an IRI", _set("verb.id", "answered"), "verb.id"),
    ("verb display a string", _set("verb.display", "answered"), "verb.display"),
    ("scaled 5, raw above max", _set("result.score", {"raw": 5, "max": 1, "scaled": 5}), "result"),
    ("duration in words", _set("result.duration", "2 seconds"), "result.duration"),
    ("unknown top-level key", _set("colour", "blue"), "colour"),
    ("version 0.9", _set("version", "0.9"), "version"),
    ("version a number", _set("version", 1), "version"),
    ("timestamp in words", _set("timestamp", "yesterday"), "timestamp"),
    ("timestamp 13th month", _set("timestamp", "2026-13-01T10:00:00Z"), "timestamp"),
    ("unknown result key", _set("result.grade", "A"), "result.grade"),
    ("extension key not an IRI", _set("result.extensions", {"speed": 1}), "result.extensions"),
    ("context language", _set("context.language", "english please"), "context.language"),
    ("registration not a UUID", _set("context.registration", "abc"), "context.registration"),
    ("object name a string", _set("object.definition.name", "Quiz"), "object.definition.name"),
    ("attachments", _set("attachments", []), "attachments"),
]


@pytest.mark.parametrize(("case", "change", "field"), INVALID, ids=[c[0] for c in INVALID])
def test_statements_that_are_not_valid_xapi_are_refused_naming_the_field(
    learner_client, activity_page, quick_check_content, case, change, field
):
    data = statement(activity_page, quick_check_content, raw=1)
    change(data)
    refused(post(learner_client, data), field)
    assert not XAPIStatement.objects.exists()


def test_a_complete_valid_statement_is_accepted(learner_client, activity_page, quick_check_content):
    data = statement(activity_page, quick_check_content, raw=1)
    data.update(version="1.0.3", timestamp="2026-03-01T10:00:00.123+01:00")
    data["result"].update(duration="PT1M2.5S", response="true", completion=True)
    data["result"]["score"]["scaled"] = 1
    data["context"].update(registration=str(uuid.uuid4()), language="fr-CA")
    data["object"]["definition"].update(
        interactionType="choice",
        correctResponsesPattern=["a"],
        choices=[{"id": "a", "description": {"en-US": "A"}}],
    )
    assert post(learner_client, data).status_code == 200
    assert XAPIStatement.objects.get().raw["timestamp"] == "2026-03-01T10:00:00.123+01:00"


def test_stored_and_authority_are_set_by_the_server(
    learner_client, user, activity_page, quick_check_content
):
    data = statement(activity_page, quick_check_content, raw=1)
    data["stored"] = "2000-01-01T00:00:00Z"
    data["authority"] = {"mbox": "mailto:boss@example.org"}
    assert post(learner_client, data).status_code == 200
    raw = XAPIStatement.objects.get().raw
    assert raw["stored"] != "2000-01-01T00:00:00Z" and raw["stored"].startswith("20")
    assert raw["authority"] == {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver", "name": "site"},
    }
    assert raw["timestamp"] == raw["stored"]  # absent from the body: defaults to stored
    # A replay with another client "stored" is the same statement, not a conflict.
    data["stored"] = "2001-01-01T00:00:00Z"
    assert post(learner_client, data).json()["duplicates"] == 1


# -- fuzzing --------------------------------------------------------------------------------

FUZZ_VALUES = [
    None,
    True,
    0,
    -1,
    1.5,
    10**14,
    "",
    "x",
    "PT1S",
    "1.0.3",
    "http://example.org/v",
    [],
    {},
    [{}],
    {"en-US": 1},
    {"id": None},
    "\x00",
    "\u202e",
]


def _mutate(value, rng, depth=0):
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        action = rng.random()
        if action < 0.2:
            return {k: v for k, v in value.items() if k != key}
        if action < 0.5 or depth > 6:
            return {**value, key: rng.choice(FUZZ_VALUES)}
        return {**value, key: _mutate(value[key], rng, depth + 1)}
    if isinstance(value, list) and value and rng.random() < 0.7:
        index = rng.randrange(len(value))
        return [*value[:index], _mutate(value[index], rng, depth + 1), *value[index + 1 :]]
    return rng.choice(FUZZ_VALUES)


def test_fuzzed_statements_only_ever_raise_the_400_error(activity_page, quick_check_content):
    rng = random.Random(18)
    base = statement(activity_page, quick_check_content, raw=1)
    base.update(version="1.0.3", timestamp="2026-03-01T10:00:00Z")
    base["result"].update(duration="PT1S", response="x")
    accepted = 0
    for _round in range(3000):
        data = base
        for _change in range(rng.randint(1, 3)):
            data = _mutate(data, rng)
        try:
            parse_statement(data)
            accepted += 1
        except StatementError:
            pass
    assert 0 < accepted < 3000


def test_fuzzed_bodies_only_ever_raise_the_400_error(activity_page, quick_check_content):
    rng = random.Random(5)
    text = json.dumps(statement(activity_page, quick_check_content, raw=1)).encode()
    outcomes = {"parsed": 0, "refused": 0}
    pieces = [b"[", b"]", b"{", b"}", b'"', b"\\", b"NaN", b"1e999", b"9" * 30, b"\xff", b",", b" "]
    for _round in range(2000):
        body = bytearray(text)
        for _change in range(rng.randint(1, 4)):
            at = rng.randrange(len(body))
            body[at:at] = rng.choice(pieces) * rng.randint(1, 50)
        try:
            load_body(bytes(body))
            outcomes["parsed"] += 1
        except StatementError:
            outcomes["refused"] += 1
    assert outcomes["parsed"] and outcomes["refused"]
