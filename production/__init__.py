"""Production mode: PostgreSQL, Redis, two Rasa replicas and two action servers behind
HAProxy, the console and the Telegram bridges (Procfile.prod; `make run-prod`)."""
