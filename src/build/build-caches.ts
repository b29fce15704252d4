import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the tools' caches go. A build farm builds with HOME=/nonexistent or a home it cannot write (sbuild,
 * pbuilder); pip and uv would then warn and build without a cache, or, run as root, create the home directory
 * on the build machine. In that case their caches go into the build's own directory under debian/.debhelper,
 * which dh_clean removes; a usable HOME keeps its caches, which make a developer's rebuilds faster.
 */
export function toolDir(cwd: string): string {
  return join(cwd, 'debian', '.debhelper', 'dh_virtualenv');
}

function isWritableDirectory(path: string | undefined): boolean {
  if (path === undefined || path === '') return false;
  try {
    accessSync(path, constants.W_OK);
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The host environment with PIP_CACHE_DIR and UV_CACHE_DIR in the build tree when HOME cannot hold them. */
export function withBuildCaches(
  hostEnv: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Readonly<Record<string, string | undefined>> {
  if (isWritableDirectory(hostEnv.HOME)) return hostEnv;
  return {
    ...hostEnv,
    PIP_CACHE_DIR: hostEnv.PIP_CACHE_DIR ?? join(toolDir(cwd), 'pip-cache'),
    UV_CACHE_DIR: hostEnv.UV_CACHE_DIR ?? join(toolDir(cwd), 'uv-cache'),
  };
}
