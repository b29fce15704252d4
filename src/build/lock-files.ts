/**
 * Lock files, read directly: pylock.toml (PEP 751), uv.lock and poetry.lock become a requirements file with a
 * pin and every hash for each distribution the venv's interpreter and platform need, which pip (or uv) then
 * installs in hash-checking mode. Neither pip 23.0 (Debian 12) nor pip 25.1 (Debian 13) installs from
 * pylock.toml (25.1 can write one, `pip lock`, not read it), and pip reads no uv.lock or poetry.lock, so the
 * conversion is done here, the same for every installer.
 *
 * What is read of each, and what not, is tabled in docs/supply-chain.md. In short: the pinned versions, the
 * hashes of every file, the markers (evaluated with the venv's python, markers.ts), the extras (--extras) and
 * the dependency groups (--lock-group). The files' URLs are not used: pip finds the pinned files on the index
 * the build is given (--index-url, PIP_INDEX_URL), and the hashes make sure they are the locked ones. The
 * project itself (the lock's editable or virtual root) is left out: `pip install .` installs it.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { childEnvironment } from './child-environment';
import { ConfigurationError } from '../core/errors';
import { normalizeName } from '../init/requirements';
import { parseToml, stringAt, stringsAt, tableAt, tablesAt, type TomlTable } from '../init/toml';
import type { Runner } from '../core/runner';
import { venvBin, type PackageLayout } from './layout';
import {
  evaluateMarker,
  MARKER_ENVIRONMENT_PROBE,
  type MarkerContext,
  type MarkerEnvironment,
} from './markers';
import type { Options } from './options';
import type { Context } from './pipeline';

export const LOCK_FORMATS = ['pylock.toml', 'uv.lock', 'poetry.lock'] as const;
export type LockFormat = (typeof LOCK_FORMATS)[number];

export interface LockFile {
  readonly path: string;
  readonly format: LockFormat;
  /** As the source tree names it, for messages and the step's name: "uv.lock". */
  readonly label: string;
}

/** One distribution to install: its pin and the hashes of its files. */
export interface LockedDistribution {
  readonly name: string;
  readonly version: string;
  /** "sha256:…" each. */
  readonly hashes: readonly string[];
}

/** The format of a lock file, from its name (PEP 751 allows pylock.<name>.toml). */
export function lockFormatOf(path: string): LockFormat | undefined {
  const name = basename(path);
  if (/^pylock\.([^.]+\.)?toml$/.test(name)) return 'pylock.toml';
  if (name === 'uv.lock') return 'uv.lock';
  if (name === 'poetry.lock') return 'poetry.lock';
  return undefined;
}

/**
 * The lock file to install from: --lock-file FILE (relative to the source directory; "none" for none), else the
 * first of pylock.toml, uv.lock and poetry.lock in the source directory, unless --requirements names a file.
 */
export function findLockFile(layout: PackageLayout, options: Options): LockFile | undefined {
  const chosen = options.lockFile;
  if (chosen === 'none') return undefined;
  if (chosen !== undefined) {
    const path = join(layout.sourceDir, chosen);
    const format = lockFormatOf(path);
    if (format === undefined) {
      throw new ConfigurationError(
        `--lock-file ${chosen}: not a lock file dh_virtualenv reads; name a pylock.toml, uv.lock or poetry.lock`,
      );
    }
    if (!existsSync(path)) {
      throw new ConfigurationError(
        `--lock-file ${chosen}: ${path} does not exist; fix the path (it is relative to the source directory, ` +
          '-D) or drop the option',
      );
    }
    return { path, format, label: chosen };
  }
  if (options.requirements.explicit) return undefined;
  for (const format of LOCK_FORMATS) {
    const path = join(layout.sourceDir, format);
    if (existsSync(path)) return { path, format, label: format };
  }
  return undefined;
}

