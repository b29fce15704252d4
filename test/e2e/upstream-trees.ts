/**
 * Comparing two built trees entry by entry: an extracted .deb against another (the differential test), or the
 * venvs of the two build modes (the build-system test). Walks the file system rather than parsing
 * `dpkg-deb -c`, whose columns are split on spaces (setuptools ships "launcher manifest.xml").
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface TreeEntry {
  readonly kind: 'directory' | 'file' | 'symlink' | 'other';
  /** Permission bits, e.g. 0o755. */
  readonly mode: number;
  /** Symbolic links: where they point. Files: sha256 of the contents. */
  readonly target?: string;
  readonly sha256?: string;
}

function entryOf(path: string): TreeEntry {
  const stat = lstatSync(path);
  const mode = stat.mode & 0o7777;
  if (stat.isSymbolicLink()) return { kind: 'symlink', mode, target: readlinkSync(path) };
  if (stat.isDirectory()) return { kind: 'directory', mode };
  if (!stat.isFile()) return { kind: 'other', mode };
  return { kind: 'file', mode, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

/**
 * Everything under `root`, keyed by its path from there with a leading slash ("/opt/venvs/x/bin/python"), in
 * sorted order. Directories named in `skip` (relative to root, e.g. "DEBIAN") are left out with their contents.
 */
export function treeEntries(root: string, skip: readonly string[] = []): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      if (skip.includes(path)) continue;
      const entry = entryOf(join(root, path));
      entries.set(`/${path}`, entry);
      if (entry.kind === 'directory') walk(path);
    }
  };
  walk('');
  return entries;
}

export function describeEntry(entry: TreeEntry): string {
  const mode = entry.mode.toString(8).padStart(4, '0');
  if (entry.kind === 'symlink') return `symlink -> ${entry.target ?? ''}`;
  if (entry.kind === 'file') return `file ${mode} sha256:${entry.sha256 ?? ''}`;
  return `${entry.kind} ${mode}`;
}

/** How two trees differ: paths only one has, and paths both have whose entries differ (type, mode, contents). */
export interface TreeDifference {
  readonly onlyInFirst: readonly string[];
  readonly onlyInSecond: readonly string[];
  readonly changed: readonly string[];
}

export function compareTrees(
  first: ReadonlyMap<string, TreeEntry>,
  second: ReadonlyMap<string, TreeEntry>,
): TreeDifference {
  const changed: string[] = [];
  for (const [path, entry] of first) {
    const other = second.get(path);
    if (other !== undefined && describeEntry(other) !== describeEntry(entry)) changed.push(path);
  }
  return {
    onlyInFirst: [...first.keys()].filter((path) => !second.has(path)),
    onlyInSecond: [...second.keys()].filter((path) => !first.has(path)),
    changed,
  };
}
