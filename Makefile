# Build and install dh-virtualenv. `make install DESTDIR=… PREFIX=/usr` lays out what the .deb ships.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
PERL5DIR = $(DESTDIR)$(PREFIX)/share/perl5
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1

SOURCES = $(shell find bin src autoscripts -type f) build.mjs package.json
# The debhelper add-on (Sequence/) and build system (Buildsystem/), Perl shims that hand over to dh_virtualenv.
PERL_MODULES = $(shell cd perl && find Debian -name '*.pm' | sort)

COMMANDS = dh_virtualenv dh_virtualenv_shlibdeps dh-virtualenv
BUILT = $(foreach command,$(COMMANDS),dist/$(command) dist/$(command).1)

all: $(BUILT)

# One run of build.mjs writes them all: the manual pages come from the tables the commands are built from. It
# bundles with npm's esbuild when `npm ci` has filled node_modules/, else with Debian's /usr/bin/esbuild;
# `make ESBUILD=/path/to/esbuild` names another.
$(BUILT) &: $(SOURCES) debian/changelog
	ESBUILD='$(ESBUILD)' node build.mjs

install: $(BUILT)
	install -d $(BINDIR) $(MAN1DIR)
	for command in $(COMMANDS); do \
		install -m 0755 dist/$$command $(BINDIR)/$$command && \
		install -m 0644 dist/$$command.1 $(MAN1DIR)/$$command.1 || exit 1; done
	for module in $(PERL_MODULES); do install -D -m 0644 perl/$$module $(PERL5DIR)/$$module || exit 1; done

check:
	npm test

clean:
	rm -rf dist build

.PHONY: all install check clean
