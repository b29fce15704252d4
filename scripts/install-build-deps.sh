#!/bin/sh
# Installs what building and testing dh-virtualenv needs on Debian 12, then the npm dev dependencies.
# Idempotent: apt-get only runs when something is missing.
set -eu
cd "$(dirname "$0")/.."

# esbuild: the package build bundles with Debian's (debian/rules); npm test uses npm's.
# mmdebstrap: the clean-system test bootstraps a fresh Debian root with it (test/e2e/clean-system.test.ts).
# python3-dev, zlib1g-dev, patchelf: the native-code fixtures compile C extensions, one against zlib, and lay
# out a wheel as auditwheel does (test/e2e/native-builds.test.ts).
# dpkg-repack: rebuilds the installed python3.11-minimal when the archive has moved on from its version, for
# a real reinstall that fires its file trigger (test/e2e/lifetime-interpreter.test.ts).
# python3-hatchling, python3-poetry-core: the init tests build projects with them, served to pip's build
# isolation as wheels made from Debian's files (test/fixtures/index/debian_wheel.py). libpq-dev: the init test's
# psycopg2 stand-in compiles against it. systemd: systemd-analyze verify checks the unit init --service writes
# (systemd need not run); adduser: that unit's postinst creates its user with it.
packages="nodejs npm esbuild make debhelper dpkg-dev fakeroot build-essential python3 python3-venv python3-virtualenv
python3-pip python3-setuptools python3-wheel lintian shellcheck dash ca-certificates mmdebstrap
python3-dev zlib1g-dev patchelf dpkg-repack python3-hatchling python3-poetry-core libpq-dev systemd adduser"
missing=""
for pkg in $packages; do
	dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || missing="$missing $pkg"
done
# nodejs from another repository (nodesource) carries npm itself and conflicts with Debian's npm.
if command -v npm >/dev/null 2>&1; then missing=$(echo "$missing" | sed 's/ npm\b//'); fi
if [ -n "$missing" ]; then
	echo "installing:$missing"
	# Another apt or dpkg (a parallel job, unattended-upgrades) may hold the locks: wait for it.
	apt-get -o DPkg::Lock::Timeout=300 update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends $missing
fi
# uv, for the --installer uv tests: Debian ships none, so it comes from PyPI into a venv of its own (test/e2e/
# processes.ts names the directory), pinned so that every machine tests the same uv.
uv_version=0.13.9
uv_home=/usr/local/lib/dh-virtualenv-dev/uv
# uv --version says "uv 0.13.9 (x86_64-unknown-linux-gnu)": the version is its second word.
if [ "$("$uv_home/bin/uv" --version 2>/dev/null | cut -d' ' -f2)" != "$uv_version" ]; then
	echo "installing uv $uv_version into $uv_home"
	rm -rf "$uv_home"
	/usr/bin/python3 -m venv "$uv_home"
	"$uv_home/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$uv_version"
fi
if [ ! -f node_modules/.package-lock.json ] || [ -n "$(find package-lock.json -newer node_modules/.package-lock.json)" ]; then
	npm ci --no-audit --no-fund
fi
