# The whole set-up is in here: `make run` and `make test` install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
MODEL := models/assistant.tar.gz
TRAINING_INPUTS := config.yml $(shell find domain data -name '*.yml' 2>/dev/null)

export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# The HTTP API token: RASA_TOKEN, or one generated once and kept in var/.
RASA_TOKEN ?= $(shell mkdir -p var && { [ -s var/rasa_token ] || python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > var/rasa_token; } && cat var/rasa_token)
export RASA_TOKEN
# Rasa and the action server listen on loopback only, unless told otherwise (README: Security).
INTERNAL_HOST ?= 127.0.0.1
export INTERNAL_HOST

.PHONY: help install train db run run-prod shell test lint bench bench-train knowledge clean

help:
	@echo "make run      install, train if data changed, set up the database, start the assistant"
	@echo "make test     install, train if needed, then every check and test"
	@echo "make run-prod production mode: PostgreSQL, Redis, 2 Rasa replicas, 2 action servers behind HAProxy"
	@echo "make shell    chat with the assistant in this terminal"
	@echo "make install | train | db | lint | bench | knowledge | clean"

install: $(INSTALLED)

$(INSTALLED): requirements.txt constraints.txt scripts/bootstrap.sh
	scripts/bootstrap.sh $(VENV)
	touch $@

# Rasa keeps its own cache too; this rule only retrains when the inputs changed.
$(MODEL): $(INSTALLED) $(TRAINING_INPUTS)
	$(PY) -m rasa train --domain domain --data data --config config.yml --out models --fixed-model-name assistant
	touch $@

train: $(MODEL)

db: $(INSTALLED)
	$(PY) -m app setup

run: $(MODEL) db
	@echo "On $(INTERNAL_HOST): Rasa server :5005 (REST channel, HTTP API), action server :5055; console :8080, daily retention purge$(if $(TELEGRAM_TOKEN), and the Telegram bridge,)"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile $(if $(TELEGRAM_TOKEN),,actions rasa console retention)

# PostgreSQL and Redis are started under var/ unless DATABASE_URL / REDIS_URL are given.
run-prod: $(MODEL)
	scripts/prod-deps.sh
	$(PY) -m production

shell: $(MODEL) db
	@echo "Starting the action server (log: var/actions.log)…"
	@$(PY) -m actions --port 5055 > var/actions.log 2>&1 & pid=$$!; \
	trap "kill $$pid" EXIT; \
	$(PY) -m rasa shell --model $(MODEL) --endpoints endpoints.yml

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(MODEL)
	scripts/test-deps.sh
	scripts/prod-deps.sh
	$(VENV)/bin/pip check
	$(MAKE) --no-print-directory lint
	@scripts/tree-state.sh > var/tree-before-tests
	$(VENV)/bin/pytest
	@scripts/tree-state.sh | diff var/tree-before-tests - \
		|| { echo "make test changed files git tracks (tests write under var/; make bench owns results/)"; exit 1; }

bench: $(MODEL)
	$(PY) -m bench

bench-train: $(MODEL)
	$(PY) -m bench --train

knowledge: $(INSTALLED)
	$(PY) knowledge/import_quebec.py
	$(PY) knowledge/generate_forms.py

clean:
	rm -rf models .rasa var/*.log .pytest_cache .ruff_cache
