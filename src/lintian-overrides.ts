import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log';

/**
 * Lintian tags that describe what a venv package is by design. Each is overridden only for the venv's own
 * directory and carries the reason; anything else lintian finds is left to be fixed, not hidden.
 */
export function lintianOverrides(packageName: string, finalDir: string): string {
  const dir = finalDir.replace(/^\//, '');
  const parts = dir.split('/');
  // The venv and the directories above it up to /opt, e.g. [opt/venvs/] for /opt/venvs/hello.
  const optDirs =
    parts[0] === 'opt'
      ? Array.from({ length: parts.length - 2 }, (_, k) => parts.slice(0, k + 2).join('/') + '/')
      : [];
  const inOpt =
    parts[0] === 'opt'
      ? [
          `# Added by dh_virtualenv: the package installs a self-contained virtualenv under ${finalDir}.`,
          '# An application tree outside /usr is what /opt is for (FHS 3.13, add-on application software).',
          ...optDirs.map((parent) => `${packageName}: dir-or-file-in-opt [${parent}]`),
          `${packageName}: dir-or-file-in-opt [${dir}/*]`,
        ]
      : [];
  return [
    ...inOpt,
    "# Added by dh_virtualenv: console scripts run the venv's own interpreter; that is the point of the venv.",
    `${packageName}: unusual-interpreter ${finalDir}/bin/python* [${dir}/bin/*]`,
    '# Modules of PyPI projects may start with a "#!" line although they are imported, not run.',
    `${packageName}: script-not-executable [${dir}/lib/*]`,
    `${packageName}: unusual-interpreter * [${dir}/lib/*]`,
    '',
  ].join('\n');
}

/**
 * Installs the overrides into the package tree. dh_lintian, which runs later, replaces the file with
 * debian/<pkg>.lintian-overrides when the user has one, so then the user is told which lines to add.
 */
export function installLintianOverrides(
  debianDir: string,
  packageName: string,
  finalDir: string,
  logger: Logger,
): void {
  const text = lintianOverrides(packageName, finalDir);
  if (existsSync(join(debianDir, `${packageName}.lintian-overrides`))) {
    logger.log({
      kind: 'warning',
      message:
        `debian/${packageName}.lintian-overrides replaces dh_virtualenv's overrides; add these lines to it:\n` +
        text,
    });
    return;
  }
  const dir = join(debianDir, packageName, 'usr/share/lintian/overrides');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, packageName), text);
}
