import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * pip builds a local project in place, and setuptools leaves build/ and <name>.egg-info (under src/ for a src
 * layout) in the project directory: files that are not the package's, that dpkg-source then sees as changes,
 * and that a later build would reuse. What a build made there is removed after it; what was there before
 * stays, so nothing of the user's is touched.
 */
export function buildLeftovers(sourceDir: string): string[] {
  const eggInfo = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.egg-info'))
          .map((name) => join(dir, name))
      : [];
  const build = join(sourceDir, 'build');
  return [
    ...(existsSync(build) ? [build] : []),
    ...eggInfo(sourceDir),
    ...eggInfo(join(sourceDir, 'src')),
  ].sort();
}

/** Runs `action`, then removes the leftovers it created (see buildLeftovers); returns what was removed. */
export function keepingSourceTree(sourceDir: string, action: () => void): string[] {
  const before = new Set(buildLeftovers(sourceDir));
  const removeNew = (): string[] => {
    const made = buildLeftovers(sourceDir).filter((path) => !before.has(path));
    for (const path of made) rmSync(path, { recursive: true, force: true });
    return made;
  };
  try {
    action();
  } catch (error) {
    removeNew();
    throw error;
  }
  return removeNew();
}
