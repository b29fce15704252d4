import { isAbsolute, normalize } from 'node:path';
import { UsageError } from '../core/errors';
import { findOption, OPTION_TABLE, type OptionSpec } from '../core/option-table';

export const INSTALLERS = ['pip', 'uv'] as const;
export type Installer = (typeof INSTALLERS)[number];

export type PipUpgrade = { kind: 'none' } | { kind: 'latest' } | { kind: 'version'; version: string };

const NO_UPGRADE: PipUpgrade = Object.freeze({ kind: 'none' });

export type BuildsystemStepName = 'configure' | 'build' | 'test' | 'install' | 'clean';

/** Set when debhelper's dh_auto_* runs us through the dh_virtualenv build system (perl/…/Buildsystem). */
export interface BuildsystemStep {
  readonly step: BuildsystemStepName;
  readonly sourcePackage: string;
  /** Absolute build directory; the venv is created at <buildDir><installRoot>/<suffix>. */
  readonly buildDir: string;
  /** dh_auto_install's destination, debian/<pkg> or debian/tmp (install step only). */
  readonly destDir: string | undefined;
  /**
   * The python-virtualenv add-on is loaded too (it says so in DH_VIRTUALENV_ADDON_ACTIVE), so dh_strip, dh_dwz,
   * dh_makeshlibs and dh_shlibdeps leave the venv's binaries to it.
   */
  readonly addonActive: boolean;
}

/** Everything dh_virtualenv was asked to do, parsed and checked once, then frozen. */
export interface Options {
  readonly packages: readonly string[];
  readonly noPackages: readonly string[];
  readonly arch: boolean;
  readonly indep: boolean;
  readonly verbose: boolean;
  readonly sourceDirectory: string;
  readonly installRoot: string;
  readonly installSuffix: string | undefined;
  /** The requirements file relative to the source directory; `explicit` makes a missing file an error. */
  readonly requirements: { readonly file: string; readonly explicit: boolean };
  /** --build-constraints: pins for build dependencies, relative to the source directory. */
  readonly buildConstraints: string | undefined;
  /** --lock-file: a lock file relative to the source directory, or "none"; undefined to look for one. */
  readonly lockFile: string | undefined;
  /** --lock-group: dependency groups of the lock file to install too. */
  readonly lockGroups: readonly string[];
  readonly extras: readonly string[];
  readonly preinstall: readonly string[];
  readonly pipTool: string;
  /** --installer: pip, or uv ("uv pip install --python <venv>/bin/python"). */
  readonly installer: Installer;
  readonly upgradePip: PipUpgrade;
  /** Only set in buildsystem mode (DH_UPGRADE_SETUPTOOLS, DH_UPGRADE_WHEEL). */
  readonly upgradeSetuptools: PipUpgrade;
  readonly upgradeWheel: PipUpgrade;
  readonly indexUrl: string | undefined;
  readonly extraIndexUrls: readonly string[];
  readonly extraPipArgs: readonly string[];
  readonly extraVirtualenvArgs: readonly string[];
  readonly python: string | undefined;
  readonly builtinVenv: boolean;
  /** --allow-unpackaged-python: a --python no Debian package owns is accepted (with a warning). */
  readonly allowUnpackagedPython: boolean;
  /** --without-pip: no seed packages in the venv; pip runs from Debian's pip wheel (python3-pip-whl). */
  readonly withoutPip: boolean;
  /** Byte code compiled at build time ships in the package; otherwise the postinst compiles it. */
  readonly shipByteCode: boolean;
  readonly setuptools: boolean;
  readonly runTests: boolean;
  readonly useSystemPackages: boolean;
  readonly skipInstall: boolean;
  readonly autoscripts: boolean;
  readonly buildsystem: BuildsystemStep | undefined;
  /**
   * Every option as it was given (dh's -O options, the command line, DH_OPTIONS), in the order read: a
   * package's own file (package-options.ts) is read as if its lines came after these.
   */
  readonly given: readonly GivenOption[];
}

