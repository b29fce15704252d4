/**
 * Failures: dh_virtualenv run by itself in a copy of test/fixtures/hello, as debian/rules would run it. Each
 * must end with a non-zero exit and one `dh_virtualenv: error:` line that names what is wrong.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { firstLine, useSuite } from './harness';
import { assertSucceeded, describeResult, type ProcessResult } from './processes';

const TIMEOUT = 3 * 60 * 1000;
const PKG = 'dhvt-hello';

function assertFailed(result: ProcessResult, exitCode: number, error: RegExp): void {
  assert.equal(result.status, exitCode, describeResult(result));
  assert.match(result.stderr, error);
}

/** The files dh_virtualenv leaves in debian/ when it gets as far as writing maintainer scripts. */
function generatedFiles(sourceDir: string): string[] {
  return readdirSync(join(sourceDir, 'debian')).filter((name) => name.startsWith(`${PKG}.`));
}

describe('errors', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet'] });

  test('an unknown option is a usage error (exit 2) naming it, before anything is touched', async () => {
    const dir = suite().copyFixture('hello');
    const result = await suite().runDhVirtualenv(dir, ['--frobnicate']);
    assertFailed(result, 2, /^dh_virtualenv: error: unknown option --frobnicate\b/m);
    assert.equal(existsSync(join(dir, 'debian', PKG)), false);
  });

  test('--pypi-url together with --index-url is refused', async () => {
    const dir = suite().copyFixture('hello');
    const result = await suite().runDhVirtualenv(dir, [
      '--pypi-url=http://127.0.0.1:9/a/',
      '--index-url=http://127.0.0.1:9/b/',
    ]);
    assertFailed(result, 2, /^dh_virtualenv: error: --pypi-url and --index-url cannot be used together/m);
  });

  test('a missing debian/control is named', async () => {
    const dir = suite().copyFixture('hello');
    rmSync(join(dir, 'debian', 'control'));
    const result = await suite().runDhVirtualenv(dir, []);
    assertFailed(result, 1, /^dh_virtualenv: error: debian\/control not found in /m);
  });

  test('--python /nonexistent is named as the --python option', async () => {
    const dir = suite().copyFixture('hello');
    const result = await suite().runDhVirtualenv(dir, ['--python', '/nonexistent']);
    assertFailed(result, 1, /^dh_virtualenv: error: --python \/nonexistent: /m);
    assert.equal(existsSync(join(dir, 'debian', PKG)), false);
  });

  test('running inside an activated virtualenv is refused, saying "deactivate"', async () => {
    const dir = suite().copyFixture('hello');
    const result = await suite().runDhVirtualenv(dir, [], { VIRTUAL_ENV: '/tmp/some-venv' });
    assertFailed(result, 1, /^dh_virtualenv: error: .*\/tmp\/some-venv.*"deactivate"/m);
  });

  test('an explicit --requirements file that does not exist is named', { timeout: TIMEOUT }, async () => {
    const dir = suite().copyFixture('hello');
    const result = await suite().runDhVirtualenv(dir, ['--requirements', 'missing.txt']);
    assert.notEqual(result.status, 0, describeResult(result));
    assert.match(
      result.stderr,
      /^dh_virtualenv: error: dhvt-hello: .*--requirements missing\.txt: \S+\/missing\.txt does not exist/m,
    );
    assert.deepEqual(generatedFiles(dir), []);
  });

  test(
    'a failing pip install names the package and step; a rerun after the fix starts from a clean venv',
    { timeout: TIMEOUT },
    async () => {
      const dir = suite().copyFixture('hello');
      const staging = join(dir, 'debian', PKG, 'opt', 'venvs', PKG);
      writeFileSync(join(dir, 'requirements.txt'), 'dhvt-greet\ndhvt-not-on-index\n');

      const failed = await suite().runDhVirtualenv(dir, []);
      assert.notEqual(failed.status, 0, describeResult(failed));
      assert.match(
        failed.stderr,
        /^dh_virtualenv: error: dhvt-hello: installing requirements\.txt failed: \S+\/bin\/python returned exit code 1$/m,
      );
      assert.match(
        failed.output,
        /No matching distribution found for dhvt-not-on-index/,
        'pip says what it missed',
      );
      assert.deepEqual(generatedFiles(dir), [], 'no maintainer script snippets after a failure');

      // What the failed run left in the staging venv must not survive the next run.
      writeFileSync(join(staging, 'left-by-the-failed-run'), '');
      writeFileSync(join(dir, 'requirements.txt'), 'dhvt-greet\n');
      const fixed = await suite().runDhVirtualenv(dir, []);
      assertSucceeded(fixed, 'dh_virtualenv after fixing requirements.txt');
      assert.equal(
        existsSync(join(staging, 'left-by-the-failed-run')),
        false,
        'the venv was not made afresh',
      );
      assert.equal(firstLine(join(staging, 'bin', PKG)), `#!/opt/venvs/${PKG}/bin/python`);
      assert.deepEqual(generatedFiles(dir).sort(), [
        `${PKG}.postinst.debhelper`,
        `${PKG}.prerm.debhelper`,
        `${PKG}.substvars`,
      ]);
    },
  );
});
