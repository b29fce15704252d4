#!/bin/sh
# Real-world check of native code (docs/native.md), not part of `npm test`: builds one package per project from
# PyPI with this checkout's dh_virtualenv and the default debhelper sequence, installs it, imports the project
# with the venv's interpreter, and purges it again.
#
#   psycopg2     compiled from its sdist against libpq-dev          -> libpq5 in Depends
#   python-ldap  compiled from its sdist against libldap2-dev/libsasl2-dev -> libldap-2.5-0 (and libsasl2-2)
#   lxml, numpy  manylinux wheels, bundled libraries under <name>.libs/
#
# Needs root (dpkg -i), the network (PyPI) and Debian's archive for the -dev packages it installs when they
# are missing. Prints each package's Depends line and a summary; exits non-zero if any step failed.
#
#   sudo sh bench/real-world-native.sh                 # all four
#   sudo sh bench/real-world-native.sh numpy lxml      # some of them
#   KEEP=1 sudo sh bench/real-world-native.sh          # keep the work directory (logs, .debs)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)

# name | requirements.txt lines (\n-separated) | Build-Depends beyond the basics | import check
projects='psycopg2|--no-binary psycopg2\npsycopg2|libpq-dev|import psycopg2, psycopg2.extensions as e; print("psycopg2", psycopg2.__version__, "libpq", e.libpq_version())
python-ldap|--no-binary python-ldap\npython-ldap|libldap2-dev, libsasl2-dev|import ldap; print("python-ldap", ldap.__version__, "OpenLDAP", ldap.VENDOR_VERSION)
lxml|--only-binary lxml\nlxml|-|from lxml import etree; print("lxml", etree.__version__, "libxml2", etree.LIBXML_VERSION); etree.fromstring("<a><b/></a>")
numpy|--only-binary numpy\nnumpy|-|import numpy; print("numpy", numpy.__version__, numpy.linalg.inv(numpy.eye(3) * 2).sum())'
selected=${*:-psycopg2 python-ldap lxml numpy}

missing=""
for pkg in libpq-dev libldap2-dev libsasl2-dev python3-dev python3-venv python3-virtualenv debhelper dpkg-dev file; do
	dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	apt-get -o DPkg::Lock::Timeout=300 update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends $missing
fi

work=$(mktemp -d /tmp/dhvt-real-world-native-XXXXXX)
# shellcheck disable=SC2317 # run by the trap
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
# -o: never run `npm ci` (the tests do the same); the checkout's node_modules are used as they are.
make -s -C "$repo" -o node_modules/.package-lock.json install DESTDIR="$work/dest" PREFIX=/usr >/dev/null
# The tool under test, not an installed dh-virtualenv; a fresh HOME, so pip compiles afresh (no wheel cache).
export PATH="$work/dest/usr/bin:/usr/sbin:/usr/bin:/sbin:/bin" PERL5LIB="$work/dest/usr/share/perl5"
export HOME="$work/home" LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive
unset PYTHONPATH PIP_REQUIRE_VIRTUALENV PIP_USER VIRTUAL_ENV DEB_BUILD_OPTIONS MAKEFLAGS 2>/dev/null || true
mkdir -p "$HOME"

summary=""
failed=0

# dpkg, waiting up to five minutes while another process (apt, another test run) holds its lock.
run_dpkg() {
	log=$1
	shift
	waited=0
	until dpkg "$@" >"$log" 2>&1; do
		if ! grep -q 'lock' "$log" || [ "$waited" -ge 300 ]; then return 1; fi
		sleep 2
		waited=$((waited + 2))
	done
}
fail() {
	echo "FAILED: $1: $2 (log: $work/$1/build.log)" >&2
	summary="$summary\n$1: FAILED ($2)"
	failed=1
}

