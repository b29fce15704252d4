import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CommandFailedError, ConfigurationError, StepFailedError } from '../core/errors';
import { pipRecordOf } from './install-reports';

/**
 * pip builds a local project in place, and setuptools leaves build/ and <name>.egg-info (under src/ for a src
 * layout) in the project directory: files that are not the package's, that dpkg-source then sees as changes,
 * and that a later build would reuse. What a build made there is removed after it; what was there before
 * stays, so nothing of the user's is touched.
 */
export function buildLeftovers(sourceDir: string): string[] {
  const eggInfo = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.egg-info'))
          .map((name) => join(dir, name))
      : [];
  const build = join(sourceDir, 'build');
  return [
    ...(existsSync(build) ? [build] : []),
    ...eggInfo(sourceDir),
    ...eggInfo(join(sourceDir, 'src')),
  ].sort();
}

/**
 * Runs `action`, then removes the leftovers it created (see buildLeftovers); returns what was removed. A
 * failure the source tree explains is said so (explainProjectBuildFailure).
 */
export function keepingSourceTree(sourceDir: string, action: () => void): string[] {
  const before = new Set(buildLeftovers(sourceDir));
  const removeNew = (): string[] => {
    const made = buildLeftovers(sourceDir).filter((path) => !before.has(path));
    for (const path of made) rmSync(path, { recursive: true, force: true });
    return made;
  };
  try {
    action();
  } catch (error) {
    removeNew();
    throw explainProjectBuildFailure(error, sourceDir);
  }
  return removeNew();
}

/**
 * Fails with one line naming the directory when `path` cannot be created because its nearest existing
 * ancestor is on a read-only file system or not writable. (`mkdir -p` reports ENOENT then, which names the
 * wrong problem.)
 */
export function checkCanCreate(path: string): void {
  let ancestor = path;
  while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  const why = notWritable(ancestor);
  if (why !== undefined) {
    throw new ConfigurationError(`${ancestor} ${why}, so ${path} cannot be made; ${WRITABLE_COPY}`);
  }
}

const WRITABLE_COPY = 'build in a writable copy of the source (or as the user who owns it)';

/** Why `dir` cannot be written, in words, or undefined when it can. */
function notWritable(dir: string): string | undefined {
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return 'is on a read-only file system (EROFS)';
    if (code === 'EACCES' || code === 'EPERM') return `is not writable (${code})`;
    return undefined;
  }
}

/** Directories of a source package that no build backend packs: version control, quilt, packaging. */
const NOT_PACKED = new Set(['.git', '.hg', '.svn', '.pc', 'debian']);

/** A file name's bytes as text: printable ASCII as it is, anything else as \xNN, so it can be read and typed. */
export function printableName(name: Buffer): string {
  return [...name]
    .map((byte) =>
      byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

/** Whether bytes are valid UTF-8 (Node decodes invalid sequences to U+FFFD, so they do not survive a round trip). */
function isUtf8(name: Buffer): boolean {
  return Buffer.from(name.toString('utf8'), 'utf8').equals(name);
}

/**
 * Paths under `dir` (relative, printable) whose names are not UTF-8, at most `limit` of them; symbolic links are
 * not followed. A wheel cannot hold such a name: zip files and RECORD are UTF-8, and setuptools fails with a
 * UnicodeEncodeError deep in its traceback.
 */
export function nonUtf8Names(dir: string, limit = 5): string[] {
  const found: string[] = [];
  const walk = (absolute: Buffer, relative: string): void => {
    let entries;
    try {
      entries = readdirSync(absolute, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= limit) return;
      const name = entry.name as unknown as Buffer;
      const path = relative === '' ? printableName(name) : `${relative}/${printableName(name)}`;
      if (!isUtf8(name)) found.push(path);
      else if (entry.isDirectory() && !(relative === '' && NOT_PACKED.has(name.toString()))) {
        walk(Buffer.concat([absolute, Buffer.from('/'), name]), path);
      }
    }
  };
  walk(Buffer.from(dir), '');
  return found.sort();
}

/** pip's log says the build could not write (errno 30, read-only file system; 13, permission denied). */
const WRITE_REFUSED = /\[Errno (?:30|13)\]|Read-only file system|Permission denied/;
/** pip's log says a build backend met a name that is not UTF-8 (a surrogate escape it cannot encode). */
const NOT_UTF8 = /surrogates not allowed/;

/**
 * The project's build failed: when the source tree itself is why (a directory the build cannot write into, a
 * file name a wheel cannot hold), one line saying so and what to do, instead of pip's exit code under pages of
 * traceback. pip's log of the run, when there is one, must show that kind of failure.
 */
export function explainProjectBuildFailure(error: unknown, sourceDir: string): unknown {
  if (!(error instanceof StepFailedError) || !(error.cause instanceof CommandFailedError)) return error;
  const logFile = pipRecordOf(error.cause.argv, '--log');
  let log: string | undefined;
  try {
    log = logFile === undefined ? undefined : readFileSync(logFile, 'utf8');
  } catch {
    log = undefined;
  }
  const shows = (pattern: RegExp): boolean => log === undefined || pattern.test(log);
  const why = notWritable(sourceDir);
  if (why !== undefined && shows(WRITE_REFUSED)) {
    return new StepFailedError(
      error.packageName,
      error.step,
      new ConfigurationError(
        `${sourceDir} ${why}, and building the project writes into it (setuptools makes build/ and ` +
          `*.egg-info there); ${WRITABLE_COPY}`,
      ),
      error.hint,
    );
  }
  const names = shows(NOT_UTF8) ? nonUtf8Names(sourceDir) : [];
  if (names.length > 0) {
    return new StepFailedError(
      error.packageName,
      error.step,
      new ConfigurationError(
        `${names.join(', ')} in ${sourceDir}: a file name that is not UTF-8, which a wheel cannot hold; ` +
          'rename it (for example with convmv -f latin1 -t utf8), or keep it out of the package',
      ),
      error.hint,
    );
  }
  return error;
}