/** One option as given: its long name and, unless it is a flag, its value. */
export interface GivenOption {
  readonly long: string;
  readonly value?: string;
}

export type ParseResult =
  | { action: 'help' }
  | { action: 'version' }
  | { action: 'build'; options: Options; warnings: readonly string[] };

export const DEFAULT_INSTALL_ROOT = '/opt/venvs';

type Source = 'command line' | 'DH_OPTIONS';

/** Values as seen, before defaults and cross-checks. Keys are the long option names. */
interface Collected {
  given: GivenOption[];
  flags: Set<string>;
  values: Map<string, string>;
  lists: Map<string, string[]>;
  warnings: string[];
}

function record(collected: Collected, spec: OptionSpec, value: string | undefined): void {
  collected.given.push(Object.freeze(value === undefined ? { long: spec.long } : { long: spec.long, value }));
  if (spec.kind === 'flag') collected.flags.add(spec.long);
  else if (spec.kind === 'value') collected.values.set(spec.long, value ?? '');
  else collected.lists.set(spec.long, [...(collected.lists.get(spec.long) ?? []), value ?? '']);
}

/**
 * Reads one list of words. `-O--name=value` is how dh hands its own options to every command: those we know
 * are honoured, the others belong to other commands and are skipped. Unknown options in DH_OPTIONS are
 * skipped with a warning, as debhelper does; on the command line they are an error.
 */
function collect(words: readonly string[], source: Source, collected: Collected): void {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const takeValue = (spec: OptionSpec, inline: string | undefined): string => {
      if (inline !== undefined) return inline;
      const next = words[i + 1];
      if (next === undefined)
        throw new UsageError(`option ${word} needs a value (${spec.metavar ?? 'VALUE'})`);
      i++;
      return next;
    };

    if (word === '-O' || word.startsWith('-O')) {
      const bundled = word === '-O' ? words[++i] : word.slice(2).replace(/^=/, '');
      if (bundled !== undefined) collectBundled(bundled, collected);
      continue;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq === -1 ? undefined : eq);
      const spec = source === 'command line' ? findLongOrPrefix(name) : findLong(name);
      if (spec === undefined) {
        unknown(word, source, collected);
        continue;
      }
      const inline = eq === -1 ? undefined : word.slice(eq + 1);
      if (spec.kind === 'flag' && inline !== undefined)
        throw new UsageError(`option --${name} takes no value`);
      record(collected, spec, spec.kind === 'flag' ? undefined : takeValue(spec, inline));
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      // Short options cluster like getopt's: -vS, -pfoo, -p foo.
      for (let c = 1; c < word.length; c++) {
        const spec = findOption(word.charAt(c));
        if (spec === undefined || spec.short === undefined) {
          unknown(`-${word.charAt(c)}`, source, collected);
          break;
        }
        if (spec.kind === 'flag') {
          record(collected, spec, undefined);
          continue;
        }
        const rest = word.slice(c + 1);
        record(collected, spec, takeValue(spec, rest === '' ? undefined : rest));
        break;
      }
      continue;
    }
    if (source === 'command line') {
      throw new UsageError(`unexpected argument "${word}"; dh_virtualenv takes only options (see --help)`);
    }
  }
}

// dh_auto_* read -S as --buildsystem, so a bundled -O-S is theirs, not our --use-system-packages.
const SHORT_OPTIONS_OF_OTHERS = new Set(['S']);

function collectBundled(bundled: string, collected: Collected): void {
  if (/^-[^-]/.test(bundled)) {
    const spec = findOption(bundled.charAt(1));
    if (spec === undefined || spec.short === undefined || SHORT_OPTIONS_OF_OTHERS.has(spec.short)) return;
    if (spec.kind === 'flag') {
      if (bundled.length === 2) record(collected, spec, undefined);
    } else if (bundled.length > 2) {
      record(collected, spec, bundled.slice(2).replace(/^=/, ''));
    }
    return;
  }
  if (!bundled.startsWith('--')) return;
  const eq = bundled.indexOf('=');
  const spec = findLong(bundled.slice(2, eq === -1 ? undefined : eq));
  if (spec === undefined) return;
  if (spec.kind === 'flag') {
    if (eq === -1) record(collected, spec, undefined);
    return;
  }
  if (eq !== -1) record(collected, spec, bundled.slice(eq + 1));
}

