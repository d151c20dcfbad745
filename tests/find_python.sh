#!/usr/bin/env bash
# find_python.sh X.Y: print the path of a Python X.Y interpreter (one pyenv has installed, or on PATH).
set -u
version=$1
for candidate in "$(pyenv root 2>/dev/null)"/versions/"$version".*/bin/"python$version" "python$version"; do
  path=$("$candidate" -c 'import sys, venv; print(sys.executable)' 2>/dev/null) && { echo "$path"; exit 0; }
done
echo "Python $version is needed (installed with pyenv, or on PATH)" >&2
exit 1
