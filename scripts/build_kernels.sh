#!/bin/sh
# Builds packages/core/kernels/gradnets.wasm from gradnets.c with Debian's clang-14 and lld:
#   sudo apt-get install -y clang lld wabt
# The built module is committed, so that users and CI need no compiler;
# packages/core/kernels/build_test.ts rebuilds it and compares the bytes when clang is there.
# Usage: scripts/build_kernels.sh [OUT]   (default: packages/core/kernels/gradnets.wasm)
set -eu
cd "$(dirname "$0")/../packages/core/kernels"
out=${1:-gradnets.wasm}
CLANG=${CLANG:-clang}
# Standard SIMD128 only (no relaxed-simd, no FMA): the same bits on every machine.
# -fno-builtin: no calls to memset/memcpy, which a freestanding module does not have.
"$CLANG" --target=wasm32 -msimd128 -O3 -nostdlib -ffreestanding -fno-builtin \
  -Wall -Werror \
  -Wl,--no-entry -Wl,--import-memory -Wl,--export-dynamic -Wl,--strip-all \
  -o "$out" gradnets.c
# The module runs on tfjs's heap: it must not use the shadow stack (the linker declares its
# pointer as a global, which must never be read or written) or own data (a data segment), or it
# would overwrite tfjs's memory.
if command -v wasm2wat >/dev/null 2>&1; then
  if wasm2wat "$out" | grep -E 'global\.(get|set)|\(data' >&2; then
    echo "error: $out uses a global, the shadow stack or a data segment" >&2
    rm -f "$out"
    exit 1
  fi
else
  echo "warning: wasm2wat (wabt) not found: the no-stack/no-data check was skipped" >&2
fi
echo "built $out ($(wc -c <"$out") bytes)"
