import { buildOptions } from './options';
import type { Runner } from '../core/runner';

/** The compiler and linker flags a C extension build reads (setuptools takes them from the environment). */
export const COMPILER_FLAGS = ['CFLAGS', 'CPPFLAGS', 'CXXFLAGS', 'LDFLAGS'] as const;

/** Reads `dpkg-buildflags --query` output: blocks of "Flag: NAME" and "Value: …". */
export function parseBuildFlags(queryOutput: string): Map<string, string> {
  const flags = new Map<string, string>();
  for (const block of queryOutput.split(/\n\s*\n/)) {
    const name = /^Flag: (.*)$/m.exec(block)?.[1];
    const value = /^Value: ?(.*)$/m.exec(block)?.[1];
    if (name !== undefined && value !== undefined) flags.set(name.trim(), value.trim());
  }
  return flags;
}

/**
 * Extensions compiled from sdists get Debian's build flags (hardening, -ffile-prefix-map so the build path
 * stays out of the binaries), as dh_auto_build would give them. Under dh they are in the environment already
 * (dh exports dpkg-buildflags' values for every command); run by hand, dh_virtualenv adds the missing ones.
 * Flags debian/rules exports win: exporting CFLAGS (even empty) is also how a package opts out.
 *
 * dh_strip is kept out of the venv (the sequence passes it --exclude=/site-packages/, docs/native.md), so what
 * pip links is stripped by the linker instead: `-s` goes after Debian's LDFLAGS (dpkg-buildflags' value,
 * whoever exported it) unless DEB_BUILD_OPTIONS has nostrip (Debian policy 10.1). The debug info would
 * otherwise ship in the package, holding pip's random build directory (/tmp/pip-install-*), which also
 * changes the build ID on every build. LDFLAGS of the package's own making are left as they are.
 */
export function withBuildFlags(
  hostEnv: Readonly<Record<string, string | undefined>>,
  runner: Runner,
  cwd: string,
): Readonly<Record<string, string | undefined>> {
  const strip = !buildOptions(hostEnv.DEB_BUILD_OPTIONS).includes('nostrip');
  if (!strip && COMPILER_FLAGS.every((name) => hostEnv[name] !== undefined)) return hostEnv;
  const flags = parseBuildFlags(runner.capture(['dpkg-buildflags', '--query'], { env: hostEnv, cwd }));
  const env = { ...hostEnv };
  for (const name of COMPILER_FLAGS) {
    if (env[name] === undefined && flags.has(name)) env[name] = flags.get(name);
  }
  const debianLdflags = flags.get('LDFLAGS');
  if (strip && debianLdflags !== undefined && env.LDFLAGS?.trim() === debianLdflags) {
    env.LDFLAGS = `${debianLdflags} -s`.trim();
  }
  return Object.freeze(env);
}
