"""Shared core of the assistant: settings, database models and the queries that
answer region, organisation and candidate questions. Used by actions/, bot/ and
the console."""
