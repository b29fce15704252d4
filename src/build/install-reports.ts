/**
 * Where each distribution came from, as pip says it: every pip install the pipeline runs writes an
 * installation report (`pip install --report FILE`, pip 22.2 and later, so Debian 12's 23.0 and Debian 13's 25.1)
 * into a directory of the build's own, and the bill of materials reads them back. A report lists what that run
 * installed, with the URL of the file it was installed from and that file's hash (pip hashes every archive it
 * installs, from an index, a URL or a local path). uv writes no such report: with --installer uv the origins
 * stay unknown.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withoutUserinfo } from '../core/credentials';
import { ConfigurationError } from '../core/errors';
import { normalizeName } from '../init/requirements';

/** debian/.debhelper/dh_virtualenv/<package>/: removed by dh_clean with the rest of debhelper's state. */
export function installReportDir(cwd: string, packageName: string): string {
  return join(cwd, 'debian', '.debhelper', 'dh_virtualenv', packageName, 'install-reports');
}

/** Empties the report directory when the venv is created anew, so reports of an earlier build do not count. */
export function resetInstallReports(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/**
 * The words for the n-th pip run of a build: its report, and its log (which names what failed, for
 * hash-checking.ts), numbered so that the runs read back in order.
 */
export function reportArgs(dir: string, index: number): string[] {
  const name = String(index).padStart(2, '0');
  return ['--report', join(dir, `${name}.json`), '--log', join(dir, `${name}.log`)];
}

/** The report (`--report`) or log (`--log`) file a pip command line names, if any. */
export function pipRecordOf(argv: readonly string[], option: '--report' | '--log'): string | undefined {
  const at = argv.indexOf(option);
  return at === -1 ? undefined : argv[at + 1];
}

export type OriginKind = 'index' | 'url' | 'vcs' | 'local file' | 'source tree';

export interface Origin {
  readonly kind: OriginKind;
  readonly version: string;
  /** Where the file came from, without user name or password; undefined for local files (a build path). */
  readonly url: string | undefined;
  /** Algorithm (as pip names it: sha256) -> hex digest of the file installed from. */
  readonly hashes: ReadonlyMap<string, string>;
  /** For VCS installs: the commit installed. */
  readonly commit: string | undefined;
}

/** The part of pip's report format (version 1) that is read here. */
interface ReportEntry {
  readonly metadata?: { readonly name?: unknown; readonly version?: unknown };
  readonly is_direct?: unknown;
  readonly download_info?: {
    readonly url?: unknown;
    readonly archive_info?: { readonly hash?: unknown; readonly hashes?: unknown };
    readonly vcs_info?: { readonly commit_id?: unknown };
    readonly dir_info?: unknown;
  };
}

function hashesOf(archive: NonNullable<ReportEntry['download_info']>['archive_info']): Map<string, string> {
  const hashes = new Map<string, string>();
  // PEP 610: "hashes" (pip 23.1 and later) maps algorithms to digests; the older "hash" is "<alg>=<digest>".
  if (typeof archive?.hash === 'string') {
    const [alg, digest] = archive.hash.split('=', 2);
    if (alg !== undefined && digest !== undefined) hashes.set(alg.toLowerCase(), digest.toLowerCase());
  }
  if (typeof archive?.hashes === 'object' && archive.hashes !== null) {
    for (const [alg, digest] of Object.entries(archive.hashes as Record<string, unknown>)) {
      if (typeof digest === 'string') hashes.set(alg.toLowerCase(), digest.toLowerCase());
    }
  }
  return hashes;
}

/**
 * A URL as recorded: no user name or password, and no #sha256= fragment (the hash is recorded on its own).
 * Local files are not recorded by path, which would be a build directory.
 */
export function recordedUrl(url: string): string | undefined {
  if (/^file:/i.test(url)) return undefined;
  return withoutUserinfo(url).replace(/#(?:sha\d+|md5)=[0-9a-f]*$/i, '');
}

function originOf(entry: ReportEntry, version: string): Origin {
  const info = entry.download_info ?? {};
  const url = typeof info.url === 'string' ? info.url : '';
  const local = /^file:/i.test(url);
  const kind: OriginKind =
    info.vcs_info !== undefined
      ? 'vcs'
      : info.dir_info !== undefined
        ? 'source tree'
        : local
          ? 'local file'
          : entry.is_direct === true
            ? 'url'
            : 'index';
  const commit = info.vcs_info?.commit_id;
  return {
    kind,
    version,
    url: url === '' ? undefined : recordedUrl(url),
    hashes: hashesOf(info.archive_info),
    commit: typeof commit === 'string' ? commit : undefined,
  };
}

/** The origins one report gives, by normalized name. */
export function parseInstallReport(text: string, file: string): Map<string, Origin> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${file}: pip's installation report is not JSON (${String(error)})`);
  }
  const install = (parsed as { install?: unknown }).install;
  const origins = new Map<string, Origin>();
  for (const entry of Array.isArray(install) ? (install as ReportEntry[]) : []) {
    const { name, version } = entry.metadata ?? {};
    if (typeof name !== 'string' || typeof version !== 'string') continue;
    origins.set(normalizeName(name), originOf(entry, version));
  }
  return origins;
}

/**
 * Every report of a build, read in the order the runs wrote them: a later run that reinstalled a distribution
 * (an upgrade, the project's own install) says where the installed copy came from.
 */
export function readInstallReports(dir: string): Map<string, Origin> {
  const merged = new Map<string, Origin>();
  if (!existsSync(dir)) return merged;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  for (const name of files) {
    const path = join(dir, name);
    for (const [key, origin] of parseInstallReport(readFileSync(path, 'utf8'), path)) merged.set(key, origin);
  }
  return merged;
}
