#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real, when they are missing:
# Chromium (Playwright runs Debian's build; a Playwright browser download is not possible here),
# PostgreSQL (the integration suite runs against it as well as the embedded PGlite) and Redis
# (the run-log backend of several instances; the scale-out suite starts its own redis-server), and
# bubblewrap (the program sandbox runs every model-written program in its namespaces; no bwrap, no run),
# Debian's torch, numpy and pthread OpenBLAS for /usr/bin/python3 (the tiny model's training pipeline
# in training/tiny and its smoke tests).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v bwrap >/dev/null || missing+=(bubblewrap)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import torch' 2>/dev/null || missing+=(python3-torch)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "Need root to install ${missing[*]} (apt-get install -y ${missing[*]})." >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
