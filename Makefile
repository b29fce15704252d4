# Build and install dh-virtualenv. `make install DESTDIR=… PREFIX=/usr` lays out what the .deb ships.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
PERLDIR = $(DESTDIR)$(PREFIX)/share/perl5/Debian/Debhelper

SOURCES = $(shell find bin src autoscripts -type f) build.mjs package.json

all: dist/dh_virtualenv

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

dist/dh_virtualenv: node_modules/.package-lock.json $(SOURCES)
	node build.mjs

install: dist/dh_virtualenv
	install -d $(BINDIR) $(PERLDIR)/Sequence $(PERLDIR)/Buildsystem
	install -m 0755 dist/dh_virtualenv $(BINDIR)/dh_virtualenv
	install -m 0644 perl/Debian/Debhelper/Sequence/python_virtualenv.pm $(PERLDIR)/Sequence/
	install -m 0644 perl/Debian/Debhelper/Buildsystem/dh_virtualenv.pm $(PERLDIR)/Buildsystem/

check:
	npm test

clean:
	rm -rf dist build

.PHONY: all install check clean