function sha256Hashes(values: readonly (string | undefined)[]): string[] {
  return [
    ...new Set(
      values.flatMap((value) => {
        const match = /^sha256[:=]([0-9a-f]{64})$/i.exec(value ?? '');
        return match === null ? [] : [`sha256:${(match[1] ?? '').toLowerCase()}`];
      }),
    ),
  ].sort();
}

function marker(text: string | undefined, context: MarkerContext): boolean {
  return text === undefined || text.trim() === '' || evaluateMarker(text, context);
}

/** PEP 751: packages whose marker holds; wheels' and the sdist's hashes. Directories and VCS are skipped. */
function fromPylock(lock: TomlTable, context: MarkerContext): LockedDistribution[] {
  const groups = context.groups.length > 0 ? context.groups : stringsAt(lock, 'default-groups');
  const withGroups: MarkerContext = { ...context, groups };
  return tablesAt(lock, 'packages').flatMap((entry) => {
    const name = stringAt(entry, 'name');
    const version = stringAt(entry, 'version');
    if (name === undefined || tableAt(entry, 'directory') !== undefined) return [];
    if (!marker(stringAt(entry, 'marker'), withGroups)) return [];
    const files = [
      ...tablesAt(entry, 'wheels'),
      ...(tableAt(entry, 'sdist') ? [tableAt(entry, 'sdist')] : []),
    ];
    const hashes = sha256Hashes(
      files.map((file) => stringAt(tableAt(file, 'hashes'), 'sha256')).map((h) => h && `sha256:${h}`),
    );
    if (version === undefined || hashes.length === 0) {
      throw new ConfigurationError(
        `${name}: the lock gives no version or no sha256 hash of a wheel or sdist (VCS and archive entries are ` +
          'not supported yet)',
      );
    }
    return [{ name, version, hashes }];
  });
}

/** A uv.lock dependency edge: `{ name = "x", version = "1", marker = "…", extra = ["y"] }`. */
interface Edge {
  readonly name: string;
  readonly version: string | undefined;
  readonly marker: string | undefined;
  readonly extras: readonly string[];
}

function edgesAt(table: TomlTable | undefined, key: string): Edge[] {
  return tablesAt(table, key).flatMap((edge) => {
    const name = stringAt(edge, 'name');
    return name === undefined
      ? []
      : [
          {
            name,
            version: stringAt(edge, 'version'),
            marker: stringAt(edge, 'marker'),
            extras: stringsAt(edge, 'extra'),
          },
        ];
  });
}

/**
 * uv.lock is universal: markers sit on the dependency edges. The graph is walked from the project (the package
 * whose source is the editable or virtual "."), following the edges whose markers hold for the venv, with the
 * extras (its optional-dependencies) and groups (its dev-dependencies) asked for.
 */
