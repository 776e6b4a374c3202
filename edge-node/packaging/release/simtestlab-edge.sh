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

# As root (the update service), no variable may load other code into the runtime: the service user
# could have set them in a file that root reads.
if [ "$(id -u)" -eq 0 ]; then
  unset NODE_OPTIONS NODE_PATH NODE_REPL_EXTERNAL_MODULE LD_PRELOAD LD_LIBRARY_PATH LD_AUDIT
fi

exec "$release/runtime/node" "$release/lib/edge-node.mjs" "$@"
