#!/usr/bin/env bash
# Installs the Debian 12 packages crsim needs, only those that are missing.
# Safe to run again: it exits at once when everything is present.
set -euo pipefail

packages=(
  g++ cmake make
  libboost-graph-dev libboost-random-dev libboost-program-options-dev libboost-mpi-dev
  libeigen3-dev libyaml-cpp-dev doctest-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
