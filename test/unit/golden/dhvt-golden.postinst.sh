# dh_virtualenv: keep a copied interpreter in /opt/venvs/dhvt-golden equal to /usr/bin/python3.11.
# A venv made with copies (virtualenv --always-copy) carries its own python binary, which goes stale when the
# python package is updated; symlinked interpreters follow the system one by themselves.
dh_venv_refresh_interpreter() {
	dh_venv_dir='/opt/venvs/dhvt-golden'
	dh_venv_python='/usr/bin/python3.11'
	[ -x "$dh_venv_python" ] || return 0
	for dh_venv_exe in "$dh_venv_dir/bin/python" "$dh_venv_dir/bin/python3" "$dh_venv_dir/bin/${dh_venv_python##*/}"; do
		if [ -L "$dh_venv_exe" ] || [ ! -f "$dh_venv_exe" ] || cmp -s "$dh_venv_python" "$dh_venv_exe"; then
			continue
		fi
		[ -e "$dh_venv_exe,orig" ] || ln "$dh_venv_exe" "$dh_venv_exe,orig" || true
		if cp -p "$dh_venv_python" "$dh_venv_exe,new" && mv -f "$dh_venv_exe,new" "$dh_venv_exe"; then
			[ "${DH_VERBOSE:-0}" != 1 ] || echo "dh_virtualenv: refreshed $dh_venv_exe from $dh_venv_python"
		else
			rm -f "$dh_venv_exe,new"
			echo "dh_virtualenv: warning: could not refresh $dh_venv_exe from $dh_venv_python" >&2
		fi
	done
}
# Byte code is not shipped (it would hold the build path); compile it here, with the installed paths, so
# programs started by unprivileged users do not have to. prerm removes it again. With --ship-byte-code
# ("shipped") the package brought byte code compiled for this path, and compiling again would replace it.
dh_venv_compile() {
	dh_venv_byte_code='compiled-on-install'
	if [ "$dh_venv_byte_code" != shipped ] && [ -x '/opt/venvs/dhvt-golden/bin/python' ]; then
		# Parallel workers need /dev/shm; without it compile in one process. A module that does not compile
		# (Python 2 code in a dependency) is named on stderr and skipped; the installation goes on.
		dh_venv_errors=$('/opt/venvs/dhvt-golden/bin/python' -m compileall -q -j 0 '/opt/venvs/dhvt-golden/lib' 2>&1) ||
			dh_venv_errors=$('/opt/venvs/dhvt-golden/bin/python' -m compileall -q '/opt/venvs/dhvt-golden/lib' 2>&1) || {
			echo "dh_virtualenv: warning: some modules in /opt/venvs/dhvt-golden were not byte-compiled:" >&2
			printf '%s\n' "$dh_venv_errors" | grep -E "^\*\*\* |Error" | head -n 20 >&2 || true
		}
	fi
}
case "$1" in
	configure|reconfigure)
		dh_venv_refresh_interpreter
		dh_venv_compile
		;;
	abort-upgrade|abort-remove|abort-deconfigure)
		# The prerm already removed the byte code; the package stays installed, so compile it again.
		dh_venv_compile
		;;
	triggered)
		# Triggered by the interpreter's path or by hand with "dpkg-trigger dh-virtualenv-interpreter-update"
		# (both declared in the package's triggers file).
		for dh_venv_trigger in $2; do
			case "$dh_venv_trigger" in
				'/usr/bin/python3.11'|/usr/bin/python*|dh-virtualenv-interpreter-update) dh_venv_refresh_interpreter ;;
			esac
		done
		;;
esac
