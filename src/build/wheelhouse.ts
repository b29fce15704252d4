/**
 * The vendored wheelhouse: debian/wheelhouse/, written by `dh-virtualenv vendor`, holds every distribution file
 * a build needs (the requirements, the project's dependencies, and what building sdists and the project takes),
 * and debian/wheelhouse/lock.toml lists each file with its name, version and sha256. When it is there,
 * dh_virtualenv checks every file against the lock and builds from these files alone, without an index: a
 * build farm without network builds the package, and what goes into it is what was reviewed.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '../core/errors';
import { SYSTEM_PYTHON } from '../core/interpreter';
import type { Logger } from '../core/log';
import type { Runner } from '../core/runner';
import { normalizeName } from '../init/requirements';
import { parseToml, stringAt, tablesAt } from '../init/toml';
import { toolDir } from './build-caches';

export const WHEELHOUSE_DIR = join('debian', 'wheelhouse');
export const LOCK_FILE = join(WHEELHOUSE_DIR, 'lock.toml');
const LOCK_VERSION = 1;

/** What a file is in the wheelhouse for: installed into the venv, or only needed to build something. */
export type FileUse = 'install' | 'build';

export interface LockedFile {
  /** The distribution's name, normalized (PEP 503). */
  readonly name: string;
  readonly version: string;
  /** The file's name in debian/wheelhouse/. */
  readonly file: string;
  readonly sha256: string;
  readonly use: FileUse;
}

export interface WheelhouseLock {
  /** major.minor of the interpreter the files were chosen for (wheels are tagged for one). */
  readonly python: string;
  /** sysconfig's platform of the machine that chose them, e.g. linux-x86_64. */
  readonly platform: string;
  readonly files: readonly LockedFile[];
}

const SDIST_SUFFIXES = ['.tar.gz', '.zip', '.tar.bz2', '.tgz'];

export function isDistributionFile(file: string): boolean {
  return file.endsWith('.whl') || SDIST_SUFFIXES.some((suffix) => file.endsWith(suffix));
}

/**
 * Name and version from a distribution file's name: `name-version(-build)?-py-abi-platform.whl` (PEP 427) or
 * `name-version.tar.gz` (a version never holds a dash, a legacy sdist's name may).
 */
export function distributionOf(file: string): { name: string; version: string } | undefined {
  if (file.endsWith('.whl')) {
    const parts = file.slice(0, -'.whl'.length).split('-');
    if (parts.length < 5 || parts.length > 6) return undefined;
    return { name: normalizeName(parts[0] ?? ''), version: parts[1] ?? '' };
  }
  const suffix = SDIST_SUFFIXES.find((candidate) => file.endsWith(candidate));
  if (suffix === undefined) return undefined;
  const stem = file.slice(0, -suffix.length);
  const dash = stem.lastIndexOf('-');
  if (dash <= 0 || dash === stem.length - 1) return undefined;
  return { name: normalizeName(stem.slice(0, dash)), version: stem.slice(dash + 1) };
}

