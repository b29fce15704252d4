/**
 * Building as build farms do (issue #13, item 3): no network at all (a network namespace without interfaces,
 * `unshare -n`) and HOME=/nonexistent, with the distributions in a local directory (PIP_NO_INDEX,
 * PIP_FIND_LINKS) and the build backend's setuptools and wheel from Debian's python3-*-whl packages. Both a
 * setup.py project and a PEP 517 one (whose build pip isolates) build, install and run; nothing is written
 * to a home directory.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertNothingLeft, installDeb, purge, purgeAfter, runInstalled, useSuite } from './harness';
import { assertSucceeded, fixturePath, hermeticEnv, runProcess, SYSTEM_PYTHON } from './processes';

const TIMEOUT = 5 * 60 * 1000;
/** Debian's wheels of pip, setuptools and wheel (python3-pip-whl, python3-setuptools-whl, python3-wheel-whl). */
const DEBIAN_WHEELS = '/usr/share/python-wheels';

/** A wheel of an index project, built offline in a copy (setuptools writes into the tree it builds). */
async function buildWheel(project: string, outDir: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dhvt-offline-src-'));
  try {
    cpSync(fixturePath('index', project), join(work, project), { recursive: true });
    const result = await runProcess(
      [
        SYSTEM_PYTHON,
        '-m',
        'pip',
        'wheel',
        '--no-deps',
        '--no-index',
        '--find-links',
        DEBIAN_WHEELS,
        '-w',
        outDir,
        '.',
      ],
      { cwd: join(work, project), env: hermeticEnv({ HOME: work, PIP_DISABLE_PIP_VERSION_CHECK: '1' }) },
    );
    assertSucceeded(result, `building a wheel of ${project}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe('offline builds: no network, no home directory', { concurrency: false }, () => {
  const suite = useSuite({ projects: [] });
  let wheelhouse: string;
  before(async () => {
    wheelhouse = mkdtempSync(join(tmpdir(), 'dhvt-wheelhouse-'));
    await buildWheel('dhvt-greet', wheelhouse);
  });
  after(() => rmSync(wheelhouse, { recursive: true, force: true }));

  for (const [fixture, pkg] of [
    ['hello', 'dhvt-hello'],
    ['pep517', 'dhvt-pep517'],
  ] as const) {
    test(
      `${fixture}: builds with unshare -n and HOME=/nonexistent from a local wheelhouse`,
      { timeout: TIMEOUT },
      async (t) => {
        assert.equal(existsSync('/nonexistent'), false, '/nonexistent exists on this machine');
        const source = suite().copyFixture(fixture);
        const result = await runProcess(['unshare', '-n', 'dpkg-buildpackage', '-us', '-uc', '-b'], {
          cwd: source,
          env: suite().env({
            HOME: '/nonexistent',
            PIP_NO_INDEX: '1',
            PIP_FIND_LINKS: `${wheelhouse} ${DEBIAN_WHEELS}`,
          }),
        });
        assertSucceeded(result, `building ${fixture} without a network`);
        assert.equal(existsSync('/nonexistent'), false, 'the build created the home directory');
        const deb = readdirSync(dirname(source)).find(
          (name) => name.startsWith(`${pkg}_`) && name.endsWith('.deb'),
        );
        assert.ok(deb !== undefined, 'no .deb');

        await purgeAfter(t, pkg);
        await installDeb(join(dirname(source), deb));
        const venv = `/opt/venvs/${pkg}`;
        assert.match(await runInstalled(join(venv, 'bin', pkg)), /hello from dhvt-greet/);
        await purge(pkg);
        assertNothingLeft(venv);
      },
    );
  }
});
