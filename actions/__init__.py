"""Custom actions of the assistant, served by `python -m rasa_sdk --actions actions`
(which imports every module of this package). One module per capability; they answer
from the database through the app/ package."""