export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The lock as TOML, sorted so that the same files always give the same bytes (no dates, no paths). */
export function renderLock(lock: WheelhouseLock): string {
  const quote = (text: string): string => JSON.stringify(text);
  const files = [...lock.files].sort(
    (a, b) => a.name.localeCompare(b.name, 'en') || a.file.localeCompare(b.file, 'en'),
  );
  const lines = [
    '# Written by "dh-virtualenv vendor": every file in this directory with its sha256. dh_virtualenv builds',
    '# from these files alone (no package index) and stops if one is missing, changed or not listed here.',
    '# Review a change to this file as you would a change to the code. Update it with "dh-virtualenv vendor"',
    '# ("--upgrade NAME" moves one distribution to its newest allowed version).',
    `lock-version = ${LOCK_VERSION}`,
    `python = ${quote(lock.python)}`,
    `platform = ${quote(lock.platform)}`,
  ];
  for (const file of files) {
    lines.push(
      '',
      '[[file]]',
      `name = ${quote(file.name)}`,
      `version = ${quote(file.version)}`,
      `file = ${quote(file.file)}`,
      `sha256 = ${quote(file.sha256)}`,
      `use = ${quote(file.use)}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function parseLock(text: string, label: string): WheelhouseLock {
  const table = parseToml(text, label);
  if (table['lock-version'] !== LOCK_VERSION) {
    throw new ConfigurationError(
      `${label}: lock-version is ${String(table['lock-version'])}, this dh-virtualenv reads version ` +
        `${LOCK_VERSION}; run "dh-virtualenv vendor" to write it again`,
    );
  }
  const required = (entry: Readonly<Record<string, unknown>>, key: string, at: string): string => {
    const value = stringAt(entry, key);
    if (value === undefined || value === '') {
      throw new ConfigurationError(
        `${label}: ${at} has no "${key}"; run "dh-virtualenv vendor" to write it again`,
      );
    }
    return value;
  };
  const files = tablesAt(table, 'file').map((entry, index): LockedFile => {
    const at = `[[file]] number ${index + 1}`;
    const use = required(entry, 'use', at);
    if (use !== 'install' && use !== 'build') {
      throw new ConfigurationError(`${label}: ${at} has use = "${use}"; it is "install" or "build"`);
    }
    const sha256 = required(entry, 'sha256', at);
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new ConfigurationError(`${label}: ${at} has a sha256 that is not 64 hexadecimal digits`);
    }
    const file = required(entry, 'file', at);
    if (file.includes('/') || !isDistributionFile(file)) {
      throw new ConfigurationError(`${label}: ${at} names "${file}", which is not a distribution file name`);
    }
    return { name: required(entry, 'name', at), version: required(entry, 'version', at), file, sha256, use };
  });
  return {
    python: stringAt(table, 'python') ?? '',
    platform: stringAt(table, 'platform') ?? '',
    files,
  };
}

/** The lock of the wheelhouse under `cwd`, or undefined when there is none. */
export function readLock(cwd: string): WheelhouseLock | undefined {
  const path = join(cwd, LOCK_FILE);
  if (!existsSync(path)) return undefined;
  return parseLock(readFileSync(path, 'utf8'), LOCK_FILE);
}

const REVENDOR = 'run "dh-virtualenv vendor" and review what it changes';

/**
 * Every file the lock lists is there with its sha256, and every distribution file there is listed: pip finds
 * whatever lies in the directory, so an unlisted file would go into the package unchecked.
 */
export function verifyWheelhouse(cwd: string, lock: WheelhouseLock): void {
  const dir = join(cwd, WHEELHOUSE_DIR);
  const listed = new Set(lock.files.map((entry) => entry.file));
  for (const entry of lock.files) {
    const path = join(dir, entry.file);
    const shown = join(WHEELHOUSE_DIR, entry.file);
    if (!existsSync(path)) {
      throw new ConfigurationError(
        `${shown} is missing but ${LOCK_FILE} lists it; restore it (from version control) or ${REVENDOR}`,
      );
    }
    const actual = sha256Of(path);
    if (actual !== entry.sha256) {
      throw new ConfigurationError(
        `${shown} has sha256 ${actual}, but ${LOCK_FILE} says ${entry.sha256}: the file changed after it was ` +
          `vendored; restore it (from version control) or ${REVENDOR}`,
      );
    }
  }
  const unlisted = readdirSync(dir).filter((name) => isDistributionFile(name) && !listed.has(name));
  if (unlisted.length > 0) {
    throw new ConfigurationError(
      `${unlisted.map((name) => join(WHEELHOUSE_DIR, name)).join(', ')} not listed in ${LOCK_FILE}, so ` +
        `nothing vouches for ${unlisted.length === 1 ? 'it' : 'them'}; remove ${unlisted.length === 1 ? 'it' : 'them'} or ${REVENDOR}`,
    );
  }
}

/**
 * With a wheelhouse, the host environment the installers see names it as their only source (pip's variables
 * reach pip's isolated build environments too; child-environment.ts hands them to uv). Without one, the
 * environment is returned as it is.
 */
export function withWheelhouse(
  hostEnv: Readonly<Record<string, string | undefined>>,
  cwd: string,
  logger: Logger,
): { hostEnv: Readonly<Record<string, string | undefined>>; lock?: WheelhouseLock } {
  const lock = readLock(cwd);
  if (lock === undefined) return { hostEnv };
  verifyWheelhouse(cwd, lock);
  const count = lock.files.length;
  logger.log({
    kind: 'note',
    message:
      `building from ${WHEELHOUSE_DIR} alone: ${count} file${count === 1 ? '' : 's'} checked against ` +
      `${LOCK_FILE}; no package index is used`,
  });
  const dir = join(cwd, WHEELHOUSE_DIR);
  return {
    hostEnv: { ...hostEnv, PIP_NO_INDEX: '1', PIP_FIND_LINKS: dir, UV_FIND_LINKS: dir },
    lock,
  };
}

/**
 * uv from the wheelhouse, when it holds uv's wheel (vendored for --installer uv, as no Debian package has uv):
 * the wheel, already checked against the lock, is unpacked into the build's tool directory, once, with
 * Python's zipfile, and its uv program is returned. undefined when the wheelhouse has no uv.
 */
export function wheelhouseUv(lock: WheelhouseLock, cwd: string, runner: Runner): string | undefined {
  const wheel = lock.files.find((entry) => entry.name === 'uv' && entry.file.endsWith('.whl'));
  if (wheel === undefined) return undefined;
  const dir = join(toolDir(cwd), `uv-${wheel.sha256.slice(0, 16)}`);
  const program = join(dir, `uv-${wheel.version}.data`, 'scripts', 'uv');
  if (!existsSync(program)) {
    rmSync(dir, { recursive: true, force: true });
    const argv = [SYSTEM_PYTHON, '-m', 'zipfile', '-e', join(cwd, WHEELHOUSE_DIR, wheel.file), dir];
    runner.run(argv, { env: { PATH: '/usr/bin:/bin' } });
    if (!existsSync(program)) {
      throw new ConfigurationError(
        `${join(WHEELHOUSE_DIR, wheel.file)} holds no uv-${wheel.version}.data/scripts/uv; vendor uv's wheel ` +
          'from PyPI ("dh-virtualenv vendor --installer uv")',
      );
    }
    // zipfile keeps no file modes.
    chmodSync(program, 0o755);
  }
  return program;
}