function findLong(name: string): OptionSpec | undefined {
  const spec = findOption(name);
  return spec !== undefined && spec.long === name ? spec : undefined;
}

/**
 * Upstream parsed its command line with Python's optparse, which takes any unambiguous beginning of a long
 * option (--index=URL for --index-url), and existing debian/rules files use such spellings. An ambiguous one
 * is an error naming the candidates. Only the command line: in -O and DH_OPTIONS, words that are not ours
 * belong to other debhelper commands and must not be taken for a prefix of ours.
 */
function findLongOrPrefix(name: string): OptionSpec | undefined {
  const exact = findLong(name);
  if (exact !== undefined || name === '') return exact;
  const candidates = OPTION_TABLE.filter((spec) => spec.long.startsWith(name));
  if (candidates.length > 1) {
    const names = candidates.map((spec) => `--${spec.long}`).join(', ');
    throw new UsageError(`option --${name} is ambiguous: it could be ${names}; spell it out`);
  }
  return candidates[0];
}

function unknown(word: string, source: Source, collected: Collected): void {
  if (source === 'command line') {
    throw new UsageError(`unknown option ${word} (see dh_virtualenv --help for the options it takes)`);
  }
  collected.warnings.push(`ignoring unknown option ${word} in DH_OPTIONS`);
}

/**
 * The variables read are DH_VERBOSE, DH_OPTIONS, DH_INTERNAL_OPTIONS, DH_VIRTUALENV_INSTALL_ROOT and
 * DEB_BUILD_OPTIONS.
 */
export type OptionEnvironment = Readonly<Record<string, string | undefined>>;

export function parseOptions(argv: readonly string[], env: OptionEnvironment): ParseResult {
  const collected = emptyCollected();
  // In an override target, dh hands its own options (`dh $@ --sourcedirectory=src`) over as -O words in
  // DH_INTERNAL_OPTIONS, separated by \x1e, and debhelper's commands read them first (Dh_Getopt), so the
  // command line wins. Its -a/-i/-N words are left to dh_listpackages, which reads the variable itself.
  for (const word of (env.DH_INTERNAL_OPTIONS ?? '').split('\x1e')) {
    if (word.startsWith('-O') && word.length > 2) collectBundled(word.slice(2).replace(/^=/, ''), collected);
  }
  collect(argv, 'command line', collected);
  collect((env.DH_OPTIONS ?? '').trim().split(/\s+/).filter(Boolean), 'DH_OPTIONS', collected);

  if (collected.flags.has('help')) return { action: 'help' };
  if (collected.flags.has('version')) return { action: 'version' };
  return { action: 'build', options: resolve(collected, env), warnings: collected.warnings };
}

function emptyCollected(): Collected {
  return { given: [], flags: new Set(), values: new Map(), lists: new Map(), warnings: [] };
}

/**
 * The options of one binary package: those given to dh_virtualenv followed by `more` (the lines of its
 * debian/<package>.dh-virtualenv), checked as one command line would be. So a later single value wins, the
 * later values of a repeatable option are added after the earlier ones, and a flag, once given, stays on.
 * The command line's own warnings were said when it was parsed; they are not repeated for each package.
 */
export function withMoreOptions(
  options: Options,
  more: readonly GivenOption[],
  env: OptionEnvironment,
): Options {
  const collected = emptyCollected();
  for (const option of [...options.given, ...more]) {
    const spec = findLong(option.long);
    if (spec === undefined) throw new Error(`withMoreOptions: no option --${option.long}`);
    record(collected, spec, spec.kind === 'flag' ? undefined : (option.value ?? ''));
  }
  return resolve(collected, env);
}

