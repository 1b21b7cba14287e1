#!/usr/bin/env bash
# Installs what the tool and its tests need on a fresh Debian machine with Swift:
# OpenBLAS/LAPACKE (linear algebra), Chromium, chromedriver and Selenium (optional: the page
# screenshot and studio browser tests), Open MPI
# (optional: distributed training and its tests) and the Python
# packages the interoperability tests compare against (gensim, safetensors, numpy, nbformat).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
updated=0
apt_install() {
  if [ "$updated" = 0 ]; then $SUDO apt-get update -qq; updated=1; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
need=""
for p in libopenblas-dev liblapacke-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
# shellcheck disable=SC2086
[ -z "$need" ] || apt_install $need
if ! command -v chromium >/dev/null 2>&1 && [ "${LYRICS_SKIP_CHROMIUM:-}" != 1 ]; then
  apt_install chromium 2>/dev/null || echo "install-deps: chromium did not install; the page screenshot test will be skipped"
fi
# chromedriver and Selenium (optional: the studio's browser test drives Chromium with them).
if ! command -v chromedriver >/dev/null 2>&1 && [ "${LYRICS_SKIP_CHROMIUM:-}" != 1 ]; then
  apt_install chromium-driver 2>/dev/null || echo "install-deps: chromium-driver did not install; the studio browser test will be skipped"
fi
# Open MPI (optional: only distributed training uses it, loaded at run time; its tests skip without it).
if ! command -v mpirun >/dev/null 2>&1 && [ "${LYRICS_SKIP_MPI:-}" != 1 ]; then
  apt_install openmpi-bin 2>/dev/null || echo "install-deps: openmpi-bin did not install; the distributed training tests will be skipped"
fi
if command -v python3 >/dev/null 2>&1; then
  if ! python3 -c "import gensim, safetensors, numpy, nbformat" 2>/dev/null; then
    python3 -m pip install -q --disable-pip-version-check gensim safetensors numpy nbformat \
      || echo "install-deps: pip install failed; the Python cross-check tests will be skipped"
  fi
  if ! python3 -c "import selenium" 2>/dev/null && [ "${LYRICS_SKIP_CHROMIUM:-}" != 1 ]; then
    python3 -m pip install -q --disable-pip-version-check selenium \
      || echo "install-deps: pip install selenium failed; the studio browser test will be skipped"
  fi
else
  echo "install-deps: no python3; the gensim/safetensors/nbformat cross-check tests will be skipped"
fi
