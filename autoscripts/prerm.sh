# dh_virtualenv: remove what running #VENV_DIR# left behind (byte code written at run time, interpreter
# backups from the postinst), so dpkg can remove the venv's directories. Byte code shipped in the package
# (--ship-byte-code, "shipped") stays on upgrade and deconfigure: the package still needs it if the upgrade
# fails or it is configured again; dpkg replaces it on upgrade.
dh_venv_byte_code='#BYTE_CODE#'
case "$1" in
	remove|upgrade|deconfigure)
		if [ -d '#VENV_DIR#' ]; then
			rm -f '#VENV_DIR#'/bin/*,orig
			if [ "$dh_venv_byte_code" != shipped ] || [ "$1" = remove ]; then
				find '#VENV_DIR#' -depth -type d -name __pycache__ -exec rm -rf {} + || true
			fi
		fi
		;;
esac
