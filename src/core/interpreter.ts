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

/** Looks a program up as the shell would: a path is taken as is, a bare name is searched on PATH. */
export function findProgram(wanted: string, searchPath: string | undefined): string | undefined {
  const candidates = wanted.includes('/')
    ? [wanted]
    : (searchPath ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, wanted));
  return candidates.find(isExecutableFile);
}

/** The uv that --installer uv runs: the first on PATH. */
export function findUv(searchPath: string | undefined): string {
  const found = findProgram('uv', searchPath);
  if (found === undefined) {
    throw new ConfigurationError(
      '--installer uv: uv is not on PATH; install it where the build finds it (for example "pipx install uv", ' +
        'or "pip install uv" into a venv whose bin/ is on PATH) or build with the default installer, pip',
    );
  }
  return found;
}

export function findInterpreter(python: string | undefined, searchPath: string | undefined): Interpreter {
  const wanted = python ?? SYSTEM_PYTHON;
  const found = findProgram(wanted, searchPath);
  if (found === undefined) {
    const where = wanted.includes('/') ? 'does not exist or is not executable' : 'is not on PATH';
    throw new ConfigurationError(
      `--python ${wanted}: the interpreter ${where}; install it (for example python3.11 via Build-Depends) ` +
        'or give its full path',
    );
  }
  return Object.freeze({ path: found, realPath: realpathSync(found) });
}
