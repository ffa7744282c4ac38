#!/usr/bin/env bash
# `npm run bench`: builds, then measures on the Node the container image runs (the Dockerfile's NODE_IMAGE),
# fetched from the npm registry into the same cache folder .ci/run uses. Offline, it measures on the
# machine's Node instead, and the report says so.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9.]*\).*/\1/p' Dockerfile)
dir="${XDG_CACHE_HOME:-$HOME/.cache}/chatbridge-ci/node-$version"
image_node="$dir/node_modules/.bin/node"
if [ "$("$image_node" --version 2>/dev/null)" != "v$version" ]; then
  echo "[bench] installing node $version from the npm registry into $dir" >&2
  mkdir -p "$dir"
  npm install --loglevel=error --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node@$version" >&2 || true
fi
npm run --silent build
if [ "$("$image_node" --version 2>/dev/null)" = "v$version" ]; then
  exec "$image_node" dist/bench/run.js
fi
echo "[bench] node $version could not be installed: measuring on $(node --version)" >&2
exec node dist/bench/run.js
