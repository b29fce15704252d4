/**
 * A PEP 503 "simple" package index on 127.0.0.1, served from the test process, so the builds never reach the
 * network. It holds the small projects under test/fixtures/index/, built at test time into an sdist and a
 * wheel each with Debian's python3, and the wheels Debian ships in /usr/share/python-wheels (pip's build
 * isolation fetches setuptools and wheel from the index). A second index under /extra/simple/ serves the
 * projects that must only be found through --extra-index-url.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { distributionOf } from '../../src/build/wheelhouse';
import { normalizeName } from '../../src/init/requirements';
import { assertSucceeded, fixturePath, hermeticEnv, runProcess, SYSTEM_PYTHON } from './processes';

/** Debian's copies of pip, setuptools and wheel, as python3-pip-whl / python3-setuptools-whl install them. */
const DEBIAN_WHEELS = '/usr/share/python-wheels';

/** The project a distribution file belongs to, from its name (PEP 427 wheels, `name-version.tar.gz` sdists). */
function projectOfFile(file: string): string {
  return distributionOf(file)?.name ?? normalizeName(file);
}

export interface IndexOptions {
  /** Project directories under test/fixtures/index/ for the main index (/simple/). */
  readonly projects: readonly string[];
  /** Project directories under test/fixtures/index/ served only by the extra index (/extra/simple/). */
  readonly extraProjects?: readonly string[];
  /**
   * Distribution files made by the test itself, served as they are on the main index: an sdist without a
   * wheel, a wheel laid out by auditwheel (see native-distributions.ts).
   */
  readonly files?: readonly string[];
}

export interface PackageIndex {
  /** http://127.0.0.1:PORT/simple/ */
  readonly url: string;
  /** http://127.0.0.1:PORT/extra/simple/ */
  readonly extraUrl: string;
  /** Every path requested so far, in order, e.g. "/simple/setuptools/". */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/**
 * Builds the sdist and the wheel of one index project with setuptools' PEP 517 backend, in a copy (the backend
 * leaves build/ and *.egg-info behind), which `edit` may change first (another version, say). Returns the
 * paths of the files made.
 */
export async function buildDistributions(
  project: string,
  outDir: string,
  edit: (source: string) => void = () => undefined,
): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'dhvt-index-src-'));
  try {
    const source = join(work, project);
    // Without what an earlier build in the checkout may have left: setuptools would reuse a stale build/lib.
    cpSync(fixturePath('index', project), source, {
      recursive: true,
      filter: (path) => !/\/(build|[^/]*\.egg-info)$/.test(path),
    });
    edit(source);
    const before = new Set(readdirSync(outDir));
    // build_sdist rewrites sys.argv (it drives setup.py's commands through it), so the directory is read first.
    const script =
      'import sys, setuptools.build_meta as backend\n' +
      'out = sys.argv[1]\n' +
      'backend.build_sdist(out)\n' +
      'backend.build_wheel(out)\n';
    const result = await runProcess([SYSTEM_PYTHON, '-c', script, outDir], {
      cwd: source,
      env: hermeticEnv({ HOME: work }),
    });
    assertSucceeded(result, `building the index project ${project}`);
    return readdirSync(outDir)
      .filter((name) => !before.has(name))
      .map((name) => join(outDir, name));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface Distribution {
  readonly file: string;
  readonly path: string;
  readonly sha256: string;
}

/** project name (normalized) -> its files, for one index. */
type Listing = Map<string, Distribution[]>;

function addFile(listing: Listing, path: string): void {
  const file = basename(path);
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  const project = projectOfFile(file);
  listing.set(project, [...(listing.get(project) ?? []), { file, path, sha256 }]);
}

function html(title: string, links: string[]): string {
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body>\n${links.join('<br>\n')}\n</body></html>\n`;
}

function serveIndex(listing: Listing, prefix: string, rest: string, response: ServerResponse): boolean {
  if (rest === '') {
    const links = [...listing.keys()].sort().map((name) => `<a href="${prefix}${name}/">${name}</a>`);
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(html('Simple index', links));
    return true;
  }
  const name = normalizeName(rest.replace(/\/$/, ''));
  const project = listing.get(name);
  if (project === undefined) return false;
  const links = project.map((dist) => `<a href="/files/${dist.file}#sha256=${dist.sha256}">${dist.file}</a>`);
  response.writeHead(200, { 'Content-Type': 'text/html' }).end(html(`Links for ${name}`, links));
  return true;
}

export async function startPackageIndex(options: IndexOptions): Promise<PackageIndex> {
  const filesDir = mkdtempSync(join(tmpdir(), 'dhvt-index-'));
  const main: Listing = new Map();
  const extra: Listing = new Map();
  const files = new Map<string, string>();
  try {
    for (const [projects, listing] of [
      [options.projects, main],
      [options.extraProjects ?? [], extra],
    ] as const) {
      for (const project of projects) {
        for (const path of await buildDistributions(project, filesDir)) {
          addFile(listing, path);
          files.set(basename(path), path);
        }
      }
    }
    for (const path of options.files ?? []) {
      addFile(main, path);
      files.set(basename(path), path);
    }
    for (const file of readdirSync(DEBIAN_WHEELS).filter((name) => name.endsWith('.whl'))) {
      addFile(main, join(DEBIAN_WHEELS, file));
      files.set(file, join(DEBIAN_WHEELS, file));
    }
  } catch (error) {
    rmSync(filesDir, { recursive: true, force: true });
    throw error;
  }

  const requests: string[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    requests.push(path);
    for (const [prefix, listing] of [
      ['/simple/', main],
      ['/extra/simple/', extra],
    ] as const) {
      if (path.startsWith(prefix) && serveIndex(listing, prefix, path.slice(prefix.length), response)) return;
    }
    const file = path.startsWith('/files/') ? files.get(path.slice('/files/'.length)) : undefined;
    if (file !== undefined) {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(readFileSync(file));
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    extraUrl: `http://127.0.0.1:${port}/extra/simple/`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
