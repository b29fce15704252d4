# dh_virtualenv: remove what running /opt/venvs/dhvt-golden left behind (byte code written at run time, interpreter
# backups from the postinst), so dpkg can remove the venv's directories. Byte code shipped in the package
# (--ship-byte-code, "shipped") stays on upgrade and deconfigure: the package still needs it if the upgrade
# fails or it is configured again; dpkg replaces it on upgrade.
dh_venv_byte_code='compiled-on-install'
case "$1" in
	remove|upgrade|deconfigure)
		if [ -d '/opt/venvs/dhvt-golden' ]; then
			rm -f '/opt/venvs/dhvt-golden'/bin/*,orig
			if [ "$dh_venv_byte_code" != shipped ] || [ "$1" = remove ]; then
				find '/opt/venvs/dhvt-golden' -depth -type d -name __pycache__ -exec rm -rf {} + || true
			fi
		fi
		;;
esac