function fromUvLock(lock: TomlTable, context: MarkerContext): LockedDistribution[] {
  const packages = tablesAt(lock, 'package');
  const isRoot = (entry: TomlTable): boolean => {
    const source = tableAt(entry, 'source');
    return stringAt(source, 'editable') === '.' || stringAt(source, 'virtual') === '.';
  };
  const root = packages.find(isRoot);
  if (root === undefined) {
    throw new ConfigurationError(
      'the lock has no package for the project itself (source = { editable = "." })',
    );
  }
  const find = (edge: Edge): TomlTable | undefined =>
    packages.find(
      (entry) =>
        normalizeName(stringAt(entry, 'name') ?? '') === normalizeName(edge.name) &&
        (edge.version === undefined || stringAt(entry, 'version') === edge.version),
    );
  const chosen = new Map<TomlTable, Set<string>>();
  const visit = (edges: readonly Edge[]): void => {
    for (const edge of edges) {
      if (!marker(edge.marker, { ...context, extras: [] })) continue;
      const target = find(edge);
      if (target === undefined)
        throw new ConfigurationError(`the lock names ${edge.name} but has no package for it`);
      const seen = chosen.get(target);
      const newExtras = edge.extras.filter((extra) => !(seen?.has(extra) ?? false));
      if (seen !== undefined && newExtras.length === 0) continue;
      chosen.set(target, new Set([...(seen ?? []), ...edge.extras]));
      const optional = tableAt(target, 'optional-dependencies');
      visit([
        ...(seen === undefined ? edgesAt(target, 'dependencies') : []),
        ...newExtras.flatMap((extra) => edgesAt(optional, extra)),
      ]);
    }
  };
  const rootOptional = tableAt(root, 'optional-dependencies');
  const rootGroups = tableAt(root, 'dev-dependencies');
  visit([
    ...edgesAt(root, 'dependencies'),
    ...context.extras.flatMap((extra) => edgesAt(rootOptional, extra)),
    ...context.groups.flatMap((group) => edgesAt(rootGroups, group)),
  ]);
  return [...chosen.keys()]
    .filter((entry) => !isRoot(entry) && tableAt(tableAt(entry, 'source'), 'directory') === undefined)
    .map((entry) => {
      const name = stringAt(entry, 'name') ?? '';
      const files = [
        ...tablesAt(entry, 'wheels'),
        ...(tableAt(entry, 'sdist') ? [tableAt(entry, 'sdist')] : []),
      ];
      const hashes = sha256Hashes(files.map((file) => stringAt(file, 'hash')));
      const version = stringAt(entry, 'version');
      if (version === undefined || hashes.length === 0) {
        throw new ConfigurationError(
          `${name}: the lock gives no version or no sha256 hash of a wheel or sdist (git, path and URL sources ` +
            'are not supported yet)',
        );
      }
      return { name, version, hashes };
    });
}

/**
 * poetry.lock (lock format 1.1 to 2.1): the packages of the groups asked for (`groups`, or `category` in older
 * locks; "main" unless --lock-group says otherwise) whose `markers` hold; optional packages only when an extra
 * asked for (the `[extras]` table of the lock) names them.
 */
function fromPoetryLock(lock: TomlTable, context: MarkerContext): LockedDistribution[] {
  const groups = context.groups.length > 0 ? context.groups : ['main'];
  const extras = tableAt(lock, 'extras');
  const optionalWanted = new Set(
    context.extras.flatMap((extra) => stringsAt(extras, extra).map(normalizeName)),
  );
  return tablesAt(lock, 'package').flatMap((entry) => {
    const name = stringAt(entry, 'name') ?? '';
    const own = stringsAt(entry, 'groups');
    const inGroups = own.length > 0 ? own : [stringAt(entry, 'category') ?? 'main'];
    const selected = inGroups.filter((group) => groups.includes(group));
    if (selected.length === 0) return [];
    if (entry.optional === true && !optionalWanted.has(normalizeName(name))) return [];
    // `markers` is a string, or (poetry 2) a table of one marker per group.
    const markers = entry.markers;
    const holds =
      typeof markers === 'string'
        ? marker(markers, context)
        : typeof markers === 'object' && markers !== null
          ? selected.some((group) => marker(stringAt(markers as TomlTable, group), context))
          : true;
    if (!holds) return [];
    if (tableAt(entry, 'source') !== undefined && stringAt(tableAt(entry, 'source'), 'type') !== 'legacy') {
      throw new ConfigurationError(`${name}: git, path and URL sources are not supported yet`);
    }
    const hashes = sha256Hashes(tablesAt(entry, 'files').map((file) => stringAt(file, 'hash')));
    const version = stringAt(entry, 'version');
    if (version === undefined || hashes.length === 0) {
      throw new ConfigurationError(`${name}: the lock gives no version or no sha256 hash of its files`);
    }
    return [{ name, version, hashes }];
  });
}

