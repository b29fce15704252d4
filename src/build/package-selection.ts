import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '../core/errors';
import type { Options } from './options';
import type { Runner } from '../core/runner';

/**
 * dh_listpackages already knows -p/-N/-a/-i, Architecture, Build-Profiles and what dh passes through
 * DH_INTERNAL_OPTIONS, so we ask it rather than read debian/control ourselves.
 */
export function listPackagesCommand(options: Options): string[] {
  return [
    'dh_listpackages',
    ...(options.arch ? ['-a'] : []),
    ...(options.indep ? ['-i'] : []),
    ...options.packages.flatMap((name) => ['-p', name]),
    ...options.noPackages.flatMap((name) => ['-N', name]),
  ];
}

/** Binary packages named python3-* are dh_python3's business (upstream behaves the same). */
export function isLeftToDhPython(name: string): boolean {
  return name.startsWith('python3-');
}

/** Every binary package the debhelper options select, as dh_listpackages lists them. */
export function listPackages(
  options: Options,
  runner: Runner,
  hostEnv: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string[] {
  if (!existsSync(join(cwd, 'debian/control'))) {
    throw new ConfigurationError(
      `debian/control not found in ${cwd}; run dh_virtualenv from the top of the source package`,
    );
  }
  // Our own options in DH_OPTIONS would make dh_listpackages warn; the ones it needs are passed explicitly.
  const env = { ...hostEnv };
  delete env.DH_OPTIONS;
  const output = runner.capture(listPackagesCommand(options), { env, cwd });
  return output.split(/\s+/).filter((name) => name !== '');
}

/** The packages dh_virtualenv builds a venv for. */
export function selectPackages(
  options: Options,
  runner: Runner,
  hostEnv: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string[] {
  return listPackages(options, runner, hostEnv, cwd).filter((name) => !isLeftToDhPython(name));
}
