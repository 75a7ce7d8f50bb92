"""Custom components of the NLU pipeline (config.yml). The Rasa server imports this package
with the model, which also puts in place the faster action-response check."""

from rasa_components import action_responses

action_responses.install()
