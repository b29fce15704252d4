#!/bin/sh
# The README's first command. On a fresh Debian 12 system, as root: installs what building dh-virtualenv needs,
# builds its .deb (dpkg-buildpackage, as a Debian developer would), installs that with apt, then builds,
# installs and runs the example package in examples/hello. Needs Debian's archive and PyPI (the example's
# requirements.txt); building dh-virtualenv itself needs only its Build-Depends.
set -eu
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

echo '== installing the build dependencies (debian/control)'
apt-get update
apt-get install -y --no-install-recommends ca-certificates
# debhelper, esbuild, nodejs and python3 from Build-Depends, plus build-essential, which apt adds itself.
apt-get build-dep -y ./

echo '== building dh-virtualenv'
dpkg-buildpackage -us -uc -b
deb="$(cd .. && pwd)/dh-virtualenv_$(dpkg-parsechangelog -S Version)_all.deb"

echo "== installing $deb"
apt-get install -y --no-install-recommends "$deb"

echo '== building examples/hello (Build-Depends: dh-sequence-python-virtualenv)'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R examples/hello "$work/hello"
(cd "$work/hello" && apt-get build-dep -y ./ && dpkg-buildpackage -us -uc -b)

echo '== installing and running it'
apt-get install -y "$work"/hello-venv_*.deb
hello-venv --name Debian
echo "done: dh-virtualenv is installed ($deb); remove the example with: apt-get purge hello-venv"