/** The distributions the lock file gives for this interpreter, extras and groups, sorted by name. */
export function lockedDistributions(
  lockFile: LockFile,
  text: string,
  context: MarkerContext,
): LockedDistribution[] {
  const lock = parseToml(text, lockFile.label);
  const read = { 'pylock.toml': fromPylock, 'uv.lock': fromUvLock, 'poetry.lock': fromPoetryLock }[
    lockFile.format
  ];
  let found: LockedDistribution[];
  try {
    found = read(lock, context);
  } catch (error) {
    if (error instanceof ConfigurationError)
      throw new ConfigurationError(`${lockFile.label}: ${error.message}`);
    throw error;
  }
  return found.sort((a, b) => (normalizeName(a.name) < normalizeName(b.name) ? -1 : 1));
}

/** The requirements file pip installs: one pinned line per distribution, with all its hashes. */
export function requirementsText(lockFile: LockFile, distributions: readonly LockedDistribution[]): string {
  const lines = distributions.map(
    (d) =>
      `${normalizeName(d.name)}==${d.version}${d.hashes.map((hash) => ` \\\n    --hash=${hash}`).join('')}`,
  );
  return [`# Written by dh_virtualenv from ${lockFile.label}; do not edit.`, ...lines, ''].join('\n');
}

/** Writes the requirements file converted from the lock into `dir`; returns its path. */
export function writeLockedRequirements(lockFile: LockFile, context: MarkerContext, dir: string): string {
  const path = join(dir, 'locked-requirements.txt');
  const distributions = lockedDistributions(lockFile, readFileSync(lockFile.path, 'utf8'), context);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, requirementsText(lockFile, distributions));
  return path;
}

/**
 * A lock older than the project metadata it locks may no longer match it (a dependency added to pyproject.toml
 * and not locked): said as a warning, as far as modification times tell.
 */
export function staleLockWarning(lockFile: LockFile, sourceDir: string): string | undefined {
  const metadata = join(sourceDir, 'pyproject.toml');
  if (lockFile.format === 'pylock.toml' || !existsSync(metadata)) return undefined;
  // Copies made in one go (a checkout, dpkg-source) differ by moments; only a clear gap counts.
  if (statSync(lockFile.path).mtimeMs + 2000 >= statSync(metadata).mtimeMs) return undefined;
  return `${lockFile.label} is older than pyproject.toml; if the dependencies changed, lock them again`;
}

/**
 * The requirements file converted from the package's lock file, for the venv at `layout.stagingDir`, written
 * into `dir`; undefined without a lock file. `warn`: say what a user should know (once, in the first phase).
 */
/** The marker variables (PEP 508) as `python` reports them, for choosing a lock file's entries. */
export function markerEnvironment(
  runner: Runner,
  python: string,
  hostEnv: Readonly<Record<string, string | undefined>>,
): MarkerEnvironment {
  const probe = runner.capture([python, '-c', MARKER_ENVIRONMENT_PROBE], {
    env: childEnvironment(hostEnv).env,
  });
  return JSON.parse(probe) as MarkerEnvironment;
}

export function lockedRequirements(
  context: Context,
  layout: PackageLayout,
  dir: string,
  warn: boolean,
): { readonly path: string; readonly label: string } | undefined {
  const { options } = context;
  const lockFile = findLockFile(layout, options);
  if (lockFile === undefined) return undefined;
  const defaultRequirements = join(layout.sourceDir, options.requirements.file);
  const warnings = [
    ...(options.lockFile === undefined && existsSync(defaultRequirements)
      ? [
          `installing from ${lockFile.label}; ${options.requirements.file} is not installed (--lock-file none uses it)`,
        ]
      : []),
    ...[staleLockWarning(lockFile, layout.sourceDir)].filter((w): w is string => w !== undefined),
  ];
  if (warn) {
    for (const message of warnings)
      context.logger.log({ kind: 'warning', message: `${layout.packageName}: ${message}` });
  }
  const environment = markerEnvironment(context.runner, venvBin(layout, 'python'), context.hostEnv);
  const path = writeLockedRequirements(
    lockFile,
    { environment, extras: options.extras, groups: options.lockGroups },
    dir,
  );
  return { path, label: lockFile.label };
}
