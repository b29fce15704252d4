#!/usr/bin/perl
# dh sequence add-on "python-virtualenv": runs dh_virtualenv and keeps debhelper's own Python build steps away
# from the project, which is built inside the virtualenv instead. All the work is done by dh_virtualenv.
use strict;
use warnings;
use Debian::Debhelper::Dh_Lib;

insert_before('dh_installinit', 'dh_virtualenv');

# dh_auto_* would build, test and install the project with the system Python; under compat 12 and later
# dh_auto_configure even stops the build for setup.py projects (the python_distutils buildsystem was removed).
remove_command($_) for qw(dh_auto_configure dh_auto_build dh_auto_test dh_auto_install dh_auto_clean);
# Helpers of the Python 2 era that would try to byte-compile or register the venv's files.
remove_command($_) for qw(dh_python2 dh_pycentral dh_pysupport);
# What pip installed is shipped as pip installed it (docs/native.md): strip and dwz corrupt or reject the
# libraries auditwheel patched into manylinux wheels, and nothing in a venv is a public shared library.
# dh_shlibdeps still reads every file, so ${shlibs:Depends} covers them.
add_command_options($_, '--exclude=/site-packages/') for qw(dh_dwz dh_strip dh_makeshlibs);

1;
