/**
 * Our own source package as a clean clone would have it, for the tests that build it as a build daemon does
 * (own-package-offline.test.ts with dpkg-buildpackage, test/sbuild/ with sbuild): the files git tracks, or
 * would once committed, and nothing it ignores (node_modules/, build/, dist/).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hermeticEnv } from './processes';

/**
 * The files a clean clone of the work tree would have once committed: tracked or new, not ignored, and not
 * deleted. Undefined where the tree is not a git checkout.
 */
export function sourceFiles(repo: string): string[] | undefined {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    encoding: 'utf8',
    env: hermeticEnv({ HOME: '/nonexistent' }),
  });
  if (listed.status !== 0) return undefined;
  const files = listed.stdout.split('\0').filter((path) => path !== '');
  return [...new Set(files)].filter((path) => {
    try {
      return !lstatSync(join(repo, path)).isDirectory();
    } catch {
      return false;
    }
  });
}

/** Copies sourceFiles(repo) to `destination` (made if missing); fails where `repo` is not a git checkout. */
export function exportSourceTree(repo: string, destination: string): void {
  const files = sourceFiles(repo);
  if (files === undefined) throw new Error(`${repo} is not a git checkout: "git ls-files" failed`);
  for (const path of files) {
    mkdirSync(dirname(join(destination, path)), { recursive: true });
    cpSync(join(repo, path), join(destination, path));
  }
}
