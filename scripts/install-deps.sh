#!/usr/bin/env bash
# Installs what the tool and its tests need on a fresh Debian machine with Swift:
# OpenBLAS/LAPACKE (linear algebra) and the Python packages the interoperability tests use.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
need=""
for p in libopenblas-dev liblapacke-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi
if command -v python3 >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check gensim safetensors numpy nbformat 2>&1 | grep -v "Running pip as the 'root' user" || true
fi
