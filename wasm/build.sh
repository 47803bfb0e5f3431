#!/usr/bin/env bash
# Builds wasm/dta.wasm from the C core with Debian clang + lld, no libc.
#   bash wasm/build.sh           rebuild wasm/dta.wasm
#   bash wasm/build.sh --check   rebuild into a temp file and fail if it differs
#                                from the committed wasm/dta.wasm (CI)
#   bash wasm/build.sh --native OUT MAIN.c  build a native test binary (tests of the C layers)
#   bash wasm/build.sh --field-test OUT      build the test-only Fp hooks (wasm/test/field_hooks.c) into OUT
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CC="${CC:-clang}"
# Flags are fixed so that a rebuild is byte-for-byte reproducible. -Os, not -O3: the hot kernels are
# unrolled by hand in the source, so -O3 only multiplies code size (470 KB against 110 KB) at equal speed.
CFLAGS=(-std=c11 -Os -Wall -Wextra -Werror -Wno-unused-function -ffreestanding
        -fno-ident -fdebug-prefix-map="$here"=. -I"$here/include")
WASMFLAGS=(--target=wasm32 -nostdlib -mbulk-memory -fvisibility=hidden
           -Wl,--no-entry -Wl,--strip-all -Wl,-z,stack-size=65536
           -Wl,--export=__heap_base -Wl,--export=__data_end -Wl,--export-table -Wl,--initial-memory=1048576)

build() { "$CC" "${CFLAGS[@]}" "${WASMFLAGS[@]}" -o "$1" "$here/src/lib.c"; }

case "${1:-}" in
  --check)
    tmp="$(mktemp --suffix=.wasm)"; trap 'rm -f "$tmp"' EXIT
    build "$tmp"
    if cmp -s "$tmp" "$here/dta.wasm"; then
      echo "wasm/dta.wasm is reproducible ($(stat -c %s "$tmp") bytes)"
    else
      echo "wasm/dta.wasm differs from a fresh build of wasm/src: run npm run build:wasm and commit" >&2
      exit 1
    fi ;;
  --field-test)
    "$CC" "${CFLAGS[@]}" "${WASMFLAGS[@]}" -o "$2" "$here/test/field_hooks.c" ;;
  --native)
    "$CC" "${CFLAGS[@]}" -O2 -g -Wno-error -o "$2" "$3" ;;
  *)
    build "$here/dta.wasm"
    echo "wasm/dta.wasm: $(stat -c %s "$here/dta.wasm") bytes" ;;
esac
