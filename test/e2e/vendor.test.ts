/**
 * `dh-virtualenv vendor` and builds from its wheelhouse (issue #13, items 1 to 3): vendoring from the local
 * index fills debian/wheelhouse with the project's dependency and its build requirements and locks them; a
 * second run against an index that has a newer version changes nothing; the package then builds with no
 * network and HOME=/nonexistent from the wheelhouse alone, installs and runs; a tampered file stops the
 * build naming it; `--upgrade NAME` moves that one distribution and nothing else.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingLeft,
  debListing,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  useSuite,
} from './harness';
import { buildDistributions, startPackageIndex, type PackageIndex } from './package-index';
import {
  assertSucceeded,
  DEV_UV_DIR,
  describeResult,
  fixturePath,
  hermeticEnv,
  runProcess,
  SYSTEM_PYTHON,
} from './processes';

const TIMEOUT = 5 * 60 * 1000;
const PACKAGE = 'dhvt-vendored';
const LOCK = join('debian', 'wheelhouse', 'lock.toml');

/** name -> version for each [[file]] of a lock, as "name version use" lines. */
function lockedLines(text: string): string[] {
  return [...text.matchAll(/name = "(.*)"\nversion = "(.*)"\nfile = ".*"\nsha256 = ".*"\nuse = "(.*)"/g)].map(
    (match) => `${match[1]} ${match[2]} ${match[3]}`,
  );
}

/** A wheel of the development uv (DEV_UV_DIR) laid out as uv's own wheels are; returns its path. */
function uvWheel(outDir: string): string {
  const version = /^uv (\S+)/.exec(
    execFileSync(join(DEV_UV_DIR, 'uv'), ['--version'], { encoding: 'utf8' }),
  )?.[1];
  assert.ok(version !== undefined, 'no uv version');
  const description = {
    name: 'uv',
    version,
    files: { [`uv-${version}.data/scripts/uv`]: readFileSync(join(DEV_UV_DIR, 'uv')).toString('base64') },
  };
  return execFileSync(SYSTEM_PYTHON, [fixturePath('index', 'make_wheel.py'), outDir], {
    input: JSON.stringify(description),
    encoding: 'utf8',
    env: hermeticEnv({ HOME: outDir }),
    maxBuffer: 1024 * 1024,
  }).trim();
}

