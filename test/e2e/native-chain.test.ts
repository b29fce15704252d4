/**
 * Binary wheels whose bundled libraries need each other (docs/native.md): the extension of dhvt-native-chain
 * needs a bundled library that needs a second bundled one (which needs zlib), and only the extension has an
 * $ORIGIN RPATH, as in psycopg2-binary and scipy; dhvt-native-twin bundles that second library again under
 * the same SONAME. dh_shlibdeps alone stops on such a venv ("cannot find library"); with the python-virtualenv
 * add-on, in the sequence and in build-system mode, the package builds with no override, depends on zlib1g,
 * on nothing the wheels bundle, ships the wheels' files unchanged and runs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { lintian, recordProblems } from './clean-output-steps';
import {
  assertNothingLeft,
  debField,
  extractDeb,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  startSuite,
  type Build,
  type Suite,
} from './harness';
import { buildAuditwheelStyleWheel } from './native-distributions';
import { runProcess } from './processes';

const TIMEOUT = 5 * 60 * 1000;
const PKG = 'dhvt-native-chain';
const NO_PIP_CACHE = { PIP_NO_CACHE_DIR: '1' };

/** Names of the Depends field's entries, without versions. */
function dependedOn(depends: string): string[] {
  return depends.split(',').map((entry) => entry.trim().split(/[\s(]/)[0] ?? '');
}

/** The checks both build routes must pass: Depends, the log, the wheels' files, lintian, run, purge. */
async function checkChainPackage(suite: Suite, build: Build, venv: string): Promise<void> {
  assert.doesNotMatch(build.log, /cannot find library/);
  assert.doesNotMatch(build.log, /dpkg-shlibdeps: warning/, 'dpkg-shlibdeps warned about the venv');
  assert.match(build.log, /dh_virtualenv_shlibdeps: dhvt-native-chain: reading \d+ shared object/);

  const depends = dependedOn(await debField(build.deb(PKG), 'Depends'));
  // zlib1g only through the last library of the chain, libc6 through every one that calls into it.
  assert.ok(depends.includes('zlib1g'), `no zlib1g in Depends: ${depends.join(', ')}`);
  assert.ok(depends.includes('libc6'), `no libc6 in Depends: ${depends.join(', ')}`);
  assert.equal(
    depends.filter((name) => /dhvt/.test(name)).length,
    0,
    `a bundled library became a dependency: ${depends.join(', ')}`,
  );

  const tree = await extractDeb(build.deb(PKG));
  const { problems, checked } = recordProblems(join(tree, venv));
  assert.deepEqual(problems, [], 'files differ from what pip installed (RECORD)');
  assert.ok(checked > 0);

  const report = await lintian(build.deb(PKG), suite.env().HOME ?? tmpdir());
  assert.deepEqual(report.errorsAndWarnings, [], 'lintian errors or warnings');
  assert.deepEqual(report.overridesWithoutReason, [], 'lintian overrides without a reason');

  await installDeb(build.deb(PKG));
  assert.equal(await runInstalled(join(venv, 'bin', PKG)), 'chain ok, twin ok\n');
  await purge(PKG);
  assertNothingLeft(venv);
}

describe('wheels with chained bundled libraries', { concurrency: false }, () => {
  let suite: Suite;
  let distDir: string;
  before(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'dhvt-native-chain-dists-'));
    const chain = await buildAuditwheelStyleWheel('dhvt-native-chain', distDir);
    const twin = await buildAuditwheelStyleWheel('dhvt-native-twin', distDir);
    suite = await startSuite({ projects: [], files: [chain, twin] });
  });
  after(async () => {
    await suite?.close();
    if (distDir !== undefined) rmSync(distDir, { recursive: true, force: true });
  });

  test(
    'the default sequence builds, depends on what the bundled libraries need, and runs',
    { timeout: TIMEOUT },
    async (t) => {
      await purgeAfter(t, PKG);
      const build = await suite.buildPackage('native-chain', { env: NO_PIP_CACHE });
      await checkChainPackage(suite, build, `/opt/venvs/${PKG}`);
    },
  );

  test(
    'build-system mode with the add-on does the same, with no override',
    { timeout: TIMEOUT },
    async (t) => {
      await purgeAfter(t, PKG);
      const build = await suite.buildPackage('native-chain', {
        env: { ...NO_PIP_CACHE, DHVT_CHAIN_MODE: 'bs' },
      });
      assert.match(build.log, /dh_auto_install/);
      await checkChainPackage(suite, build, `/usr/share/python/${PKG}`);
    },
  );

  test(
    'build-system mode without the add-on warns, naming the fix, before dh_shlibdeps fails',
    { timeout: TIMEOUT },
    async () => {
      const source = suite.copyFixture('native-chain');
      const result = await runProcess(['dpkg-buildpackage', '-us', '-uc', '-b'], {
        cwd: source,
        env: suite.env({ ...NO_PIP_CACHE, PIP_INDEX_URL: suite.index.url, DHVT_CHAIN_MODE: 'bs-only' }),
      });
      assert.notEqual(result.status, 0, 'dh_shlibdeps was expected to fail without the add-on');
      assert.match(
        result.output,
        /dh_virtualenv: warning: the venv holds 3 libraries bundled by binary wheels \(.*\.libs\/.*\), .*add dh-sequence-python-virtualenv to Build-Depends/,
      );
      assert.match(result.output, /cannot find library libdhvtchainb-[0-9a-f]{8}\.so\.1/);
      rmSync(dirname(source), { recursive: true, force: true });
    },
  );
});
