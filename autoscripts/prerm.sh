# dh_virtualenv: remove what running #VENV_DIR# left behind (byte code written at run time, interpreter
# backups from the postinst), so dpkg can remove the venv's directories.
case "$1" in
	remove|upgrade|deconfigure)
		if [ -d '#VENV_DIR#' ]; then
			rm -f '#VENV_DIR#'/bin/*,orig
			find '#VENV_DIR#' -depth -type d -name __pycache__ -exec rm -rf {} + || true
		fi
		;;
esac
