#!/usr/bin/env bash
# Rebuilds the committed benchmark ELFs (needs Debian's gcc-riscv64-unknown-elf).
set -euo pipefail
cd "$(dirname "$0")"
for p in fib sha256; do
  riscv64-unknown-elf-gcc -O2 -march=rv64imac -mabi=lp64 -mcmodel=medany -nostdlib -nostartfiles -ffreestanding \
    -fno-builtin -T link.ld crt0.S "$p.c" -o "$p.elf"
done
