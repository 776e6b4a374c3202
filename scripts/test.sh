#!/usr/bin/env bash
# The README's test command: installs the workspace from the lockfile (building native modules from
# source, so nothing is downloaded but npm packages), type-checks it and runs every package's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export npm_config_build_from_source=true
pnpm install --frozen-lockfile
pnpm typecheck
pnpm test
