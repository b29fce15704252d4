# Build and install dh-virtualenv. `make install DESTDIR=… PREFIX=/usr` lays out what the .deb ships.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
PERL5DIR = $(DESTDIR)$(PREFIX)/share/perl5
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1

SOURCES = $(shell find bin src autoscripts -type f) build.mjs package.json
# The debhelper add-on (Sequence/) and build system (Buildsystem/), Perl shims that hand over to dh_virtualenv.
PERL_MODULES = $(shell cd perl && find Debian -name '*.pm' | sort)

all: dist/dh_virtualenv dist/dh_virtualenv.1

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# One run of build.mjs writes both: the manual page comes from the option table the command is built from.
dist/dh_virtualenv dist/dh_virtualenv.1 &: node_modules/.package-lock.json $(SOURCES) debian/changelog
	node build.mjs

install: dist/dh_virtualenv dist/dh_virtualenv.1
	install -d $(BINDIR) $(MAN1DIR)
	install -m 0755 dist/dh_virtualenv $(BINDIR)/dh_virtualenv
	for module in $(PERL_MODULES); do install -D -m 0644 perl/$$module $(PERL5DIR)/$$module || exit 1; done
	install -m 0644 dist/dh_virtualenv.1 $(MAN1DIR)/dh_virtualenv.1

check:
	npm test

clean:
	rm -rf dist build

.PHONY: all install check clean
