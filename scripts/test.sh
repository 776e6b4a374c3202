#!/usr/bin/env bash
# The README's test command: installs pnpm 10 when missing and the workspace from the lockfile
# (building native modules from source, so nothing is downloaded but npm packages), type-checks it
# and runs every package's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version | cut -d. -f1)" != "10" ]; then
  npm install -g pnpm@10
fi
export npm_config_build_from_source=true
pnpm install --frozen-lockfile
pnpm typecheck
pnpm test
