import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A RECORD line's hash field: sha256, urlsafe base64 without padding (PEP 376 / the wheel spec). */
export function recordHash(bytes: Buffer): string {
  return 'sha256=' + createHash('sha256').update(bytes).digest('base64url');
}

/** RECORD is CSV; paths containing a comma or quote are quoted. */
function splitRecordLine(line: string): [string, string] {
  if (line.startsWith('"')) {
    const end = line.indexOf('",', 1);
    return [line.slice(1, end).replace(/""/g, '"'), line.slice(end + 2)];
  }
  const comma = line.indexOf(',');
  return [line.slice(0, comma), line.slice(comma + 1)];
}

/**
 * Byte code is never part of what the package's RECORDs describe: by default none is shipped (the postinst
 * compiles it), and with --ship-byte-code it is compiled after pip, as dpkg's files rather than pip's.
 */
function isByteCode(path: string): boolean {
  return path.endsWith('.pyc') || path.split('/').includes('__pycache__');
}

/**
 * Rewrites a RECORD: entries whose file is in `changed` get the new hash and size, entries in `removed` and
 * byte code go, and the entries are sorted. Paths in RECORD are relative to the site-packages directory; `resolvePath` makes
 * them absolute. (virtualenv writes its seed packages' RECORDs in an order that follows the path of its cache
 * in $HOME, so the same source built by another user or in another directory differed; pip ignores the order.)
 */
export function updateRecord(
  text: string,
  resolvePath: (recordPath: string) => string,
  changed: ReadonlyMap<string, Buffer>,
  removed: ReadonlySet<string>,
): string {
  const lines = text.split('\n');
  return lines
    .filter((line) => {
      if (line === '') return true;
      const path = resolvePath(splitRecordLine(line)[0]);
      return !removed.has(path) && !isByteCode(path);
    })
    .map((line) => {
      // pip writes RECORD with the csv module's "\r\n" line ends; a rewritten line keeps its own.
      const end = line.endsWith('\r') ? '\r' : '';
      const entry = line.slice(0, line.length - end.length);
      if (entry === '') return line;
      const [path, rest] = splitRecordLine(entry);
      const bytes = changed.get(resolvePath(path));
      if (bytes === undefined || rest === ',') return line;
      const quoted = entry.startsWith('"') ? entry.slice(0, entry.length - rest.length - 1) : path;
      return `${quoted},${recordHash(bytes)},${bytes.length}${end}`;
    })
    .filter((line) => line !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((line) => line + '\n')
    .join('');
}

/** The venv's site-packages directories (one, lib/pythonX.Y/site-packages, unless several Pythons wrote there). */
export function sitePackagesDirs(venv: string): string[] {
  const lib = join(venv, 'lib');
  if (!existsSync(lib)) return [];
  return readdirSync(lib)
    .map((name) => join(lib, name, 'site-packages'))
    .filter((dir) => existsSync(dir));
}

function distInfoDirs(venv: string): string[] {
  return sitePackagesDirs(venv).flatMap((site) =>
    readdirSync(site)
      .filter((name) => name.endsWith('.dist-info') && lstatSync(join(site, name)).isDirectory())
      .map((name) => join(site, name)),
  );
}

/**
 * The local path a direct_url.json's "file:" URL names, decoded: pip percent-encodes it, so a build directory
 * with "+", ",", "@" or "=" in its name is not found in the text as written.
 */
export function directUrlPath(text: string): string | undefined {
  try {
    const url: unknown = (JSON.parse(text) as { url?: unknown }).url;
    return typeof url === 'string' && url.startsWith('file:') ? fileURLToPath(url) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * direct_url.json (PEP 610) records where a project was installed from: for `pip install .` that is the build
 * directory, meaningless on the target and a leak of the build path. Without it pip treats the project as an
 * ordinary installed distribution.
 */
export function buildLocalDirectUrls(venv: string, buildPaths: readonly string[]): string[] {
  return distInfoDirs(venv)
    .map((dir) => join(dir, 'direct_url.json'))
    .filter((path) => existsSync(path))
    .filter((path) => {
      const text = readFileSync(path, 'utf8');
      const local = directUrlPath(text);
      return buildPaths.some(
        (buildPath) =>
          text.includes(buildPath) ||
          (local !== undefined && (local === buildPath || local.startsWith(buildPath + '/'))),
      );
    });
}

/**
 * Distributions installed in editable mode (pip install -e, PEP 660, or setup.py develop's .egg-link): the venv
 * then imports them from the directory they were installed from, which is in the build tree and does not
 * exist on the target.
 */
export function editableInstalls(venv: string): string[] {
  const fromDirectUrl = distInfoDirs(venv).filter((dir) => {
    const path = join(dir, 'direct_url.json');
    if (!existsSync(path)) return false;
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { dir_info?: { editable?: unknown } };
      return parsed.dir_info?.editable === true;
    } catch {
      return false;
    }
  });
  const eggLinks = sitePackagesDirs(venv).flatMap((site) =>
    readdirSync(site)
      .filter((name) => name.endsWith('.egg-link'))
      .map((name) => join(site, name)),
  );
  return [
    ...fromDirectUrl.map((dir) => basename(dir).replace(/\.dist-info$/, '')),
    ...eggLinks.map((path) => basename(path, '.egg-link')),
  ];
}

/**
 * uv's notes for its own cache, in the .dist-info of what it built from a local source: uv_cache.json holds the
 * source's modification time (so two builds differ), uv_build.json the build settings. Nothing reads them in
 * an installed venv, and pip writes neither.
 */
export function uvCacheFiles(venv: string): string[] {
  return distInfoDirs(venv)
    .flatMap((dir) => ['uv_cache.json', 'uv_build.json'].map((name) => join(dir, name)))
    .filter((path) => existsSync(path));
}

/** Keeps every RECORD true after the fixups changed (`changed`) or deleted (`removed`) files of the venv. */
export function refreshRecords(venv: string, changed: readonly string[], removed: readonly string[]): number {
  const contents = new Map(changed.map((path) => [path, readFileSync(path)]));
  const gone = new Set(removed);
  let updated = 0;
  for (const dir of distInfoDirs(venv)) {
    const recordPath = join(dir, 'RECORD');
    if (!existsSync(recordPath)) continue;
    const before = readFileSync(recordPath, 'utf8');
    const site = dirname(dir);
    const after = updateRecord(before, (path) => resolve(site, path), contents, gone);
    if (after === before) continue;
    writeFileSync(`${recordPath}.new`, after);
    renameSync(`${recordPath}.new`, recordPath);
    updated++;
  }
  return updated;
}

export function removeFiles(paths: readonly string[]): void {
  for (const path of paths) rmSync(path, { force: true });
}
