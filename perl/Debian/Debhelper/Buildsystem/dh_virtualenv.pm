# debhelper build system "dh_virtualenv" (dh $@ --buildsystem=dh_virtualenv): each dh_auto_* step hands over
# to "dh_virtualenv --buildsystem-step", which shares venv creation, installs and relocation with the
# python-virtualenv sequence. Nothing but argument passing lives here.
package Debian::Debhelper::Buildsystem::dh_virtualenv;

use strict;
use warnings;
use Debian::Debhelper::Dh_Lib qw(doit sourcepackage);
use parent qw(Debian::Debhelper::Buildsystem);

sub DESCRIPTION {
	return 'Python project in a virtualenv (dh-virtualenv)';
}

sub check_auto_buildable {
	my ($this) = @_;
	return -e $this->get_sourcepath('setup.py') ? 1 : 0;
}

sub new {
	my ($class, @args) = @_;
	my $this = $class->SUPER::new(@args);
	$this->prefer_out_of_source_building();
	return $this;
}

sub _hand_over {
	my ($this, $step, @extra) = @_;
	doit('dh_virtualenv', "--buildsystem-step=$step", '--source-package=' . sourcepackage(),
		'--sourcedirectory=' . $this->get_sourcedir(), '--builddirectory=' . $this->get_buildpath(), @extra);
}

sub configure { my ($this) = @_; $this->_hand_over('configure'); }
sub build     { my ($this) = @_; $this->_hand_over('build'); }
sub test      { my ($this) = @_; $this->_hand_over('test'); }
sub install   { my ($this, $destdir) = @_; $this->_hand_over('install', "--destdir=$destdir"); }
sub clean     { my ($this) = @_; $this->_hand_over('clean'); }

1;