function conflict(a: string, b: string, fix: string): never {
  throw new UsageError(`${a} and ${b} cannot be used together; ${fix}`);
}

function resolve(collected: Collected, env: OptionEnvironment): Options {
  const flag = (name: string): boolean => collected.flags.has(name);
  const value = (name: string): string | undefined => collected.values.get(name);
  const list = (name: string): readonly string[] => Object.freeze([...(collected.lists.get(name) ?? [])]);

  if (value('pypi-url') !== undefined) {
    if (value('index-url') !== undefined) conflict('--pypi-url', '--index-url', 'keep only --index-url');
    collected.warnings.push('--pypi-url is deprecated; use --index-url');
  }
  if (flag('no-test')) {
    if (flag('setuptools-test')) conflict('--no-test', '--setuptools-test', 'drop --no-test');
    collected.warnings.push(
      '--no-test is deprecated and has no effect; tests only run with --setuptools-test',
    );
  }
  if (flag('setuptools') && flag('builtin-venv')) {
    conflict(
      '--setuptools',
      '--builtin-venv',
      'venv always seeds pip only; drop --setuptools or use virtualenv',
    );
  }

  const installer = installerName(value('installer'));
  if (installer === 'uv' && value('pip-tool') !== undefined) {
    conflict('--installer uv', '--pip-tool', 'uv installs the requirements itself; drop one of them');
  }
  if (flag('without-pip')) {
    const pipFree = 'the virtualenv has no pip to upgrade; drop one of them';
    if (flag('upgrade-pip')) conflict('--without-pip', '--upgrade-pip', pipFree);
    if (value('upgrade-pip-to') !== undefined) conflict('--without-pip', '--upgrade-pip-to', pipFree);
    if (flag('setuptools'))
      conflict('--without-pip', '--setuptools', 'it seeds no setuptools; drop one of them');
  }

  const step = value('buildsystem-step');
  if (step !== undefined) return buildsystemOptions(step, collected, env);

  const requirementsFile = value('requirements');
  if (requirementsFile === '') throw new UsageError('--requirements needs a file name');
  const python = value('python');
  if (python === '') throw new UsageError('--python needs an interpreter path or name');
  const buildConstraints = value('build-constraints');
  if (buildConstraints === '') throw new UsageError('--build-constraints needs a file name');
  const lockFile = value('lock-file');
  if (lockFile === '') throw new UsageError('--lock-file needs a file name (or "none")');

  return Object.freeze({
    packages: list('package'),
    noPackages: list('no-package'),
    arch: flag('arch'),
    indep: flag('indep'),
    verbose: flag('verbose') || env.DH_VERBOSE === '1',
    sourceDirectory: value('sourcedirectory') || '.',
    installRoot: installRoot(env.DH_VIRTUALENV_INSTALL_ROOT),
    installSuffix: installSuffix(value('install-suffix')),
    requirements: Object.freeze({
      file: requirementsFile ?? 'requirements.txt',
      explicit: requirementsFile !== undefined,
    }),
    buildConstraints,
    lockFile,
    lockGroups: list('lock-group'),
    extras: list('extras'),
    preinstall: list('preinstall'),
    pipTool: pipTool(value('pip-tool')),
    installer,
    upgradePip: pipUpgrade(flag('upgrade-pip'), value('upgrade-pip-to')),
    upgradeSetuptools: NO_UPGRADE,
    upgradeWheel: NO_UPGRADE,
    indexUrl: value('index-url') ?? value('pypi-url'),
    extraIndexUrls: list('extra-index-url'),
    extraPipArgs: list('extra-pip-arg'),
    extraVirtualenvArgs: list('extra-virtualenv-arg'),
    python,
    builtinVenv: flag('builtin-venv'),
    allowUnpackagedPython: flag('allow-unpackaged-python'),
    withoutPip: flag('without-pip'),
    shipByteCode: flag('ship-byte-code'),
    setuptools: flag('setuptools'),
    runTests: flag('setuptools-test') && !buildOptions(env.DEB_BUILD_OPTIONS).includes('nocheck'),
    useSystemPackages: flag('use-system-packages'),
    skipInstall: flag('skip-install'),
    autoscripts: !flag('noscripts'),
    buildsystem: undefined,
    given: Object.freeze([...collected.given]),
  });
}

