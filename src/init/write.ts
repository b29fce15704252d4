/**
 * Writing debian/, the only place init writes to. An existing debian/ is left alone unless --force; with it,
 * the files init writes are replaced and any others are kept (and named, since they may no longer fit).
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ConfigurationError } from '../core/errors';
import type { Logger } from '../core/log';
import type { DebianFile } from './files';

/** Stops before anything is read or run when debian/ is there and --force was not given. */
export function refuseExistingDebian(projectDir: string, force: boolean): void {
  const debian = join(projectDir, 'debian');
  if (!existsSync(debian) && !isDanglingLink(debian)) return;
  if (!lstatSync(debian).isDirectory()) {
    throw new ConfigurationError(`${debian} is there and is not a directory; move it away first`);
  }
  if (!force) {
    throw new ConfigurationError(
      `${debian} exists already and init does not change it: move it away, or pass --force to replace the files init writes`,
    );
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

export function writeDebianFiles(
  projectDir: string,
  files: readonly DebianFile[],
  logger: Logger,
  packageName: string,
): void {
  const debian = join(projectDir, 'debian');
  const written = new Set(files.map((file) => join(debian, file.path)));
  const others = filesUnder(debian).filter((path) => !written.has(path));
  for (const file of files) {
    const path = join(debian, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
    chmodSync(path, file.mode);
    logger.log({ kind: 'detail', message: `wrote debian/${file.path}` });
  }
  logger.log({
    kind: 'progress',
    packageName,
    message: `wrote debian/: ${files.map((file) => file.path).join(', ')}`,
  });
  if (others.length > 0) {
    logger.log({
      kind: 'warning',
      message: `kept what init does not write, check it still fits: ${others.map((path) => relative(projectDir, path)).join(', ')}`,
    });
  }
}
