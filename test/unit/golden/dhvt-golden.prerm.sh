# dh_virtualenv: remove what running /opt/venvs/dhvt-golden left behind (byte code written at run time, interpreter
# backups from the postinst), so dpkg can remove the venv's directories.
case "$1" in
	remove|upgrade|deconfigure)
		if [ -d '/opt/venvs/dhvt-golden' ]; then
			rm -f '/opt/venvs/dhvt-golden'/bin/*,orig
			find '/opt/venvs/dhvt-golden' -depth -type d -name __pycache__ -exec rm -rf {} + || true
		fi
		;;
esac