const STEPS: readonly BuildsystemStepName[] = ['configure', 'build', 'test', 'install', 'clean'];
/** Upstream's build system put venvs under /usr/share/python unless told otherwise; kept for drop-in builds. */
export const BUILDSYSTEM_DEFAULT_INSTALL_ROOT = '/usr/share/python';

/** Splits a variable such as DH_PIP_EXTRA_ARGS on white space, as upstream's Perl did. */
function words(raw: string | undefined): readonly string[] {
  return Object.freeze((raw ?? '').trim().split(/\s+/).filter(Boolean));
}

/** A yes/no variable: 1 is yes; unset, empty or 0 is no. */
function flagFromEnv(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new UsageError(`${name}="${raw}": set it to 1 (yes) or 0 (no)`);
}

/** An upgrade variable set to nothing means the latest version, set to a version means that version. */
function upgradeFromEnv(name: string, raw: string | undefined): PipUpgrade {
  if (raw === undefined) return NO_UPGRADE;
  if (raw === '') return { kind: 'latest' };
  if (raw !== 'latest' && !VERSION_PATTERN.test(raw)) {
    throw new UsageError(
      `${name}="${raw}" is not a version; give one such as 23.3.1, or leave it empty for the latest`,
    );
  }
  return pipUpgrade(true, raw);
}

/**
 * In build-system mode the settings come from upstream's environment variables (DH_VIRTUALENV_*, DH_UPGRADE_*,
 * DH_REQUIREMENTS_FILE, DH_PIP_EXTRA_ARGS); the command line only carries the step and debhelper's paths.
 */
function buildsystemOptions(stepName: string, collected: Collected, env: OptionEnvironment): Options {
  const step = STEPS.find((candidate) => candidate === stepName);
  if (step === undefined) {
    throw new UsageError(`--buildsystem-step ${stepName}: expected one of ${STEPS.join(', ')}`);
  }
  const value = (name: string): string | undefined => collected.values.get(name);
  const sourcePackage = value('source-package');
  const buildDir = value('builddirectory');
  if (sourcePackage === undefined || buildDir === undefined) {
    throw new UsageError(
      '--buildsystem-step needs --source-package and --builddirectory (debhelper passes them)',
    );
  }
  const requirementsFile = env.DH_REQUIREMENTS_FILE;
  return Object.freeze({
    packages: Object.freeze([]),
    noPackages: Object.freeze([]),
    arch: false,
    indep: false,
    verbose: collected.flags.has('verbose') || env.DH_VERBOSE === '1',
    sourceDirectory: value('sourcedirectory') || '.',
    installRoot: installRoot(env.DH_VIRTUALENV_INSTALL_ROOT || BUILDSYSTEM_DEFAULT_INSTALL_ROOT),
    installSuffix: installSuffix(env.DH_VIRTUALENV_INSTALL_SUFFIX || sourcePackage),
    requirements: Object.freeze({
      file: requirementsFile || 'requirements.txt',
      explicit: requirementsFile !== undefined && requirementsFile !== '',
    }),
    buildConstraints: undefined,
    lockFile: 'none',
    lockGroups: Object.freeze([]),
    extras: Object.freeze([]),
    preinstall: Object.freeze([]),
    pipTool: 'pip',
    installer: 'pip',
    upgradePip: upgradeFromEnv('DH_UPGRADE_PIP', env.DH_UPGRADE_PIP),
    upgradeSetuptools: upgradeFromEnv('DH_UPGRADE_SETUPTOOLS', env.DH_UPGRADE_SETUPTOOLS),
    upgradeWheel: upgradeFromEnv('DH_UPGRADE_WHEEL', env.DH_UPGRADE_WHEEL),
    indexUrl: undefined,
    extraIndexUrls: Object.freeze([]),
    extraPipArgs: words(env.DH_PIP_EXTRA_ARGS),
    extraVirtualenvArgs: words(env.DH_VIRTUALENV_ARGUMENTS),
    python: undefined,
    builtinVenv: false,
    allowUnpackagedPython: flagFromEnv(
      'DH_VIRTUALENV_ALLOW_UNPACKAGED_PYTHON',
      env.DH_VIRTUALENV_ALLOW_UNPACKAGED_PYTHON,
    ),
    withoutPip: false,
    shipByteCode: flagFromEnv('DH_VIRTUALENV_SHIP_BYTE_CODE', env.DH_VIRTUALENV_SHIP_BYTE_CODE),
    setuptools: false,
    runTests: true,
    useSystemPackages: false,
    skipInstall: false,
    autoscripts: true,
    buildsystem: Object.freeze({
      step,
      sourcePackage,
      buildDir,
      destDir: value('destdir'),
      addonActive: env.DH_VIRTUALENV_ADDON_ACTIVE === '1',
    }),
    given: Object.freeze([...collected.given]),
  });
}

