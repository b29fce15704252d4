/**
 * The options of dh_virtualenv, in one table that feeds the parser, `--help` and the manual page. Names and
 * meanings are those of upstream dh-virtualenv 1.2.2, so existing debian/rules files keep working.
 */
export type OptionKind = 'flag' | 'value' | 'list';

export interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  readonly kind: OptionKind;
  readonly metavar?: string;
  readonly help: string;
  /** Shown in --help under "Deprecated"; using the option prints a warning. */
  readonly deprecated?: string;
  /** Passed by the dh_virtualenv build system's Perl module only; not in --help or the manual page. */
  readonly internal?: true;
  /**
   * The option holds for the whole run, so a package's own file (debian/<package>.dh-virtualenv) cannot set
   * it: why, and where it goes instead. Said in the error, and in --help and the manual page.
   */
  readonly wholeRun?: string;
}

const SELECTS_PACKAGES = 'it selects the packages to act on; give it to dh_virtualenv in debian/rules';

export const OPTION_TABLE: readonly OptionSpec[] = [
  {
    long: 'package',
    short: 'p',
    kind: 'list',
    metavar: 'PACKAGE',
    help: 'Act on the binary package PACKAGE.',
    wholeRun: SELECTS_PACKAGES,
  },
  {
    long: 'no-package',
    short: 'N',
    kind: 'list',
    metavar: 'PACKAGE',
    help: 'Do not act on PACKAGE.',
    wholeRun: SELECTS_PACKAGES,
  },
  {
    long: 'arch',
    short: 'a',
    kind: 'flag',
    help: 'Act on the architecture-dependent packages (as debhelper does).',
    wholeRun: SELECTS_PACKAGES,
  },
  {
    long: 'indep',
    short: 'i',
    kind: 'flag',
    help: 'Act on the architecture-independent packages.',
    wholeRun: SELECTS_PACKAGES,
  },
  {
    long: 'verbose',
    short: 'v',
    kind: 'flag',
    help: 'Show every command run and pass -v to pip (also DH_VERBOSE=1).',
    wholeRun: 'it applies to the whole run; give it to dh_virtualenv in debian/rules, or set DH_VERBOSE=1',
  },
  {
    long: 'sourcedirectory',
    short: 'D',
    kind: 'value',
    metavar: 'DIR',
    help: 'Directory holding the Python project (setup.py, pyproject.toml, requirements.txt). Default: .',
  },
  {
    long: 'install-suffix',
    kind: 'value',
    metavar: 'DIRNAME',
    help: 'Install into <root>/DIRNAME instead of <root>/<package>.',
  },
  {
    long: 'requirements',
    kind: 'value',
    metavar: 'FILE',
    help: 'Requirements file, relative to the source directory. Default: requirements.txt (skipped if absent).',
  },
  {
    long: 'build-constraints',
    kind: 'value',
    metavar: 'FILE',
    help:
      'Constraints file (relative to the source directory) pinning what pip installs to build sdists and the ' +
      'project (setuptools, wheel, ...); pip gets it as PIP_CONSTRAINT without its --hash options, uv as ' +
      '--build-constraints. See docs/supply-chain.md.',
  },
  {
    long: 'lock-file',
    kind: 'value',
    metavar: 'FILE',
    help:
      'Install the dependencies from this pylock.toml, uv.lock or poetry.lock (relative to the source ' +
      'directory), hash-checked, for the venv\'s interpreter and platform; "none" for none. Default: the first ' +
      'of those three in the source directory, unless --requirements is given. See docs/supply-chain.md.',
  },
  {
    long: 'lock-group',
    kind: 'list',
    metavar: 'NAME',
    help:
      'Also install this dependency group of the lock file (poetry groups, uv dev-dependencies, PEP 751 ' +
      "dependency-groups); repeatable. Default: poetry's main group, pylock.toml's default-groups, none for uv.",
  },
  { long: 'extras', kind: 'list', metavar: 'NAME', help: 'Install the project with this extra; repeatable.' },
  {
    long: 'preinstall',
    kind: 'list',
    metavar: 'REQUIREMENT',
    help: 'Install REQUIREMENT with pip before the requirements file; repeatable.',
  },
  {
    long: 'pip-tool',
    kind: 'value',
    metavar: 'EXECUTABLE',
    help: "Installer in the virtualenv's bin/ used after --preinstall (for example pip-sync). Default: pip",
  },
  {
    long: 'installer',
    kind: 'value',
    metavar: 'NAME',
    help:
      'What installs into the virtualenv: pip (the default) or uv (found on PATH; "uv pip install", much ' +
      'faster, same result). The index options apply to either.',
  },
  { long: 'upgrade-pip', kind: 'flag', help: 'Upgrade pip in the virtualenv to the latest version first.' },
  {
    long: 'upgrade-pip-to',
    kind: 'value',
    metavar: 'VERSION',
    help: 'Upgrade (or downgrade) pip to VERSION first; "latest" means --upgrade-pip.',
  },
  { long: 'index-url', kind: 'value', metavar: 'URL', help: 'Base URL of the Python package index.' },
  { long: 'extra-index-url', kind: 'list', metavar: 'URL', help: 'Additional package index; repeatable.' },
  {
    long: 'extra-pip-arg',
    kind: 'list',
    metavar: 'ARG',
    help:
      'Pass ARG to every pip install; repeatable. --require-hashes goes to the requirements file only, as the ' +
      'project itself, a local directory, has no hash.',
  },
  {
    long: 'extra-virtualenv-arg',
    kind: 'list',
    metavar: 'ARG',
    help: 'Pass ARG to virtualenv (or venv); repeatable.',
  },
  {
    long: 'python',
    kind: 'value',
    metavar: 'EXECUTABLE',
    help: 'Python interpreter for the virtualenv, a path or a name on PATH. Default: /usr/bin/python3',
  },
  {
    long: 'allow-unpackaged-python',
    kind: 'flag',
    help:
      'Accept a --python that no Debian package owns (it must then come from a package of your own, named ' +
      'in Depends); without it, such an interpreter is an error.',
  },
  {
    long: 'builtin-venv',
    kind: 'flag',
    help: "Create the virtualenv with Python's own venv module instead of virtualenv.",
  },
  {
    long: 'without-pip',
    kind: 'flag',
    help:
      'Ship no pip, setuptools or wheel in the virtualenv (unless a requirement needs them): the venv is ' +
      "created without them and pip runs from Debian's pip wheel instead. Saves about 10 MB a package.",
  },
  {
    long: 'ship-byte-code',
    kind: 'flag',
    help: 'Ship hash-checked byte code compiled for the installed path instead of compiling it in the postinst.',
  },
  {
    long: 'setuptools',
    short: 's',
    kind: 'flag',
    help: 'Seed the virtualenv with setuptools (virtualenv only; an error with --builtin-venv).',
  },
  {
    long: 'setuptools-test',
    kind: 'flag',
    help: 'Run "python setup.py test" in the virtualenv (skipped with DEB_BUILD_OPTIONS=nocheck).',
  },
  {
    long: 'use-system-packages',
    short: 'S',
    kind: 'flag',
    help: 'Let the virtualenv see the system site-packages (--system-site-packages).',
  },
  {
    long: 'skip-install',
    kind: 'flag',
    help: 'Do not pip install the project itself, only its requirements.',
  },
  { long: 'noscripts', short: 'n', kind: 'flag', help: 'Do not add maintainer script snippets or triggers.' },
  {
    long: 'pypi-url',
    kind: 'value',
    metavar: 'URL',
    help: 'Old name of --index-url.',
    deprecated: 'use --index-url',
  },
  {
    long: 'no-test',
    kind: 'flag',
    help: 'Has no effect; tests only run with --setuptools-test.',
    deprecated: 'remove it; tests only run with --setuptools-test',
  },
  {
    long: 'help',
    short: 'h',
    kind: 'flag',
    help: 'Show this help and exit.',
    wholeRun: 'it is no build option; remove the line',
  },
  { long: 'buildsystem-step', kind: 'value', help: 'dh_auto_* step to run', internal: true },
  { long: 'source-package', kind: 'value', help: 'source package name', internal: true },
  { long: 'builddirectory', kind: 'value', help: 'build directory', internal: true },
  { long: 'destdir', kind: 'value', help: 'dh_auto_install destination', internal: true },
  {
    long: 'version',
    kind: 'flag',
    help: 'Show the version and exit.',
    wholeRun: 'it is no build option; remove the line',
  },
];

