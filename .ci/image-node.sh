#!/usr/bin/env bash
# Prints the folder holding node <version>, installed first when missing: the npm registry's `node` package
# ships its Linux binaries, kept between runs in a cache folder. Used by .ci/run (the suite on the image's
# Node) and bench/run.sh (measurements on it).
set -euo pipefail
version="$1"
dir="${XDG_CACHE_HOME:-$HOME/.cache}/chatbridge-ci/node-$version"
if [ "$("$dir/node_modules/.bin/node" --version 2>/dev/null)" != "v$version" ]; then
  echo "installing node $version from the npm registry into $dir" >&2
  mkdir -p "$dir"
  npm install --loglevel=error --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node@$version" >&2
fi
echo "$dir/node_modules/.bin"