/** DEB_BUILD_OPTIONS is a space-separated list of words, some with `=value` (Debian policy 4.9.1). */
export function buildOptions(raw: string | undefined): readonly string[] {
  return (raw ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((word) => word.split('=')[0] ?? word);
}

// The install path ends up inside maintainer scripts and dpkg's file lists; keep it to plain characters.
export const PLAIN_PATH = /^[A-Za-z0-9._+@:/-]+$/;

function installRoot(raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_INSTALL_ROOT;
  if (!isAbsolute(raw) || !PLAIN_PATH.test(raw)) {
    throw new UsageError(
      `DH_VIRTUALENV_INSTALL_ROOT must be an absolute path of letters, digits and ._+@:/-, got "${raw}"`,
    );
  }
  const root = normalize(raw).replace(/\/+$/, '');
  if (root === '')
    throw new UsageError('DH_VIRTUALENV_INSTALL_ROOT cannot be "/"; use a directory such as /opt/venvs');
  return root;
}

function installSuffix(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const suffix = normalize(raw).replace(/\/+$/, '');
  if (!PLAIN_PATH.test(raw) || isAbsolute(raw) || suffix === '.' || suffix.split('/').includes('..')) {
    throw new UsageError(
      `--install-suffix "${raw}" must be a relative directory name inside the install root, such as "myapp"`,
    );
  }
  return suffix;
}

function installerName(raw: string | undefined): Installer {
  if (raw === undefined) return 'pip';
  const known = INSTALLERS.find((name) => name === raw);
  if (known === undefined) {
    throw new UsageError(`--installer "${raw}": expected one of ${INSTALLERS.join(', ')}`);
  }
  return known;
}

function pipTool(raw: string | undefined): string {
  if (raw === undefined) return 'pip';
  if (raw === '' || raw.includes('/')) {
    throw new UsageError(`--pip-tool "${raw}" must be the name of a program in the virtualenv's bin/`);
  }
  return raw;
}

const VERSION_PATTERN = /^[0-9][0-9A-Za-z.+!-]*$/;

function pipUpgrade(upgrade: boolean, to: string | undefined): PipUpgrade {
  if (to === undefined || to === '') return upgrade ? { kind: 'latest' } : { kind: 'none' };
  if (to === 'latest') return { kind: 'latest' };
  if (!VERSION_PATTERN.test(to)) {
    throw new UsageError(`--upgrade-pip-to "${to}" is not a version; give one such as 23.3.1, or "latest"`);
  }
  return { kind: 'version', version: to };
}
