import { CommandFailedError } from '../core/errors';
import type { Interpreter } from '../core/interpreter';
import type { Runner } from '../core/runner';

/**
 * Picks the package to depend on from `dpkg-query -S <file>` output ("python3.11-minimal: /usr/bin/python3.11").
 * The -minimal package owns the binary but not the standard library a venv imports, so its full sibling
 * (python3.11) is the real dependency.
 */
export function interpreterPackage(dpkgQueryOutput: string, file: string): string | undefined {
  for (const line of dpkgQueryOutput.split('\n')) {
    if (!line.endsWith(`: ${file}`) || /^(?:local )?diversion /.test(line)) continue;
    const owner = (line.slice(0, -`: ${file}`.length).split(', ')[0] ?? '').replace(/:[a-z0-9-]+$/, '');
    if (owner !== '') return owner.replace(/-minimal$/, '');
  }
  return undefined;
}

/**
 * The venv runs the interpreter it was built with, by absolute path; the package must keep that very
 * interpreter (for example python3.11) installed, or it breaks when python3 moves to a new minor version.
 */
export function findInterpreterPackage(
  python: Interpreter,
  runner: Runner,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  try {
    return interpreterPackage(
      runner.capture(['dpkg-query', '-S', python.realPath], { env }),
      python.realPath,
    );
  } catch (error) {
    if (error instanceof CommandFailedError && error.status === 1) return undefined; // not owned by a package
    throw error;
  }
}
