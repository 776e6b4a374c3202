#!/bin/sh
# Runs the edge CLI of this release (lib/edge-node.mjs) on the Node.js runtime it ships with
# (runtime/node), with the arguments of `edge-node`. It follows symlinks to itself, so
# /usr/bin/simtestlab-edge -> /opt/simtestlab-edge/current/bin/simtestlab-edge works.
set -eu

self=$0
while [ -L "$self" ]; do
  target=$(readlink -- "$self")
  case $target in
    /*) self=$target ;;
    *) self=$(dirname -- "$self")/$target ;;
  esac
done
release=$(cd -P -- "$(dirname -- "$self")/.." && pwd)

exec "$release/runtime/node" "$release/lib/edge-node.mjs" "$@"
