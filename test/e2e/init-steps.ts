/**
 * Steps the init test (init.test.ts) needs beyond harness.ts: the build backends as wheels of Debian's own
 * packages for the test index, running `dh-virtualenv init` from PATH, a snapshot of a project tree, the
 * Build-Depends check, and the service's user and HTTP answer.
 */
import assert from 'node:assert/strict';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import type { Suite } from './harness';
import {
  assertSucceeded,
  fixturePath,
  hermeticEnv,
  runProcess,
  SYSTEM_PYTHON,
  type ProcessResult,
} from './processes';

/**
 * hatchling and poetry-core, with what they require, as wheels packed from the files of Debian's
 * python3-hatchling and python3-poetry-core (see debian_wheel.py): pip's build isolation fetches them from the
 * test index, never from PyPI. Returns the wheels' paths.
 */
export async function debianBackendWheels(outDir: string): Promise<string[]> {
  const result = await runProcess(
    [SYSTEM_PYTHON, '-I', fixturePath('index', 'debian_wheel.py'), outDir, 'hatchling', 'poetry-core'],
    { env: hermeticEnv({ HOME: tmpdir() }) },
  );
  assertSucceeded(result, 'packing wheels of hatchling and poetry-core from their Debian packages');
  return result.stdout.split('\n').filter((line) => line.endsWith('.whl'));
}

/** Who maintains the test packages: init reads DEBFULLNAME and DEBEMAIL. */
export const MAINTAINER_ENV = { DEBFULLNAME: 'dh-virtualenv tests', DEBEMAIL: 'dhvt-tests@example.invalid' };

/** `dh-virtualenv init <args>` in `dir`, found on PATH as the suite installed it; returns what happened. */
export function runInit(
  suite: Suite,
  dir: string,
  args: readonly string[],
  env: Record<string, string> = MAINTAINER_ENV,
): Promise<ProcessResult> {
  return runProcess(['dh-virtualenv', 'init', ...args], {
    cwd: dir,
    env: suite.env({ PIP_INDEX_URL: suite.index.url, ...env }),
  });
}

/** Every file and symbolic link under `dir` with its size and modification time. */
export function treeSnapshot(dir: string): Map<string, string> {
  const walk = (at: string): [string, string][] =>
    readdirSync(at, { withFileTypes: true }).flatMap((entry) => {
      const path = join(at, entry.name);
      const stat = lstatSync(path);
      const row: [string, string] = [relative(dir, path), `${stat.size} ${stat.mtimeMs}`];
      return entry.isDirectory() ? [[`${row[0]}/`, ''] as [string, string], ...walk(path)] : [row];
    });
  return new Map(walk(dir));
}

/** Asserts that between two snapshots of a project nothing changed but what is under debian/. */
export function assertOnlyDebianChanged(before: Map<string, string>, after: Map<string, string>): void {
  const outside = (snapshot: Map<string, string>): [string, string][] =>
    [...snapshot.entries()].filter(([path]) => path !== 'debian/' && !path.startsWith('debian/'));
  assert.deepEqual(outside(after), outside(before), 'init wrote outside debian/');
}

/** One field of debian/control's stanzas, comments left out, continuation lines joined. */
export function controlField(dir: string, field: string): string[] {
  const text = readFileSync(join(dir, 'debian', 'control'), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  return [...text.matchAll(new RegExp(`^${field}:((?:.*)(?:\\n[ \\t].*)*)`, 'gm'))].map((match) =>
    (match[1] ?? '').replace(/\n[ \t]+/g, ' ').trim(),
  );
}

/**
 * The Build-Depends dpkg-checkbuilddeps finds unmet, besides dh-sequence-python-virtualenv: the suite's own
 * dh-virtualenv (on PATH and PERL5LIB) provides that one, so the builds run with -d.
 */
export async function unmetBuildDepends(dir: string): Promise<string[]> {
  const result = await runProcess(['dpkg-checkbuilddeps'], {
    cwd: dir,
    env: hermeticEnv({ HOME: tmpdir() }),
  });
  if (result.status === 0) return [];
  const unmet = /Unmet build dependencies: (.*)$/m.exec(result.stderr);
  assert.ok(unmet !== null, `dpkg-checkbuilddeps failed: ${result.stderr}`);
  return (unmet[1] ?? '')
    .split(/\s+(?![^(]*\))/)
    .filter((dependency) => dependency !== '' && dependency !== 'dh-sequence-python-virtualenv');
}

/** `getent passwd <user>`'s fields, or undefined when there is no such user. */
export async function passwdEntry(
  user: string,
): Promise<{ uid: number; home: string; shell: string } | undefined> {
  const result = await runProcess(['getent', 'passwd', user], { env: hermeticEnv({ HOME: tmpdir() }) });
  if (result.status !== 0) return undefined;
  const [, , uid = '', , , home = '', shell = ''] = result.stdout.trim().split(':');
  return { uid: Number(uid), home, shell };
}

/** GET http://127.0.0.1:<port>/ once it answers, within `ms`: the body. */
export async function httpGet(port: number, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const request = get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (response) => {
          let body = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve(body));
        });
        request.on('timeout', () => request.destroy(new Error('timeout')));
        request.on('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
