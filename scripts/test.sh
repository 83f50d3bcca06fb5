#!/usr/bin/env bash
# Runs every check of the project: installs the cross tools the tests need, then formatting, lints
# and the whole test suite. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v riscv64-unknown-elf-gcc >/dev/null || need_apt+=(gcc-riscv64-unknown-elf)
command -v qemu-riscv64 >/dev/null || need_apt+=(qemu-user)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> installing ${need_apt[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "==> cargo fmt"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets -q -- -D warnings
echo "==> cargo test"
cargo test --workspace 2>&1
