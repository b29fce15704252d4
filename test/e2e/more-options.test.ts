/**
 * The remaining options, proven in one build of test/fixtures/more-options: --sourcedirectory handed over by
 * dh (`dh $@ --sourcedirectory=src`, so -O--sourcedirectory=src inside the override), the deprecated
 * --pypi-url and --no-test, -S (--use-system-packages), -s (--setuptools), --upgrade-pip, and --pip-tool with
 * an installer brought by --preinstall.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  targetPython,
  useSuite,
} from './harness';

const TIMEOUT = 5 * 60 * 1000;
const PKG = 'dhvt-more-options';
const VENV = `/opt/venvs/${PKG}`;
const SITE_PACKAGES = targetPython().sitePackages;
const SYSTEM_DIST_PACKAGES = '/usr/lib/python3/dist-packages';

describe('more options', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet', 'dhvt-piptool'] });

  test(
    '-O--sourcedirectory, --pypi-url, --no-test, -S, -s, --upgrade-pip, --preinstall with --pip-tool',
    { timeout: TIMEOUT },
    async (t) => {
      const requestsBefore = suite().index.requests.length;
      // No PIP_INDEX_URL: the index comes from --pypi-url in debian/rules alone.
      const build = await suite().buildPackage('more-options', {
        noIndexEnv: true,
        env: { DHVT_INDEX_URL: suite().index.url, DH_VERBOSE: '1' },
      });
      const staging = `${build.sourceDir}/debian/${PKG}${VENV}`;
      const project = `${build.sourceDir}/src`;
      const commands = echoedCommands(build.log);
      const requests = suite().index.requests.slice(requestsBefore);

      // The deprecated options are still accepted, each with a warning; --no-test changes nothing else.
      assert.match(build.log, /^dh_virtualenv: warning: --pypi-url is deprecated; use --index-url$/m);
      assert.match(build.log, /^dh_virtualenv: warning: --no-test is deprecated and has no effect; /m);
      assert.doesNotMatch(build.log, /running setup\.py test/);

      // -S and -s reach virtualenv.
      const create = commands.filter((line) => line.includes(' -m virtualenv '));
      assert.equal(create.length, 1, `virtualenv runs echoed:\n${create.join('\n')}`);
      const createWords = (create[0] ?? '').split(' ');
      assert.ok(createWords.includes('--system-site-packages'), `no --system-site-packages: ${create[0]}`);
      assert.ok((create[0] ?? '').includes(' --setuptools bundle '), `no --setuptools bundle: ${create[0]}`);

      // pip runs in order: the upgrade and --preinstall with pip itself, then the requirements (from src/) and
      // the project (in src/) through bin/dhvt-pip. Every one gets --pypi-url's index as --index-url.
      const plainPip = `${staging}/bin/python -m pip install`;
      const viaTool = `${staging}/bin/python ${staging}/bin/dhvt-pip install`;
      const installs = commands.filter((line) => line.includes(plainPip) || line.includes(viaTool));
      const upgrade = installs.findIndex((line) => line.startsWith(plainPip) && line.endsWith(' -U pip'));
      const preinstall = installs.findIndex(
        (line) => line.startsWith(plainPip) && line.endsWith(' dhvt-piptool'),
      );
      const requirements = installs.findIndex(
        (line) => line.startsWith(viaTool) && line.endsWith(` -r ${project}/requirements.txt`),
      );
      const projectInstall = installs.findIndex(
        (line) => line.startsWith(`(cd ${project} && ${viaTool} `) && line.endsWith(' .)'),
      );
      assert.deepEqual(
        [upgrade, preinstall, requirements, projectInstall],
        [0, 1, 2, 3],
        `pip runs echoed:\n${installs.join('\n')}`,
      );
      for (const line of installs) {
        assert.ok(line.split(' ').includes(`--index-url=${suite().index.url}`), `no --index-url in: ${line}`);
      }
      assert.match(build.log, /^dh_virtualenv: dhvt-more-options: upgrading pip$/m);

      // bin/dhvt-pip did run, once for the requirements and once for the project, and pip did the work.
      const toolRuns = build.log.split('\n').filter((line) => line.startsWith('dhvt-pip: running pip '));
      assert.equal(toolRuns.length, 2, `bin/dhvt-pip runs:\n${toolRuns.join('\n')}`);
      assert.ok(toolRuns[0]?.endsWith(` -r ${project}/requirements.txt`), toolRuns[0]);
      assert.ok(toolRuns[1]?.endsWith(' .'), toolRuns[1]);

      // pip found everything on the index named by --pypi-url, including pip itself for --upgrade-pip.
      for (const path of ['/simple/pip/', '/simple/dhvt-piptool/', '/simple/dhvt-greet/']) {
        assert.ok(requests.includes(path), `${path} not requested; requests: ${requests.join(' ')}`);
      }

      // -S: the shipped venv sees the system's site-packages; -s: it has its own setuptools.
      const tree = await extractDeb(build.deb(PKG));
      assert.match(
        readFileSync(join(tree, VENV, 'pyvenv.cfg'), 'utf8'),
        /^include-system-site-packages = true$/m,
      );
      const paths = await debPaths(build.deb(PKG));
      assert.ok(
        paths.includes(`${VENV}/${SITE_PACKAGES}/setuptools/__init__.py`),
        'no setuptools in the venv',
      );
      // --preinstall put the tool into the venv, where it stays.
      assert.ok(paths.includes(`${VENV}/bin/dhvt-pip`), 'no bin/dhvt-pip in the venv');

      await purgeAfter(t, PKG);
      await installDeb(build.deb(PKG));
      // --sourcedirectory: the project in src/ is installed, with its requirements.
      assert.equal((await runInstalled(`${VENV}/bin/${PKG}`)).trim(), `${PKG}: hello from dhvt-greet`);
      // python3-virtualenv (a build dependency) lives in Debian's dist-packages only, not in the venv.
      const seen = await runInstalled(`${VENV}/bin/python`, [
        '-c',
        'import sys, virtualenv; print(sys.prefix); print(virtualenv.__file__); print("\\n".join(sys.path))',
      ]);
      const [prefix, virtualenvFile, ...sysPath] = seen.trim().split('\n');
      assert.equal(prefix, VENV);
      assert.equal(virtualenvFile, `${SYSTEM_DIST_PACKAGES}/virtualenv/__init__.py`);
      assert.ok(sysPath.includes(SYSTEM_DIST_PACKAGES), `sys.path:\n${sysPath.join('\n')}`);
      assert.ok(sysPath.includes(`${VENV}/${SITE_PACKAGES}`), "the venv's own site-packages is on sys.path");
      await purge(PKG);
      assertNothingLeft(VENV);
    },
  );
});