/** Environment variables the tool reads, documented next to the options they relate to. */
export const ENVIRONMENT_TABLE: readonly { name: string; help: string }[] = [
  {
    name: 'DH_VIRTUALENV_INSTALL_ROOT',
    help: 'Absolute directory the virtualenvs go under. Default: /opt/venvs',
  },
  { name: 'DH_VERBOSE', help: 'Set to 1 for verbose output, as with --verbose.' },
  {
    name: 'DH_INTERNAL_OPTIONS',
    help: 'Set by dh for override targets: its own -O options (such as --sourcedirectory) are honoured.',
  },
  { name: 'DH_OPTIONS', help: 'Further options, read after the command line (unknown ones are ignored).' },
  {
    name: 'DEB_BUILD_OPTIONS',
    help:
      'With "nocheck", --setuptools-test does not run the tests; with "nostrip", C extensions compiled from ' +
      'sdists keep their debug symbols.',
  },
  {
    name: 'CFLAGS, CPPFLAGS, CXXFLAGS, LDFLAGS',
    help:
      "For C extensions compiled from sdists: Debian's (dpkg-buildflags, as dh exports them), with -s " +
      'added to LDFLAGS unless nostrip. Export your own in debian/rules, even empty ones, to opt out.',
  },
  {
    name: 'DH_VIRTUALENV_INSTALL_SUFFIX',
    help: 'Build-system mode: directory name under the root. Default: the source package name',
  },
  {
    name: 'DH_VIRTUALENV_ARGUMENTS',
    help: 'Build-system mode: extra arguments for virtualenv, split on white space.',
  },
  {
    name: 'DH_REQUIREMENTS_FILE',
    help: 'Build-system mode: requirements file (default requirements.txt; an error if set and missing).',
  },
  {
    name: 'DH_UPGRADE_PIP, DH_UPGRADE_SETUPTOOLS, DH_UPGRADE_WHEEL',
    help: 'Build-system mode: upgrade that package first; empty means the latest version, else that version.',
  },
  {
    name: 'DH_VIRTUALENV_SHIP_BYTE_CODE',
    help: 'Build-system mode: set to 1 for --ship-byte-code.',
  },
  {
    name: 'DH_VIRTUALENV_ALLOW_UNPACKAGED_PYTHON',
    help: 'Build-system mode: set to 1 for --allow-unpackaged-python.',
  },
  {
    name: 'DH_PIP_EXTRA_ARGS',
    help: 'Build-system mode: extra pip install arguments, split on white space.',
  },
  {
    name: 'PIP_*, UV_*, PYTHON*',
    help:
      'Index, proxy and certificate settings (PIP_INDEX_URL, PIP_CERT, UV_INDEX_URL, …) reach pip and uv; all ' +
      "others are dropped. pip's index settings also reach uv under uv's names. The same goes for the settings " +
      "of pip's configuration files (/etc/pip.conf, ~/.config/pip/pip.conf, PIP_CONFIG_FILE): pip reads none " +
      'of them itself, and gets their index, proxy and certificate settings as variables.',
  },
];

export function findOption(name: string): OptionSpec | undefined {
  return OPTION_TABLE.find((spec) => spec.long === name || spec.short === name);
}
