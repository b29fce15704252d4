import { join, resolve } from 'node:path';
import type { Options } from './options';

/** Where one package's virtualenv lives: at build time in debian/<pkg>/…, and on the installed system. */
export interface PackageLayout {
  readonly packageName: string;
  /** The directory on the target system, e.g. /opt/venvs/hello. */
  readonly finalDir: string;
  /** The same directory inside the package build tree, absolute, e.g. /build/src/debian/hello/opt/venvs/hello. */
  readonly stagingDir: string;
  /** The package build tree, debian/<pkg>, absolute. */
  readonly packageTree: string;
  /** The Python project directory (-D), absolute. */
  readonly sourceDir: string;
}

export function packageLayout(packageName: string, options: Options, cwd: string): PackageLayout {
  const finalDir = join(options.installRoot, options.installSuffix ?? packageName);
  const packageTree = resolve(cwd, 'debian', packageName);
  return Object.freeze({
    packageName,
    finalDir,
    stagingDir: join(packageTree, finalDir),
    packageTree,
    sourceDir: resolve(cwd, options.sourceDirectory),
  });
}

export function venvBin(layout: PackageLayout, program: string): string {
  return join(layout.stagingDir, 'bin', program);
}