build_one() {
	name=$1 requirements=$2 build_deps=$3 check=$4
	pkg="dhvt-native-rw-$name"
	dir="$work/$name/src"
	mkdir -p "$dir/debian/source"
	printf '%b\n' "$requirements" >"$dir/requirements.txt"
	cat >"$dir/setup.py" <<-EOF
		from setuptools import setup

		# Only the requirements matter; this project is an empty shell around them.
		setup(name="$pkg", version="1.0", py_modules=[])
	EOF
	extra=""
	[ "$build_deps" = - ] || extra=", $build_deps"
	cat >"$dir/debian/control" <<-EOF
		Source: $pkg
		Section: python
		Priority: optional
		Maintainer: dh-virtualenv tests <dhvt-tests@example.invalid>
		Build-Depends: debhelper-compat (= 13), python3, python3-dev, python3-venv, python3-virtualenv$extra
		Standards-Version: 4.6.2
		Rules-Requires-Root: no

		Package: $pkg
		Architecture: any
		Depends: \${shlibs:Depends}, \${misc:Depends}
		Description: dh-virtualenv real-world check: $name
		 Built by bench/real-world-native.sh.
	EOF
	printf '#!/usr/bin/make -f\n\n%%:\n\tdh $@ --with python-virtualenv\n' >"$dir/debian/rules"
	chmod +x "$dir/debian/rules"
	echo '3.0 (native)' >"$dir/debian/source/format"
	cat >"$dir/debian/changelog" <<-EOF
		$pkg (1.0) unstable; urgency=medium

		  * Real-world check of dh-virtualenv.

		 -- dh-virtualenv tests <dhvt-tests@example.invalid>  Mon, 01 Jan 2024 00:00:00 +0000
	EOF

	echo "== $name: building $pkg"
	start=$(date +%s)
	if ! (cd "$dir" && dpkg-buildpackage -us -uc -b) >"$work/$name/build.log" 2>&1; then
		tail -n 30 "$work/$name/build.log" >&2
		fail "$name" "dpkg-buildpackage"
		return
	fi
	built=$(($(date +%s) - start))
	deb=$(echo "$work/$name/${pkg}"_*.deb)
	depends=$(dpkg-deb -f "$deb" Depends)
	size=$(du -k "$deb" | cut -f1)
	echo "$pkg Depends: $depends"
	grep -E 'dpkg-shlibdeps: (warning|error)' "$work/$name/build.log" >&2 || true
	for dbgsym in "$work/$name/"*-dbgsym_*.deb; do
		[ ! -e "$dbgsym" ] || echo "   (also built ${dbgsym##*/})"
	done

	venv="/opt/venvs/$pkg"
	run_dpkg "$work/$name/purge.log" --purge "$pkg" || true
	if ! run_dpkg "$work/$name/install.log" -i "$deb"; then
		cat "$work/$name/install.log" >&2
		fail "$name" "dpkg -i"
		return
	fi
	# The extensions as shipped: stripped or not, and whether _FORTIFY_SOURCE reached those compiled here.
	find "$venv" -name '*.so*' -type f | sort | while read -r so; do
		case $(file -b "$so") in *ELF*) ;; *) continue ;; esac
		stripped=stripped
		file -b "$so" | grep -q 'not stripped' && stripped="not stripped"
		fortify=""
		nm -D --undefined-only "$so" 2>/dev/null | grep -q '__[a-z]*_chk@' && fortify=", _FORTIFY_SOURCE"
		echo "   ${so#"$venv"/} ($stripped$fortify)"
	done | head -n 12
	if output=$(cd / && "$venv/bin/python" -c "$check" 2>&1); then
		echo "   import: $output"
	else
		echo "$output" >&2
		fail "$name" "import"
	fi
	if ! run_dpkg "$work/$name/purge.log" --purge "$pkg" || [ -e "$venv" ]; then
		cat "$work/$name/purge.log" >&2
		fail "$name" "purge"
		return
	fi
	summary="$summary\n$pkg (${size} KiB, built in ${built}s) Depends: $depends"
}

for name in $selected; do
	line=$(printf '%s\n' "$projects" | grep "^$name|") || {
		echo "unknown project $name" >&2
		exit 2
	}
	requirements=$(printf '%s\n' "$line" | cut -d'|' -f2)
	build_deps=$(printf '%s\n' "$line" | cut -d'|' -f3)
	check=$(printf '%s\n' "$line" | cut -d'|' -f4-)
	build_one "$name" "$requirements" "$build_deps" "$check"
done

printf '\n== summary%b\n' "$summary"
exit $failed
