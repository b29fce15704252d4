#!/bin/sh
# Written by dh-virtualenv init (--service) from #ORIGIN#.
set -e

case "$1" in
	configure)
		# The service runs as the system user #USER#. It is created here, before dh_installsystemd's
		# snippet below starts the service; on upgrades adduser finds it and does nothing. No home
		# directory: the service's files go to its StateDirectory, /var/lib/#PACKAGE#.
		adduser --system --group --quiet --no-create-home --home /nonexistent #USER#
		;;
esac

#DEBHELPER#

exit 0
