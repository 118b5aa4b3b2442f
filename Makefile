# On a fresh Debian 12 machine, as root (./run installs make first if it is missing):
#   ./run demo  installs everything, digitises sample_scans/ on the embedded defaults, and looks up one citizen
#   ./run test  installs everything and runs lint, type checks and the test suite (.ci/run runs exactly this)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-liberation2 fonts-dejavu python3-venv python3-pip softhsm2 \
	slapd ldap-utils
TEST_APT_PACKAGES := chromium postgresql
DEMO_DATA ?= $(CURDIR)/demo-data
DEMO_CITIZEN ?= $(shell cat sample_scans/demo_citizen.txt)

.PHONY: install system-packages test-packages apt demo test test-fast lint docs mutation audit samples bench bench-archive bench-lookup bench-signing bench-accuracy bench-api bench-portal bench-scale clean

system-packages:
	@$(MAKE) --no-print-directory apt PACKAGES="$(APT_PACKAGES)"

# The browser the portal's tests drive (Debian's Chromium, through Playwright; never `playwright install`), and the
# PostgreSQL the Prefect server of the workers' tests runs on (a cluster of its own, made and stopped by the test).
test-packages:
	@$(MAKE) --no-print-directory apt PACKAGES="$(TEST_APT_PACKAGES)"

apt:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -ne 0 ]; then echo "Missing Debian packages:" $$missing "- run as root, or: sudo apt-get install" $$missing; exit 1; fi; \
	  echo "Installing Debian packages:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# rapidocr-onnxruntime is installed for its model file only (the second reader of figures, ocr.neural): without its
# own dependencies, which would put opencv-python over opencv-python-headless.
RAPIDOCR := rapidocr-onnxruntime==1.4.4

$(BIN)/sohoa: pyproject.toml | system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	$(BIN)/pip install -q --disable-pip-version-check --no-deps '$(RAPIDOCR)'
	@touch $@

install: system-packages $(BIN)/sohoa

demo: install
	$(BIN)/sohoa ingest sample_scans --data-dir $(DEMO_DATA)
	$(BIN)/sohoa lookup --citizen $(DEMO_CITIZEN) --data-dir $(DEMO_DATA) --actor demo-clerk \
	  --purpose "Tiếp nhận hồ sơ (bản chạy thử)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

# The OpenID Connect provider the sign-in tests start (node-oidc-provider, pinned in tests/node/package-lock.json).
# Node 20 is on the CI machines; elsewhere Debian's nodejs and npm are installed.
tests/node/node_modules: tests/node/package-lock.json
	@command -v npm >/dev/null 2>&1 || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq nodejs npm >/dev/null; } \
	  || { echo "npm is missing - run as root, or: sudo apt-get install nodejs npm"; exit 1; }
	cd tests/node && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The suite on every core, each test file whole on one worker (its module fixtures are built once): on 2 cores it
# takes about half the time. `pytest <path>` alone runs in one process, as usual.
test: lint docs tests/node/node_modules test-packages
	$(BIN)/pytest -n auto --dist loadfile

# The loop while writing code: no server started, no document digitised (tests marked slow left out; see
# SLOW_FIXTURES in tests/conftest.py). Lint and the full suite still decide.
test-fast: install test-packages
	$(BIN)/pytest -n auto --dist loadfile -m "not slow" -q

# Known vulnerabilities in the installed Python packages (pip-audit asks PyPI's advisory data): run where pypi.org
# answers JSON queries. Not part of `make test`: this machine's package mirror has no advisory data, and a new
# advisory must not turn an unchanged commit red; the static security checks (ruff's S rules) are in `lint`.
# The documentation site (docs/, mkdocs.yml): the settings and API references are written from the code at each build.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# Mutation testing ([tool.mutmut] in pyproject.toml: the modules where a wrong answer hurts most, against their fast
# tests). Not part of `make test`: it takes tens of minutes. `make mutation-report` prints the share killed per module.
mutation: install
	$(BIN)/pip install -q --disable-pip-version-check mutmut==3.8.1
	$(BIN)/mutmut run || true
	$(BIN)/python bench/mutation_report.py

audit: install
	$(BIN)/pip install -q --disable-pip-version-check pip-audit
	$(BIN)/pip-audit --skip-editable

samples: install
	$(BIN)/python sample_scans/generate.py --out sample_scans

bench: install
	$(BIN)/python bench/throughput.py

bench-archive: install
	$(BIN)/python bench/archive_speed.py

bench-lookup: install
	$(BIN)/python bench/lookup.py

bench-accuracy: install
	$(BIN)/python bench/accuracy.py

bench-signing: install
	$(BIN)/python bench/signing.py

bench-api: install
	$(BIN)/python bench/api.py

bench-portal: install
	$(BIN)/python bench/portal.py

# 1 and 2 workers through a Prefect server (on PostgreSQL) into SeaweedFS: needs the test packages.
bench-scale: install test-packages
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) $(DEMO_DATA) .pytest_cache .mypy_cache .ruff_cache site
