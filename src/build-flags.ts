import type { Runner } from './runner';

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
 * stays out of the binaries), as dh_auto_build would give them. Flags debian/rules already exports win:
 * exporting CFLAGS (even empty) is also how a package opts out.
 */
export function withBuildFlags(
  hostEnv: Readonly<Record<string, string | undefined>>,
  runner: Runner,
  cwd: string,
): Readonly<Record<string, string | undefined>> {
  if (COMPILER_FLAGS.every((name) => hostEnv[name] !== undefined)) return hostEnv;
  const flags = parseBuildFlags(runner.capture(['dpkg-buildflags', '--query'], { env: hostEnv, cwd }));
  const added = Object.fromEntries(
    COMPILER_FLAGS.filter((name) => hostEnv[name] === undefined && flags.has(name)).map((name) => [
      name,
      flags.get(name),
    ]),
  );
  return Object.freeze({ ...hostEnv, ...added });
}
