/**
 * The options of `dh-virtualenv vendor`: the inputs dh_virtualenv installs (requirements files, the project and
 * its extras), where to fetch from, and which locked distributions may move. One table feeds the parser,
 * `--help` and the manual page; the words are resolved once into a frozen object.
 */
import { isAbsolute, normalize } from 'node:path';
import { UsageError } from '../errors';
import type { OptionSpec } from '../option-table';
import type { ParsedWords } from '../subcommand';
import { normalizeName } from '../wheelhouse';

export const VENDOR_OPTIONS: readonly OptionSpec[] = [
  {
    long: 'requirements',
    kind: 'list',
    metavar: 'FILE',
    help:
      'Requirements file to vendor, relative to the source directory; repeatable. Default: requirements.txt ' +
      'when there is one (what dh_virtualenv installs by default).',
  },
  {
    long: 'sourcedirectory',
    short: 'D',
    kind: 'value',
    metavar: 'DIR',
    help: 'The Python project, relative to the source package (dh_virtualenv -D). Default: the top directory.',
  },
  {
    long: 'extras',
    kind: 'value',
    metavar: 'NAME[,NAME...]',
    help: "The project's extras the build installs (dh_virtualenv --extras).",
  },
  {
    long: 'skip-install',
    kind: 'flag',
    help: 'Vendor only the requirements, not the dependencies of the project itself (dh_virtualenv --skip-install).',
  },
  {
    long: 'include',
    kind: 'list',
    metavar: 'REQUIREMENT',
    help:
      'One more requirement to vendor, such as "pip" for a build with --upgrade-pip or "setuptools==69.5.1" ' +
      'for --preinstall; repeatable.',
  },
  {
    long: 'python',
    kind: 'value',
    metavar: 'EXECUTABLE',
    help: 'The interpreter the package is built with (dh_virtualenv --python); wheels are chosen for it. Default: /usr/bin/python3',
  },
  {
    long: 'index-url',
    kind: 'value',
    metavar: 'URL',
    help: 'The package index to fetch from. Default: PIP_INDEX_URL, else PyPI.',
  },
  {
    long: 'extra-index-url',
    kind: 'list',
    metavar: 'URL',
    help: 'Another index to fetch from; repeatable.',
  },
  {
    long: 'upgrade',
    kind: 'list',
    metavar: 'NAME',
    help:
      'Let the distribution NAME move to the newest version the requirements allow (the others stay as ' +
      'locked); repeatable.',
  },
  {
    long: 'upgrade-all',
    kind: 'flag',
    help: 'Resolve everything afresh, as if nothing were locked.',
  },
];

export const DEFAULT_PYTHON = '/usr/bin/python3';

export interface VendorOptions {
  /** Requirements files relative to the source directory; empty: requirements.txt if it exists. */
  readonly requirements: readonly string[];
  readonly sourceDirectory: string;
  readonly extras: readonly string[];
  readonly skipInstall: boolean;
  readonly include: readonly string[];
  readonly python: string;
  readonly indexUrl: string | undefined;
  readonly extraIndexUrls: readonly string[];
  /** Normalized names allowed to move; undefined with --upgrade-all. */
  readonly upgrade: ReadonlySet<string> | 'all';
  readonly verbose: boolean;
}

function relativeInside(option: string, path: string): string {
  const normalized = normalize(path);
  if (isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
    throw new UsageError(`--${option} ${path}: give a path inside the source package, relative to it`);
  }
  return normalized;
}

export function resolveVendorOptions(
  words: ParsedWords,
  env: Readonly<Record<string, string | undefined>>,
): VendorOptions {
  if (words.operands.length > 0) {
    throw new UsageError(
      `unexpected argument "${words.operands[0] ?? ''}"; give more requirements with --include, and run ` +
        'vendor in the top directory of the source package',
    );
  }
  const list = (name: string): string[] =>
    (words.lists.get(name) ?? []).map((value) => value.trim()).filter((value) => value !== '');
  const value = (name: string): string | undefined => {
    const given = words.values.get(name);
    if (given !== undefined && given.trim() === '') throw new UsageError(`--${name} needs a value`);
    return given?.trim();
  };
  const upgrades = list('upgrade');
  if (upgrades.length > 0 && words.flags.has('upgrade-all')) {
    throw new UsageError('--upgrade NAME and --upgrade-all ask for different things; give one of them');
  }
  return Object.freeze({
    requirements: Object.freeze(list('requirements').map((path) => relativeInside('requirements', path))),
    sourceDirectory: relativeInside('sourcedirectory', value('sourcedirectory') ?? '.'),
    extras: Object.freeze(
      (value('extras') ?? '')
        .split(',')
        .map((extra) => extra.trim())
        .filter((extra) => extra !== ''),
    ),
    skipInstall: words.flags.has('skip-install'),
    include: Object.freeze(list('include')),
    python: value('python') ?? DEFAULT_PYTHON,
    indexUrl: value('index-url'),
    extraIndexUrls: Object.freeze(list('extra-index-url')),
    upgrade: words.flags.has('upgrade-all') ? 'all' : new Set(upgrades.map(normalizeName)),
    verbose: words.flags.has('verbose') || env.DH_VERBOSE === '1',
  });
}
