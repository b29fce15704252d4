/**
 * One source, three binary packages: dh_virtualenv acts only on what -p selects, and never on python3-*
 * packages (those belong to dh_python3).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingLeft,
  debPaths,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  startSuite,
  type Suite,
} from './harness';

const TIMEOUT = 5 * 60 * 1000;

describe('package selection', { concurrency: false }, () => {
  let suite: Suite;
  before(async () => {
    suite = await startSuite({ projects: ['dhvt-greet'] });
  });
  after(() => suite?.close());

  test(
    '-p selects the package; a python3-* package is skipped even when selected',
    { timeout: TIMEOUT },
    async (t) => {
      const build = await suite.buildPackage('multi');
      assert.deepEqual([...build.debs.keys()].sort(), ['dhvt-two-a', 'dhvt-two-b', 'python3-dhvt-two']);
      assert.match(build.log, /^dh_virtualenv: dhvt-two-a: creating \/opt\/venvs\/dhvt-two-a /m);
      assert.doesNotMatch(build.log, /^dh_virtualenv: (dhvt-two-b|python3-dhvt-two):/m);

      const a = await debPaths(build.deb('dhvt-two-a'));
      assert.ok(a.includes('/opt/venvs/dhvt-two-a/bin/dhvt-two'), 'the selected package has the venv');
      for (const other of ['dhvt-two-b', 'python3-dhvt-two']) {
        const paths = await debPaths(build.deb(other));
        assert.deepEqual(
          paths.filter((path) => path.startsWith('/opt')),
          [],
          `${other} must not get a virtualenv`,
        );
      }

      await purgeAfter(t, 'dhvt-two-a');
      await installDeb(build.deb('dhvt-two-a'));
      const output = await runInstalled('/opt/venvs/dhvt-two-a/bin/dhvt-two');
      assert.equal(output.trim(), 'dhvt-two: hello from dhvt-greet (prefix /opt/venvs/dhvt-two-a)');
      await purge('dhvt-two-a');
      assertNothingLeft('/opt/venvs/dhvt-two-a');
    },
  );
});
