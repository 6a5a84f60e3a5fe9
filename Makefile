# docgen: `make run` sets everything up and serves the app with sample data on SQLite;
# `make test` runs the whole test suite (ruff, then pytest).
.PHONY: setup run test bench templates clean

setup:
	@scripts/setup.sh

run: setup
	.venv/bin/docgen init-db
	.venv/bin/docgen load-records
	.venv/bin/docgen load-samples
	exec scripts/run.sh  # gunicorn + docgen worker on http://127.0.0.1:5000; Ctrl-C stops both

test: setup
	.venv/bin/ruff check .
	.venv/bin/python -m pytest -q

bench: setup
	for f in bench/bench_*.py; do .venv/bin/python $$f || exit 1; done

templates: setup
	.venv/bin/docgen build-templates

clean:
	rm -rf .venv instance .pytest_cache .ruff_cache
