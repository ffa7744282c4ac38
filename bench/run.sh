#!/usr/bin/env bash
# `npm run bench`: builds, then measures on the Node the container image runs (the Dockerfile's NODE_IMAGE),
# fetched like .ci/run does (.ci/image-node.sh). Offline, it measures on the machine's Node instead, and the
# report says so.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9.]*\).*/\1/p' Dockerfile)
image_bin=$(bash .ci/image-node.sh "$version" || true)
npm run --silent build
if [ -n "$image_bin" ]; then
  exec "$image_bin/node" dist/bench/run.js
fi
echo "[bench] node $version could not be installed: measuring on $(node --version)" >&2
exec node dist/bench/run.js
