/**
 * Options whose effect only shows in a real build: what reaches pip (--index-url, --extra-index-url,
 * --preinstall, --requirements, --extra-pip-arg), `setup.py test` (--setuptools-test and DEB_BUILD_OPTIONS=nocheck),
 * the maintainer scripts (-n) and the build log (-v). test/fixtures/options/debian/rules passes the fixed options
 * and takes the index URLs and any further options from the environment.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  assertNothingLeft,
  debPaths,
  echoedCommands,
  extractDeb,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  useSuite,
} from './harness';

const TIMEOUT = 5 * 60 * 1000;
const PKG = 'dhvt-options';
const VENV = `/opt/venvs/${PKG}`;
const TEST_MARKER = 'DHVT-SETUPTOOLS-TEST-RAN';

describe('options passed on', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet', 'dhvt-pre'], extraProjects: ['dhvt-extra-only'] });

  const indexEnv = (): Record<string, string> => ({
    DHVT_INDEX_URL: suite().index.url,
    DHVT_EXTRA_INDEX_URL: suite().index.extraUrl,
  });

  test(
    '--index-url, --extra-index-url, --preinstall, --requirements, --extra-pip-arg, --setuptools-test and -v reach pip',
    { timeout: TIMEOUT },
    async (t) => {
      const requestsBefore = suite().index.requests.length;
      // No PIP_INDEX_URL: the index comes from --index-url in debian/rules alone.
      const build = await suite().buildPackage('options', {
        noIndexEnv: true,
        env: { ...indexEnv(), DHVT_ARGS: '-v' },
      });
      const staging = `${build.sourceDir}/debian/${PKG}${VENV}`;

      // -v: each pip run is echoed, tab first, with the index options and the extra pip argument.
      const pipRuns = echoedCommands(build.log).filter((line) =>
        line.includes(`${staging}/bin/python -m pip install`),
      );
      const preinstall = pipRuns.findIndex((line) => line.endsWith(' dhvt-pre'));
      const requirements = pipRuns.findIndex((line) =>
        line.endsWith(` -r ${build.sourceDir}/requirements/deploy.txt`),
      );
      const project = pipRuns.findIndex((line) => line.endsWith(' .)'));
      assert.ok(
        preinstall !== -1 && requirements !== -1 && project !== -1,
        `pip runs echoed:\n${pipRuns.join('\n')}`,
      );
      assert.ok(
        preinstall < requirements && requirements < project,
        '--preinstall, then the requirements, then the project',
      );
      for (const line of pipRuns) {
        const words = line.replace(/\)$/, '').split(' ');
        for (const expected of [
          '-v',
          `--index-url=${suite().index.url}`,
          `--extra-index-url=${suite().index.extraUrl}`,
          '--no-binary=dhvt-greet',
        ]) {
          assert.ok(words.includes(expected), `${expected} missing from: ${line}`);
        }
      }

      // --requirements replaced requirements.txt; dhvt-extra-only came from the extra index; --no-binary made pip
      // take dhvt-greet's sdist although a wheel is there.
      const requests = suite().index.requests.slice(requestsBefore);
      assert.ok(
        !requests.some((path) => path.includes('dhvt-not-on-any-index')),
        'requirements.txt was read',
      );
      assert.ok(requests.includes('/extra/simple/dhvt-extra-only/'), 'the extra index was not asked');
      assert.ok(
        requests.includes('/files/dhvt_greet-1.0.tar.gz'),
        `dhvt-greet not from its sdist: ${requests.join(' ')}`,
      );
      assert.ok(!requests.includes('/files/dhvt_greet-1.0-py3-none-any.whl'), 'dhvt-greet came as a wheel');
      assert.ok(
        requests.includes('/files/dhvt_pre-1.0-py3-none-any.whl'),
        'other projects still come as wheels',
      );

      // --setuptools-test ran the project's own `setup.py test`, with the virtualenv's python.
      assert.ok(
        build.log.includes(`${TEST_MARKER} with ${staging}/bin/python`),
        'setup.py test did not run in the venv',
      );

      const control = join(await extractDeb(build.deb(PKG)), 'DEBIAN');
      assert.match(readFileSync(join(control, 'triggers'), 'utf8'), /^interest-noawait \/usr\/bin\/python3/m);

      await purgeAfter(t, PKG);
      await installDeb(build.deb(PKG));
      const output = await runInstalled(`${VENV}/bin/${PKG}`);
      assert.equal(output.trim(), 'dhvt-options: hello from dhvt-greet, dhvt-pre, dhvt-extra-only');
      await purge(PKG);
      assertNothingLeft(VENV);
    },
  );

  test(
    '-n adds no maintainer scripts or triggers; DEB_BUILD_OPTIONS=nocheck skips setup.py test',
    { timeout: TIMEOUT },
    async () => {
      const build = await suite().buildPackage('options', {
        noIndexEnv: true,
        env: { ...indexEnv(), DHVT_ARGS: '-n', DEB_BUILD_OPTIONS: 'nocheck' },
      });
      assert.ok(!build.log.includes(TEST_MARKER), 'setup.py test ran despite nocheck');
      assert.doesNotMatch(build.log, /running setup\.py test/);
      // Without -v or DH_VERBOSE, the pip commands are not echoed.
      assert.deepEqual(
        echoedCommands(build.log).filter((line) => line.includes(' -m pip install')),
        [],
      );

      const control = join(await extractDeb(build.deb(PKG)), 'DEBIAN');
      for (const script of ['postinst', 'prerm']) {
        const path = join(control, script);
        assert.ok(
          !existsSync(path) || !readFileSync(path, 'utf8').includes('dh_virtualenv'),
          `${script} has our snippet`,
        );
      }
      const triggers = join(control, 'triggers');
      assert.ok(
        !existsSync(triggers) || !readFileSync(triggers, 'utf8').includes('python'),
        'triggers added',
      );
      assert.ok((await debPaths(build.deb(PKG))).includes(`${VENV}/bin/${PKG}`), 'the venv is still built');
    },
  );
});
