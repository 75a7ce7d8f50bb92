"""Custom components of the NLU pipeline (config.yml). The Rasa server imports this package
with the model, which also puts in place the faster action-response check.

Two modules replace private parts of Rasa (`action_responses`: RemoteAction's response check;
`turns`: the tracker store's error callback). They were written against one release, so any
other refuses to start here rather than misbehave quietly."""

import rasa

from rasa_components import action_responses

RASA_WRITTEN_FOR = "3.6.21"


def check_rasa_version(installed: str = rasa.__version__) -> None:
    if installed != RASA_WRITTEN_FOR:
        raise RuntimeError(
            f"rasa_components replaces private parts of Rasa {RASA_WRITTEN_FOR}, but Rasa {installed} is "
            "installed: check rasa_components/action_responses.py and turns.py against it, then update "
            "RASA_WRITTEN_FOR (and constraints.txt)."
        )


check_rasa_version()
action_responses.install()
