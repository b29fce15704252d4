import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigurationError } from '../core/errors';
import type { Interpreter } from '../core/interpreter';
import { SYSTEM_PYTHON } from '../core/interpreter';
import type { PackageLayout } from './layout';
import type { Options } from './options';

/**
 * The command that creates the virtualenv. virtualenv runs under Debian's python3 (where python3-virtualenv
 * lives) and is told which interpreter to use, so any --python works without virtualenv installed for it.
 * Both get the interpreter's real path (/usr/bin/python3.11, not /usr/bin/python3), which the venv's
 * bin/python then links to: /usr/bin/python3 moves to the next minor version on a Python upgrade, and a venv
 * following it would run python3.12 over lib/python3.11. python3.11 itself stays (it is in Depends).
 */
export function createVenvCommand(layout: PackageLayout, options: Options, python: Interpreter): string[] {
  const systemSite = options.useSystemPackages ? ['--system-site-packages'] : [];
  if (options.builtinVenv) {
    return [
      python.realPath,
      '-m',
      'venv',
      ...systemSite,
      ...(options.withoutPip ? ['--without-pip'] : []),
      ...options.extraVirtualenvArgs,
      layout.stagingDir,
    ];
  }
  return [
    SYSTEM_PYTHON,
    '-m',
    'virtualenv',
    '--python',
    python.realPath,
    ...systemSite,
    // Old virtualenv took a bare --setuptools (to avoid distribute); today's wants a version to seed.
    ...(options.setuptools ? ['--setuptools', 'bundle'] : []),
    ...(options.withoutPip ? ['--no-seed'] : []),
    ...(options.verbose ? ['--verbose'] : []),
    ...options.extraVirtualenvArgs,
    layout.stagingDir,
  ];
}

/**
 * A rerun, or a run after an interrupted build, must not install on top of a half-made venv; the staging
 * directory is ours (debian/<pkg>/<root>/<suffix>), so it is emptied first.
 */
export function resetStagingDir(layout: PackageLayout): void {
  rmSync(layout.stagingDir, { recursive: true, force: true });
  mkdirSync(dirname(layout.stagingDir), { recursive: true });
}

/** Where Debian keeps the wheels virtualenv and venv seed from (python3-pip-whl). */
export const DEBIAN_WHEELS = '/usr/share/python-wheels';

/**
 * --without-pip: pip runs from Debian's pip wheel, with the venv's interpreter, so it installs into the venv
 * without being in it (a wheel is a zip file pip can run from). Returns the "<wheel>/pip" path to run.
 */
export function pipFromWheel(dir: string = DEBIAN_WHEELS): string {
  const wheels = existsSync(dir) ? readdirSync(dir) : [];
  const pip = wheels.filter((name) => /^pip-[^-]+-py3-none-any\.whl$/.test(name)).sort()[0];
  if (pip === undefined) {
    throw new ConfigurationError(
      `--without-pip: no pip wheel in ${dir}; install python3-pip-whl (add it to Build-Depends)`,
    );
  }
  return join(dir, pip, 'pip');
}
