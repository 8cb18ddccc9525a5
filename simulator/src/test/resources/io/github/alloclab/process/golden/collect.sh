#!/usr/bin/env bash
# Builds the probe in each flavour, runs each under `setarch -R` (ASLR off) with an empty environment, and
# records what the real kernel and binutils say about it. Run it from this directory on an x86-64 Linux
# machine with gcc and gcc-multilib; it rewrites the golden files next to it. The binaries are kept,
# gzipped, since the tests load them: they must be the very files the outputs describe.
set -euo pipefail
cd "$(dirname "$0")"

grow=5000  # bytes of sbrk before the maps are read

declare -A flavours=(
  [pie64]=""
  [nopie64]="-no-pie"
  [static64]="-static -s"
  [staticpie64]="-static-pie -s"
  [nosep64]="-no-pie -Wl,-z,noseparate-code"
  [norelro64]="-Wl,-z,norelro"
  [execstack64]="-z execstack"
  [pie32]="-m32"
  [nopie32]="-m32 -no-pie"
  [static32]="-m32 -static -s"
  [staticpie32]="-m32 -static-pie -s"
)

{
  echo "# made by collect.sh on $(date -u +%Y-%m-%d)"
  echo "# kernel: $(uname -sr)"
  echo "# $(gcc --version | head -n 1)"
  echo "# $(size --version | head -n 1)"
  echo "# run as: env -i setarch -R ./NAME $grow"
} > MANIFEST

for name in $(printf '%s\n' "${!flavours[@]}" | sort); do
  # shellcheck disable=SC2086
  gcc -O1 -o "$name" probe.c ${flavours[$name]}
  env -i setarch -R "./$name" "$grow" > "$name.maps" 2> "$name.brk"
  size "$name" > "$name.size"
  size -A "$name" > "$name.size-A"
  echo "$name: gcc -O1 -o $name probe.c ${flavours[$name]}" >> MANIFEST
  gzip -9 -n -f "$name"
done
