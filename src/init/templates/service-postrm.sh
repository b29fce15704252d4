#!/bin/sh
# Written by dh-virtualenv init (--service) from #ORIGIN#.
set -e

case "$1" in
	purge)
		# systemd made the service's state directory (StateDirectory=); purging the package removes it with
		# the rest of the package's files. The system user #USER# stays, as Debian's guidance on accounts in
		# maintainer scripts advises (wiki.debian.org/AccountHandlingInMaintainerScripts): files it owns
		# elsewhere, in backups say, would otherwise pass to whichever account gets its uid next.
		rm -rf '#STATE_DIRECTORY#'
		;;
esac

#DEBHELPER#

exit 0
