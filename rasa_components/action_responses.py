"""Rasa 3.6 checks every action-server response with `jsonschema.validate`, which first
re-checks Rasa's own (large, constant) response schema against the JSON-Schema meta-schema.
With two action calls per message, that was 62% of the Rasa server's CPU time under 50
concurrent conversations (py-spy profile, 2026-11-24). The response itself is still checked,
against a validator built once."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction


@cache
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _response_validator().validate(result)
    except ValidationError as error:
        # Rasa's own wording, so its logs read the same.
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid."
        )
        raise
    return True


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