describe('dh-virtualenv vendor and builds from the wheelhouse', { concurrency: false }, () => {
  // uv's wheel, as PyPI has it: the uv the tests use, as uv-<version>.data/scripts/uv (written before the suite
  // starts its index, which serves the files listed here).
  const uvWheels: string[] = [];
  const uvWheelDir = mkdtempSync(join(tmpdir(), 'dhvt-uv-wheel-'));
  before(() => {
    uvWheels.push(uvWheel(uvWheelDir));
  });
  after(() => rmSync(uvWheelDir, { recursive: true, force: true }));
  const suite = useSuite({ projects: ['dhvt-greet'], files: uvWheels });
  /** An index that also has dhvt-greet 1.1. */
  let newer: PackageIndex;
  let newerFiles: string;
  let source: string;

  before(async () => {
    newerFiles = mkdtempSync(join(tmpdir(), 'dhvt-vendor-newer-'));
    // dhvt-greet 1.1, and 1.0 again with other bytes under the same file name (a rebuilt wheel).
    const version = (to: string, comment: string) => (dir: string) => {
      const setup = join(dir, 'setup.py');
      writeFileSync(setup, readFileSync(setup, 'utf8').replace('version="1.0"', `version="${to}"`));
      appendFileSync(join(dir, 'dhvt_greet', '__init__.py'), `# ${comment}\n`);
    };
    const files = [
      ...(await buildDistributions('dhvt-greet', newerFiles, version('1.0', 'rebuilt'))),
      ...(await buildDistributions('dhvt-greet', newerFiles, version('1.1', 'newer'))),
    ];
    newer = await startPackageIndex({ projects: [], files });
    source = suite().copyFixture('vendored');
  });
  after(async () => {
    await newer.close();
    rmSync(newerFiles, { recursive: true, force: true });
  });

  const vendor = (indexUrl: string, args: readonly string[] = []): ReturnType<typeof runProcess> =>
    runProcess(['dh-virtualenv', 'vendor', ...args], {
      cwd: source,
      env: suite().env({ PIP_INDEX_URL: indexUrl }),
    });

  const offlineBuild = (dir: string): ReturnType<typeof runProcess> =>
    runProcess(['unshare', '-n', 'dpkg-buildpackage', '-us', '-uc', '-b'], {
      cwd: dir,
      env: suite().env({ HOME: '/nonexistent' }),
    });

  test(
    'vendor fetches the dependency and the build requirements, and locks each file',
    { timeout: TIMEOUT },
    async () => {
      const result = await vendor(suite().index.url);
      assertSucceeded(result, 'vendoring');
      const lock = readFileSync(join(source, LOCK), 'utf8');
      const lines = lockedLines(lock);
      assert.ok(lines.includes('dhvt-greet 1.0 install'), lines.join('\n'));
      assert.ok(
        lines.some((line) => /^setuptools \S+ build$/.test(line)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((line) => /^wheel \S+ build$/.test(line)),
        lines.join('\n'),
      );
      const files = readdirSync(join(source, 'debian', 'wheelhouse')).filter((name) => name !== 'lock.toml');
      assert.equal(files.length, lines.length, `files: ${files.join(' ')}`);
      assert.match(result.output, /\+ dhvt-greet 1\.0\n/);
      assert.doesNotMatch(lock, /\/tmp\//, 'the lock names a path of this machine');
      const leftovers = [...readdirSync(source), ...readdirSync(join(source, 'src'))].filter(
        (name) => name === 'build' || name.endsWith('.egg-info'),
      );
      assert.deepEqual(leftovers, [], 'vendor left build files in the project');
    },
  );

  test(
    'a second run changes nothing, though the index now has a newer version and a rebuilt file',
    { timeout: TIMEOUT },
    async () => {
      const lockPath = join(source, LOCK);
      const before = readFileSync(lockPath, 'utf8');
      const stamps = (): string[] =>
        readdirSync(dirname(lockPath)).map(
          (name) => `${name} ${statSync(join(dirname(lockPath), name)).mtimeMs}`,
        );
      const stampsBefore = stamps();
      const result = await vendor(newer.url);
      assertSucceeded(result, 'vendoring again');
      assert.match(result.output, /debian\/wheelhouse: unchanged \(\d+ files\)/);
      // The second index built dhvt-greet 1.0 again: a file of the same name with other bytes (setuptools puts
      // dates in a wheel), which vendor does not take over the one locked.
      assert.match(
        result.output,
        /warning: the index serves dhvt_greet-1\.0-py3-none-any\.whl with sha256 [0-9a-f]{64}, not the [0-9a-f]{64} locked; keeping the locked file/,
      );
      assert.equal(readFileSync(lockPath, 'utf8'), before);
      assert.deepEqual(stamps(), stampsBefore, 'files in the wheelhouse were written again');
    },
  );

  test(
    'the package builds without network or home from the wheelhouse alone, installs and runs',
    { timeout: TIMEOUT },
    async (t) => {
      const result = await offlineBuild(source);
      assertSucceeded(result, 'building from the wheelhouse with unshare -n');
      assert.match(
        result.output,
        /dh_virtualenv: building from debian\/wheelhouse alone: \d+ files checked against debian\/wheelhouse\/lock\.toml/,
      );
      assert.equal(existsSync('/nonexistent'), false, 'the build created the home directory');
      const deb = readdirSync(dirname(source)).find(
        (name) => name.startsWith(`${PACKAGE}_`) && name.endsWith('.deb'),
      );
      assert.ok(deb !== undefined, 'no .deb');
      await purgeAfter(t, PACKAGE);
      await installDeb(join(dirname(source), deb));
      const venv = `/opt/venvs/${PACKAGE}`;
      assert.match(
        await runInstalled(join(venv, 'bin', PACKAGE)),
        /hello from dhvt-greet \(dhvt-greet 1\.0\)/,
      );
      await purge(PACKAGE);
      assertNothingLeft(venv);
    },
  );

  test('a changed file in the wheelhouse stops the build, naming it', { timeout: TIMEOUT }, async () => {
    const copy = join(mkdtempSync(join(dirname(dirname(source)), 'tampered-')), 'vendored');
    cpSync(source, copy, { recursive: true });
    const wheel = readdirSync(join(copy, 'debian', 'wheelhouse')).find((name) =>
      name.startsWith('dhvt_greet-'),
    );
    assert.ok(wheel !== undefined);
    appendFileSync(join(copy, 'debian', 'wheelhouse', wheel), 'x');
    const result = await offlineBuild(copy);
    assert.notEqual(result.status, 0, describeResult(result));
    assert.match(
      result.output,
      new RegExp(
        `dh_virtualenv: error: debian/wheelhouse/${wheel.replace(/\./g, '\\.')} has sha256 [0-9a-f]{64}, but debian/wheelhouse/lock\\.toml says`,
      ),
    );
    assert.doesNotMatch(result.output, /Traceback|\n {4}at /);
    assert.equal(existsSync(join(copy, 'debian', PACKAGE, 'opt')), false, 'a venv was made before the check');
  });

  test('--upgrade NAME moves that distribution only', { timeout: TIMEOUT }, async () => {
    const lockPath = join(source, LOCK);
    const before = lockedLines(readFileSync(lockPath, 'utf8'));
    const result = await vendor(newer.url, ['--upgrade', 'dhvt_greet']);
    assertSucceeded(result, 'vendoring with --upgrade dhvt_greet');
    assert.match(result.output, /dhvt-greet 1\.0 -> 1\.1/);
    const afterLines = lockedLines(readFileSync(lockPath, 'utf8'));
    assert.deepEqual(
      afterLines,
      before.map((line) => line.replace('dhvt-greet 1.0 ', 'dhvt-greet 1.1 ')),
    );
    const files = readdirSync(dirname(lockPath));
    assert.ok(
      files.some((name) => name.startsWith('dhvt_greet-1.1-')),
      files.join(' '),
    );
    assert.ok(
      !files.some((name) => name.startsWith('dhvt_greet-1.0')),
      `the old file stayed: ${files.join(' ')}`,
    );

    const unknown = await vendor(newer.url, ['--upgrade', 'requets']);
    assert.equal(unknown.status, 2, describeResult(unknown));
    assert.match(
      unknown.output,
      /dh-virtualenv vendor: error: --upgrade requets: not in debian\/wheelhouse\/lock\.toml/,
    );
  });

  test(
    '--installer uv: vendor adds uv itself, and the offline build runs the uv of the wheelhouse',
    { timeout: TIMEOUT },
    async () => {
      const dir = suite().copyFixture('vendored');
      writeFileSync(join(dir, 'debian', `${PACKAGE}.dh-virtualenv`), '--installer uv\n');
      const vendored = await runProcess(['dh-virtualenv', 'vendor'], {
        cwd: dir,
        env: suite().env({
          PIP_INDEX_URL: suite().index.url,
          PATH: `${suite().env().PATH ?? ''}:${DEV_UV_DIR}`,
        }),
      });
      assertSucceeded(vendored, 'vendoring for --installer uv');
      const lines = lockedLines(readFileSync(join(dir, LOCK), 'utf8'));
      assert.ok(
        lines.some((line) => /^uv \S+ build$/.test(line)),
        lines.join('\n'),
      );
      // No uv on the build's PATH: only the wheelhouse has one.
      const build = await offlineBuild(dir);
      assertSucceeded(build, 'building with --installer uv from the wheelhouse, without network');
      assert.match(build.output, new RegExp(`^dh_virtualenv: ${PACKAGE}: installing the project`, 'm'));
      const deb = readdirSync(dirname(dir)).find(
        (name) => name.startsWith(`${PACKAGE}_`) && name.endsWith('.deb'),
      );
      assert.ok(deb !== undefined, 'no .deb');
      assert.match(await debListing(join(dirname(dir), deb)), /\/dhvt_greet-1\.\d\.dist-info\//);
    },
  );

  test(
    '--build-constraints: vendor fetches the build tools at the pinned versions, and a pin it cannot meet stops it',
    { timeout: TIMEOUT },
    async () => {
      const dir = suite().copyFixture('vendored');
      writeFileSync(
        join(dir, 'debian', `${PACKAGE}.dh-virtualenv`),
        '--build-constraints build-constraints.txt\n',
      );
      const vendorWith = async (pin: string): ReturnType<typeof runProcess> => {
        writeFileSync(join(dir, 'build-constraints.txt'), `${pin}\n`);
        return runProcess(['dh-virtualenv', 'vendor'], {
          cwd: dir,
          env: suite().env({ PIP_INDEX_URL: suite().index.url }),
        });
      };
      const unmet = await vendorWith('setuptools==1.0');
      assert.notEqual(unmet.status, 0, describeResult(unmet));
      assert.match(unmet.output, /The user requested \(constraint\) setuptools==1\.0/);
      assert.equal(existsSync(join(dir, LOCK)), false, 'a lock was written');

      const pinned = await vendorWith('setuptools==66.1.1');
      assertSucceeded(pinned, 'vendoring with the build constraints');
      const lines = lockedLines(readFileSync(join(dir, LOCK), 'utf8'));
      assert.ok(lines.includes('setuptools 66.1.1 build'), lines.join('\n'));
      assertSucceeded(await offlineBuild(dir), 'building with the build constraints from the wheelhouse');
    },
  );
});
