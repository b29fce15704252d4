import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ConfigurationError } from './errors';

/** The interpreter that runs virtualenv itself: Debian's python3, which python3-virtualenv installs into. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface Interpreter {
  /** As found: an absolute path, possibly a symlink such as /usr/bin/python3. */
  readonly path: string;
  /** With symlinks resolved, e.g. /usr/bin/python3.11: the file the venv really runs. */
  readonly realPath: string;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Looks `python` up as the shell would: a path is taken as is, a bare name is searched on PATH. */
export function findInterpreter(python: string | undefined, searchPath: string | undefined): Interpreter {
  const wanted = python ?? SYSTEM_PYTHON;
  const candidates = wanted.includes('/')
    ? [wanted]
    : (searchPath ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, wanted));
  const found = candidates.find(isExecutableFile);
  if (found === undefined) {
    const where = wanted.includes('/') ? 'does not exist or is not executable' : 'is not on PATH';
    throw new ConfigurationError(
      `--python ${wanted}: the interpreter ${where}; install it (for example python3.11 via Build-Depends) ` +
        'or give its full path',
    );
  }
  return Object.freeze({ path: found, realPath: realpathSync(found) });
}
