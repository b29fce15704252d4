/**
 * The manual page dh_virtualenv(1), rendered as roff from the same tables as `--help` (option-table.ts), so
 * the two cannot drift apart. build.mjs writes it to dist/dh_virtualenv.1; `make install` installs it.
 */
import { ENVIRONMENT_TABLE, OPTION_TABLE, type OptionSpec } from '../core/option-table';

/**
 * Escapes text for a roff text line: backslashes, a leading control character (. or '), and every "-" as a
 * minus sign (man-pages(7): option names must be \- so they can be searched for and copied). Non-ASCII
 * characters become \[uXXXX] so the page does not depend on the reader's locale (groff_char(7)).
 */
export function roffEscape(text: string): string {
  const escaped = [...text.replace(/\\/g, '\\e').replace(/-/g, '\\-')]
    .map((char) => {
      const code = char.codePointAt(0) ?? 0;
      return code < 0x80 ? char : `\\[u${code.toString(16).toUpperCase().padStart(4, '0')}]`;
    })
    .join('');
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

export function bold(text: string): string {
  return `\\fB${roffEscape(text)}\\fR`;
}

export function italic(text: string): string {
  return `\\fI${roffEscape(text)}\\fR`;
}

/** `-p, --package PACKAGE`, as in `--help`, in bold with the value in italics. */
export function optionTerm(spec: OptionSpec): string {
  const names = [...(spec.short === undefined ? [] : [`-${spec.short}`]), `--${spec.long}`].map(bold);
  const value = spec.kind === 'flag' ? '' : ` ${italic(spec.metavar ?? 'VALUE')}`;
  return names.join(', ') + value;
}

export function paragraphs(...texts: string[]): string {
  return texts.map((text) => `.PP\n${roffEscape(text)}\n`).join('');
}

export function tagged(term: string, text: string): string {
  return `.TP\n${term}\n${roffEscape(text)}\n`;
}

/** Lines shown verbatim (no filling), e.g. debian/rules snippets; a tab is kept as a tab. */
export function example(lines: readonly string[]): string {
  const body = lines.map((line) => (line === '' ? '\\&' : roffEscape(line))).join('\n');
  return `.PP\n.RS 4\n.nf\n${body}\n.fi\n.RE\n`;
}

/** FILES: debian/<package>.dh-virtualenv (package-options.ts), with what it cannot set taken from the table. */
function packageFileEntry(): string {
  const names = (specs: readonly OptionSpec[]): string => specs.map((spec) => `--${spec.long}`).join(', ');
  const repeatable = OPTION_TABLE.filter(
    (spec) =>
      spec.kind === 'list' &&
      spec.wholeRun === undefined &&
      spec.internal !== true &&
      spec.deprecated === undefined,
  );
  const wholeRun = OPTION_TABLE.filter((spec) => spec.wholeRun !== undefined);
  return (
    tagged(
      italic('debian/<package>.dh-virtualenv'),
      'Options for one binary package, so that a source building several virtualenvs (a server and a ' +
        'worker with different extras or requirements files) needs no override of dh_virtualenv. One long ' +
        'option a line, as on the command line: "--extras server" or "--extras=server". Blank lines and lines ' +
        'starting with # are skipped. The value is the rest of the line as written: no quotes, no splitting ' +
        'into words. Paths mean what they mean on the command line (--requirements FILE is relative to the ' +
        'source directory).',
    ) +
    indented(
      'As debhelper finds its files, debian/<package>.dh-virtualenv.<arch> or .<os> (DEB_HOST_ARCH, ' +
        'DEB_HOST_ARCH_OS) is read instead when there is one, and the main package (the first binary ' +
        'package of debian/control) reads debian/dh-virtualenv when it has no file of its own.',
      'The file is read after the options given to dh_virtualenv, which apply to every package: for an ' +
        "option taking one value the file's wins; the values of a repeatable option (" +
        names(repeatable) +
        ") are added after the command line's; a flag is on when either gives it (one given " +
        "to dh_virtualenv cannot be turned off for one package: give it in each package's file instead). The " +
        'build log names the file and its options for each package.',
      `These hold for the whole run and are an error in the file: ${names(wholeRun)}. So is an unknown ` +
        'option, a deprecated one, a bad value or one that conflicts with the command line: the error names ' +
        'the file and the line. The files are not read in build-system mode (--buildsystem=dh_virtualenv).',
    )
  );
}

/** Paragraphs indented as the text of the .TP entry before them. */
function indented(...texts: string[]): string {
  return texts.map((text) => `.IP\n${roffEscape(text)}\n`).join('');
}

export interface ManpageInfo {
  readonly version: string;
  /** Date shown in the footer, YYYY-MM-DD; from the changelog so that builds are reproducible. */
  readonly date: string;
}

export function manpage({ version, date }: ManpageInfo): string {
  const current = OPTION_TABLE.filter((spec) => spec.deprecated === undefined && spec.internal !== true);
  const deprecated = OPTION_TABLE.filter((spec) => spec.deprecated !== undefined);
  const internal = OPTION_TABLE.filter((spec) => spec.internal === true);
  return [
    `.\\" Generated by build.mjs from src/core/option-table.ts (src/build/manpage.ts); do not edit.\n`,
    `.TH DH_VIRTUALENV 1 "${date}" "dh\\-virtualenv ${roffEscape(version)}" "Debhelper"\n`,
    // Option and variable names must not be hyphenated or stretched across a line.
    '.nh\n.ad l\n',
    '.SH NAME\n',
    'dh_virtualenv \\- build a Python virtualenv with a project and its dependencies into a Debian package\n',
    '.SH SYNOPSIS\n',
    `.B dh_virtualenv\n[${italic('debhelper options')}] [${italic('options')}]\n`,
    '.SH DESCRIPTION\n',
    paragraphs(
      'dh_virtualenv is a debhelper program. For each binary package it acts on it creates a virtualenv in ' +
        'debian/<package>/opt/venvs/<package>, installs into it the requirements file (requirements.txt, if ' +
        'present) and the Python project of the source directory (setup.py or pyproject.toml) with pip, ' +
        'and then rewrites script shebangs, activate scripts and symbolic links for the final location ' +
        '/opt/venvs/<package>.',
      'It adds snippets to the postinst and prerm that compile and remove byte code on the target, a trigger ' +
        'on the Python interpreter so that an update of it refreshes the virtualenv, and the ' +
        "interpreter's package to ${misc:Depends}.",
      'It is usually run by dh(1) through the python-virtualenv add-on: add dh-sequence-python-virtualenv ' +
        'to Build-Depends (or run "dh $@ --with python-virtualenv"). The add-on runs dh_virtualenv before ' +
        'dh_installinit and removes the dh_auto_* steps, which would build the project with the system ' +
        'Python instead.',
      'Options can be given in an override_dh_virtualenv target of debian/rules, or to dh as ' +
        '-O--option=value; they apply to every package acted on. A package can have options of its own in ' +
        'debian/<package>.dh-virtualenv (see FILES). Options and their meanings are those of dh-virtualenv ' +
        '1.2.2.',
      'dh-virtualenv is also a debhelper build system: with "dh $@ --buildsystem=dh_virtualenv" each ' +
        'dh_auto_* step runs dh_virtualenv with the internal options below, and the build-system variables ' +
        'of ENVIRONMENT take the place of the options.',
    ),
    '.SH OPTIONS\n',
    current.map((spec) => tagged(optionTerm(spec), spec.help)).join(''),
    '.SS Deprecated options\n',
    deprecated.map((spec) => tagged(optionTerm(spec), `${spec.help} (${spec.deprecated ?? ''})`)).join(''),
    '.SS Internal options\n',
    paragraphs(
      'Passed by the dh_virtualenv build system (Debian::Debhelper::Buildsystem::dh_virtualenv); ' +
        'not meant to be given by hand.',
    ),
    internal.map((spec) => tagged(optionTerm(spec), spec.help)).join(''),
    '.SH ENVIRONMENT\n',
    ENVIRONMENT_TABLE.map((row) => tagged(bold(row.name), row.help)).join(''),
    '.SH FILES\n',
    packageFileEntry(),
    tagged(
      italic('debian/wheelhouse/lock.toml'),
      'Written by "dh-virtualenv vendor" with the distribution files beside it. When it exists, every file ' +
        'in debian/wheelhouse is checked against its sha256 before anything is built, and the venvs are ' +
        'installed from those files alone, without a package index (no network needed). A missing, changed ' +
        'or unlisted file is an error naming it.',
    ),
    tagged(
      italic('/opt/venvs/<package>'),
      'Where the virtualenv of a package is installed (see --install-suffix and DH_VIRTUALENV_INSTALL_ROOT).',
    ),
    '.SH EXAMPLES\n',
    paragraphs('A package that ships the project in the current directory, built by dh:'),
    example([
      '# debian/control (source stanza)',
      'Build-Depends: debhelper-compat (= 13), dh-sequence-python-virtualenv',
      '',
      '# debian/rules',
      '%:',
      '\tdh $@',
    ]),
    paragraphs('With options, from a private package index:'),
    example([
      'override_dh_virtualenv:',
      '\tdh_virtualenv --index-url=https://pypi.example.org/simple --extras=postgres',
    ]),
    paragraphs(
      'A server and a worker built from one project, each with its own extras or requirements file, and no ' +
        'override in debian/rules:',
    ),
    example([
      '# debian/myapp-server.dh-virtualenv',
      '--extras server',
      '',
      '# debian/myapp-worker.dh-virtualenv: its own requirements, pinned with hashes',
      '--requirements requirements/worker.txt',
      '--extra-pip-arg --require-hashes',
    ]),
    '.SH SEE ALSO\n',
    `${bold('debhelper')}(7), ${bold('dh')}(1), ${bold('python3')}(1)\n`,
  ].join('');
}

/** dh_virtualenv_shlibdeps(1): a short page, as the command has no options of its own. */
export function shlibdepsManpage({ version, date }: ManpageInfo): string {
  return [
    `.\\" Generated by build.mjs (src/build/manpage.ts); do not edit.\n`,
    `.TH DH_VIRTUALENV_SHLIBDEPS 1 "${date}" "dh\\-virtualenv ${roffEscape(version)}" "Debhelper"\n`,
    '.nh\n.ad l\n',
    '.SH NAME\n',
    'dh_virtualenv_shlibdeps \\- add what the shared objects of a virtualenv need to ${shlibs:Depends}\n',
    '.SH SYNOPSIS\n',
    `.B dh_virtualenv_shlibdeps\n[${italic('debhelper options')}]\n`,
    '.SH DESCRIPTION\n',
    paragraphs(
      'dh_virtualenv_shlibdeps is a debhelper program run by the python-virtualenv add-on right after ' +
        'dh_shlibdeps. The add-on keeps files under site-packages/ away from dh_shlibdeps, dh_strip, dh_dwz ' +
        'and dh_makeshlibs; this command hands the shared objects and executables found there to ' +
        'dpkg-shlibdeps(1), with every directory holding them as a private library directory, and merges ' +
        'the result into the ${shlibs:Depends} that dh_shlibdeps wrote (one entry per package, the higher ' +
        'version winning).',
      'Binary wheels repaired by auditwheel bundle the libraries they need under <name>.libs/; a bundled ' +
        'library that needs another one carries no RPATH, which dh_shlibdeps cannot resolve. Here such ' +
        'libraries are found inside the package and add no dependency; what they need from the system ' +
        '(libc6, libstdc++6, zlib1g, ...) is added. Warnings about how the wheels were linked are turned off.',
      'It takes the package selection options of debhelper (-p, -N, -a, -i) and -v; other dh_virtualenv ' +
        'options, as dh passes them, are accepted and ignored.',
    ),
    '.SH SEE ALSO\n',
    `${bold('dh_virtualenv')}(1), ${bold('dh_shlibdeps')}(1), ${bold('dpkg-shlibdeps')}(1)\n`,
  ].join('');
}
