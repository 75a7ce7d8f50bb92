"""Rasa's own checks on the training data, and the end-to-end test stories run through
the trained model with the real action server."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import MODEL, PYTHON, ROOT


def rasa(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "rasa", *args], cwd=ROOT, capture_output=True, text=True, **kwargs)


def test_training_data_and_domain_validate_without_warnings():
    result = rasa("data", "validate", "--domain", "domain", "--data", "data", "--config", "config.yml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    # Forms ask with `utter_ask_<slot>` on their own; Rasa's validator does not know it.
    form_slots = {"destination", "start_date"}
    # Sent only by buttons (payloads with ids) or as external events by the bridge: nobody types them.
    not_typed = {"request_mentor", "mentor_answer", "webinar_consent"} | {
        f"webinar_followup_{step}" for step in ("day", "week", "month")
    }
    warnings = [
        w for w in re.findall(r"UserWarning: (.*)", output)
        if not any(f"The utterance 'utter_ask_{slot}' is not used" in w for slot in form_slots)
        and not any(f"The intent '{i}' is listed in the domain file, but is not found" in w for i in not_typed)
    ]  # fmt: skip
    assert warnings == []


@pytest.mark.servers
def test_conversation_stories_pass_end_to_end(servers, tmp_path):
    result = rasa(
        "test", "core", "--model", str(MODEL), "--stories", "tests/stories",
        "--endpoints", str(servers.endpoints), "--fail-on-prediction-errors", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    failed = tmp_path / "failed_test_stories.yml"
    assert not failed.exists() or "none of the test stories failed" in failed.read_text().lower()
