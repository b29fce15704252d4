#!/bin/sh
# Measures issue #5 ("clean output") for upstream dh-virtualenv 1.2.2 (Debian's package, unpacked privately)
# and for this checkout, on the same source: test/fixtures/clean-hello, a setup.py project with two small
# requirements, switched to debhelper compat 11 for both (upstream stops at dh_auto_configure from compat 12).
# Not part of `npm test`. For each tool it builds the source twice:
#
#   A  in a deep directory with odd characters (+ , @ = ~), umask 0002, TZ=UTC, LC_ALL=C.UTF-8
#   B  in a short plain directory, two seconds later, umask 0077, TZ=Pacific/Kiritimati, LC_ALL=C
#
# and prints: how many files of package A name the build directory (its path, a marker directory name that
# catches percent-encoded spellings, or the debian/<pkg> staging tree); how many files differ between
# packages A and B (diff -r of the unpacked trees, control files included) and whether the .debs are
# identical; lintian's E: and W: counts for package A, and how long lintian took.
#
# Needs root (apt-get download), Debian's archive for dh-virtualenv 1.2.2, lintian, and no PyPI: the two
# requirements are built locally into wheels and pip installs from those and Debian's python-wheels.
#
#   sudo sh bench/clean-output.sh
#   KEEP=1 sudo sh bench/clean-output.sh       # keep the work directory (builds, logs, unpacked trees)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/dhvt-clean-output-XXXXXX)
# shellcheck disable=SC2317 # run by the trap
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
marker=dhvt-clean-leak-marker
pkg=dhvt-clean-hello
base_path=/usr/sbin:/usr/bin:/sbin:/bin

# Ours, as `make install` lays it out.
make -s -C "$repo" -o node_modules/.package-lock.json install DESTDIR="$work/ours" PREFIX=/usr >/dev/null

# Upstream: Debian's 1.2.2 unpacked, its dh_virtualenv run with its module first on sys.path (PYTHONPATH would
# reach pip and the venv too), `virtualenv` on PATH, its templates next to its module.
mkdir -p "$work/upstream/bin"
(cd "$work/upstream" && apt-get download -qq -o APT::Sandbox::User=root dh-virtualenv >/dev/null)
deb=$(ls "$work"/upstream/dh-virtualenv_*.deb)
dpkg-deb -x "$deb" "$work/upstream/root"
dist="$work/upstream/root/usr/lib/python3/dist-packages"
cp -r "$work/upstream/root/usr/share/debhelper/autoscripts" "$dist/autoscripts"
cat >"$work/upstream/bin/dh_virtualenv" <<EOF
#!/usr/bin/python3
import runpy, sys
sys.path.insert(0, "$dist")
runpy.run_path("$work/upstream/root/usr/bin/dh_virtualenv", run_name="__main__")
EOF
printf '#!/bin/sh\nexec /usr/bin/python3 -m virtualenv "$@"\n' >"$work/upstream/bin/virtualenv"
chmod 755 "$work/upstream/bin/dh_virtualenv" "$work/upstream/bin/virtualenv"

# The requirements, as wheels.
mkdir -p "$work/wheels" "$work/home"
for project in dhvt-greet dhvt-color; do
	cp -r "$repo/test/fixtures/index/$project" "$work/src-$project"
	(cd "$work/src-$project" && env -i PATH=$base_path HOME="$work/home" /usr/bin/python3 -c \
		'import sys, setuptools.build_meta as b; b.build_wheel(sys.argv[1])' "$work/wheels" >/dev/null 2>&1)
done

# build <tool> <dir> <umask> <TZ> <locale>: builds the fixture in <dir>/clean-hello; prints the .deb's path.
build() {
	tool=$1 dir=$2
	case $tool in
	ours) tool_path="$work/ours/usr/bin" perl5="$work/ours/usr/share/perl5" ;;
	upstream) tool_path="$work/upstream/bin" perl5="$work/upstream/root/usr/share/perl5" ;;
	esac
	mkdir -p "$dir"
	cp -r "$repo/test/fixtures/clean-hello" "$dir/clean-hello"
	sed -i 's/debhelper-compat (= 13)/debhelper-compat (= 11)/' "$dir/clean-hello/debian/control"
	(cd "$dir/clean-hello" && umask "$3" && env -i PATH="$tool_path:$base_path" PERL5LIB="$perl5" \
		HOME="$work/home" TZ="$4" LC_ALL="$5" LANG="$5" PIP_NO_INDEX=1 \
		PIP_FIND_LINKS="$work/wheels /usr/share/python-wheels" \
		dpkg-buildpackage -us -uc -b >"$dir/build.log" 2>&1) || {
		tail -30 "$dir/build.log" >&2
		echo "$tool: build in $dir failed" >&2
		exit 1
	}
	ls "$dir"/${pkg}_*.deb
}

for tool in upstream ours; do
	a="$work/$tool-a/first+build,dir@host=x~y/$marker/level-three_with-a-rather-long-name/src"
	b="$work/$tool-b/src"
	start=$(date +%s.%N)
	deb_a=$(build "$tool" "$a" 0002 UTC C.UTF-8)
	seconds_a=$(echo "$(date +%s.%N) - $start" | bc)
	sleep 2
	deb_b=$(build "$tool" "$b" 0077 Pacific/Kiritimati C)
	dpkg-deb -R "$deb_a" "$work/$tool-tree-a"
	dpkg-deb -R "$deb_b" "$work/$tool-tree-b"

	leaks=$(grep -r -l -F -e "$a" -e "$marker" -e "debian/$pkg/opt/venvs/$pkg" "$work/$tool-tree-a" | wc -l)
	pyc=$(find "$work/$tool-tree-a" -name '*.pyc' | wc -l)
	differing=$(diff -r -q --no-dereference "$work/$tool-tree-a" "$work/$tool-tree-b" | wc -l || true)
	if cmp -s "$deb_a" "$deb_b"; then identical=yes; else identical=no; fi
	start=$(date +%s.%N)
	lintian_out=$(env -i PATH=$base_path HOME="$work/home" lintian "$deb_a" 2>/dev/null || true)
	seconds_lintian=$(echo "$(date +%s.%N) - $start" | bc)
	errors=$(printf '%s\n' "$lintian_out" | grep -c '^E:' || true)
	warnings=$(printf '%s\n' "$lintian_out" | grep -c '^W:' || true)
	files=$(find "$work/$tool-tree-a" -type f | wc -l)

	printf '%s: %s files (%s .pyc); build path in %s files; A and B differ in %s files, identical .deb: %s;\n' \
		"$tool" "$files" "$pyc" "$leaks" "$differing" "$identical"
	printf '%s: lintian %s errors, %s warnings (%.1f s); build A took %.1f s\n' \
		"$tool" "$errors" "$warnings" "$seconds_lintian" "$seconds_a"
	printf '%s\n' "$lintian_out" | grep '^[EW]:' | sed 's/ \[.*//' | sort | uniq -c | sort -rn | sed "s/^/  $tool: /" | head -15
done
