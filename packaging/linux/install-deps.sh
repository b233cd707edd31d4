#!/usr/bin/env bash
# Installs what building, running and testing Switchboard needs on Debian 12.
# Idempotent: when every package is already present it only checks, in well under a second.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev qt6-tools-dev-tools
  libqt6sql6-sqlite libqt6sql6-psql libsqlite3-dev libqt6svg6 qt6-qpa-plugins libgl-dev
  postgresql postgresql-client
  xvfb xauth fonts-dejavu-core
  wrk curl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
