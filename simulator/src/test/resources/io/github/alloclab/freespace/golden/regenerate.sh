#!/usr/bin/env bash
# Remakes the golden outputs of 'alloclab freelist' from OSTEP's malloc.py itself:
#   regenerate.sh /path/to/ostep-homework/vm-freespace/malloc.py
# For each line 'NAME EXIT ARGS...' of commands.txt it runs 'python3 malloc.py ARGS' and saves its standard
# output as NAME.out, and checks that malloc.py exits with EXIT (0, or 1 where malloc.py itself stops with a
# Python error; its stdout up to that point is the golden output). Only the outputs are committed here,
# never malloc.py. Made with CPython 3.11.7 and malloc.py at ostep-homework commit 11238fb9.
set -euo pipefail
malloc_py="${1:?usage: regenerate.sh path/to/malloc.py}"
cd "$(dirname "$0")"
while read -r name exit args; do
  [ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
  eval "set -- $args"
  set +e
  python3 "$malloc_py" "$@" > "$name.out" 2>/dev/null
  status=$?
  set -e
  [ "$status" = "$exit" ] || { echo "$name: malloc.py exited $status, not $exit" >&2; exit 1; }
done < commands.txt
