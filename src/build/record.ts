import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** A RECORD line's hash field: sha256, urlsafe base64 without padding (PEP 376 / the wheel spec). */
export function recordHash(bytes: Buffer): string {
  return 'sha256=' + createHash('sha256').update(bytes).digest('base64url');
}

/**
 * A RECORD line's path and the rest of the line (hash and size). RECORD is CSV as Python's csv module writes
 * it: a path with a comma or a quote is quoted, and a quote inside is doubled (`"say ""hi"",ok.txt"`), so
 * the path ends at the first quote that is neither doubled nor ends a doubled pair, not at the first `",`.
 */
export function splitRecordLine(line: string): [string, string] {
  if (line.startsWith('"')) {
    let path = '';
    for (let at = 1; at < line.length; at++) {
      const char = line.charAt(at);
      if (char !== '"') {
        path += char;
      } else if (line.charAt(at + 1) === '"') {
        path += '"';
        at++;
      } else {
        return [path, line.slice(line.charAt(at + 1) === ',' ? at + 2 : at + 1)];
      }
    }
    return [path, ''];
  }
  const comma = line.indexOf(',');
  return comma === -1 ? [line, ''] : [line.slice(0, comma), line.slice(comma + 1)];
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
 * direct_url.json (PEP 610) records where a distribution was installed from. For `pip install .` that is the
 * build directory; for a local wheel, or a VCS requirement cloned from a local repository
 * (`git+file:///srv/repos/lib@<commit>`), another path of the build host: a `file:` URL either way, meaningless
 * on the target and a leak of the build host's paths. Those files are removed; without one pip treats the
 * distribution as an ordinary installed one. (The bill of materials still says it came from a VCS, with the
 * commit: sbom.ts reads pip's installation reports, not these files.) A direct_url.json naming a remote URL
 * stays: it says where the distribution came from, and pip wrote it without user name or password.
 */
export function buildLocalDirectUrls(venv: string, buildPaths: readonly string[]): string[] {
  return distInfoDirs(venv)
    .map((dir) => join(dir, 'direct_url.json'))
    .filter((path) => existsSync(path))
    .filter((path) => {
      const text = readFileSync(path, 'utf8');
      return isLocalDirectUrl(text) || buildPaths.some((buildPath) => text.includes(buildPath));
    });
}

/** Whether a direct_url.json names a `file:` URL, a path on the machine it was installed on. */
export function isLocalDirectUrl(text: string): boolean {
  try {
    const url: unknown = (JSON.parse(text) as { url?: unknown }).url;
    return typeof url === 'string' && /^file:/i.test(url);
  } catch {
    return false;
  }
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
