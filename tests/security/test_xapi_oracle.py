"""Learning Locker's ``@learninglocker/xapi-validation`` (npm, a devDependency) as an
independent oracle: whatever the endpoint accepts, stored as it stores it, is valid xAPI
for it, and the invalid statements the attack run found are invalid for it too."""

import json
import random
import shutil
import subprocess
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone

from learning.h5p.xapi import StatementError, activity_iri, parse_statement, server_properties
from tests.security.test_xapi_input import INVALID, _mutate

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
ORACLE = """
const validate = require("@learninglocker/xapi-validation").default;
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const found = JSON.parse(input).map((s) => validate(s).map((w) => (w.path || []).join(".")));
  process.stdout.write(JSON.stringify(found));
});
"""


def _oracle_available():
    if NODE is None:
        return False
    found = subprocess.run(  # noqa: S603 - our own script, no outside input
        [NODE, "-e", "require.resolve('@learninglocker/xapi-validation')"],
        cwd=ROOT,
        capture_output=True,
    )
    return found.returncode == 0


pytestmark = pytest.mark.skipif(
    not _oracle_available(),
    reason="node or @learninglocker/xapi-validation missing (npm ci installs it)",
)


def oracle(statements):
    """Learning Locker's warnings (paths) for each statement."""
    done = subprocess.run(  # noqa: S603 - our own script; statements go to its stdin
        [NODE, "-e", ORACLE],
        cwd=ROOT,
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def h5p_statement():
    """A statement as H5P's TrueFalse sends it."""
    return {
        "id": str(uuid.uuid4()),
        "actor": {"name": "someone", "mbox": "mailto:someone@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {
            "id": activity_iri(1, 1),
            "objectType": "Activity",
            "definition": {
                "extensions": {"http://h5p.org/x-api/h5p-local-content-id": 1},
                "name": {"en-US": "Quick check"},
                "interactionType": "true-false",
                "correctResponsesPattern": ["true"],
            },
        },
        "context": {
            "contextActivities": {
                "category": [{"id": "http://h5p.org/libraries/H5P.TrueFalse-1.8"}]
            }
        },
        "result": {
            "score": {"min": 0, "max": 1, "raw": 1, "scaled": 1},
            "completion": True,
            "success": True,
            "duration": "PT2.55S",
            "response": "true",
        },
    }


def as_stored(statement):
    return server_properties(statement, SimpleNamespace(pk=7), timezone.now())


def accepted(statement):
    """The statement as the endpoint would store it (with the id it may add), or None."""
    try:
        return parse_statement(statement).raw
    except StatementError:
        return None


def test_what_the_endpoint_stores_is_valid_for_learning_locker():
    rng = random.Random(103)
    candidates = [h5p_statement()]
    for _round in range(2000):
        data = h5p_statement()
        for _change in range(rng.randint(1, 3)):
            data = _mutate(data, rng)
        candidates.append(data)
    kept = [as_stored(raw) for raw in map(accepted, candidates) if raw is not None]
    assert len(kept) > 100  # the fuzzer also produces statements the endpoint takes
    warnings = oracle(kept)
    invalid = [(item, found) for item, found in zip(kept, warnings, strict=True) if found]
    assert not invalid, invalid[:3]


@pytest.mark.parametrize(("case", "change", "field"), INVALID, ids=[c[0] for c in INVALID])
def test_statements_we_refuse_are_invalid_for_learning_locker_too(case, change, field):
    data = h5p_statement()
    change(data)
    assert accepted(data) is None
    if case == "attachments":
        pytest.skip("an empty attachments list is valid xAPI; this endpoint takes none")
    assert oracle([as_stored(data)])[0], case
