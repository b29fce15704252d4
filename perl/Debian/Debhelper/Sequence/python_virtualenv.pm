#!/usr/bin/perl
# dh sequence add-on "python-virtualenv": runs dh_virtualenv and keeps debhelper's own Python build steps away
# from the project, which is built inside the virtualenv instead. All the work is done by the dh_virtualenv*
# commands; the only decision made here is whether dh was asked for the dh_virtualenv build system.
use strict;
use warnings;
use Debian::Debhelper::Dh_Lib;

# With "dh $@ --buildsystem=dh_virtualenv" the dh_auto_* steps build the venv and must stay. dh has not parsed
# its options into anything an add-on can read when add-ons load, so its command line is read as the kernel
# has it.
sub buildsystem_requested {
	open(my $fh, '<', '/proc/self/cmdline') or return 0;
	local $/;
	my @argv = split(/\0/, <$fh> // '');
	close($fh);
	my $words = join("\n", @argv);
	return $words =~ m/^(?:--buildsystem[=\n]|-S=?\n?)dh_virtualenv$/m ? 1 : 0;
}

if (buildsystem_requested()) {
	# dh_virtualenv's build-system step reads this to know that the steps below are taken care of.
	$ENV{DH_VIRTUALENV_ADDON_ACTIVE} = '1';
} else {
	insert_before('dh_installinit', 'dh_virtualenv');
	# dh_auto_* would build, test and install the project with the system Python; under compat 12 and later
	# dh_auto_configure even stops the build for setup.py projects (the python_distutils buildsystem was
	# removed).
	remove_command($_) for qw(dh_auto_configure dh_auto_build dh_auto_test dh_auto_install dh_auto_clean);
}
# Helpers of the Python 2 era that would try to byte-compile or register the venv's files.
remove_command($_) for qw(dh_python2 dh_pycentral dh_pysupport);
# What pip installed is shipped as pip installed it (docs/native.md): strip and dwz corrupt or reject the
# libraries auditwheel patched into manylinux wheels, nothing in a venv is a public shared library, and
# dh_shlibdeps cannot resolve the libraries wheels bundle. dh_virtualenv_shlibdeps reads those files instead.
add_command_options($_, '--exclude=/site-packages/') for qw(dh_dwz dh_strip dh_makeshlibs dh_shlibdeps);
insert_after('dh_shlibdeps', 'dh_virtualenv_shlibdeps');
# Files from wheels hold no build-time timestamps to strip, and dh_virtualenv makes the rest reproducible
# itself (docs/native.md); walking thousands of files was half the time of building a web application.
add_command_options('dh_strip_nondeterminism', '--exclude=/site-packages/');
# The bill of materials (/usr/share/doc/<package>/sbom.cdx.json) stays uncompressed: scanners look for it by
# that name, and dh_compress would make it sbom.cdx.json.gz once it passes 4 kB.
add_command_options('dh_compress', '-X.cdx.json');

1;
