/**
 * The build-system mode, `dh $@ --buildsystem=dh_virtualenv`: dh_auto_configure/build/test/install/clean hand
 * over to dh_virtualenv, which builds the venv in debhelper's build directory and copies it into the package
 * at dh_auto_install. Three builds:
 *
 * - test/fixtures/bs-plain, nothing set: the venv in /usr/share/python/<source package>; installed, run,
 *   purged; `debian/rules clean` removes the build directory and nothing else.
 * - the same source with `--with python-virtualenv` (DHVT_BS_MODE=sequence) at the same path: the two
 *   packages are the same, file for file.
 * - test/fixtures/bs-options: DH_VIRTUALENV_INSTALL_SUFFIX, DH_REQUIREMENTS_FILE, override_dh_auto_test, and
 *   two binary packages, so the venv goes to debian/tmp and debian/dhvt-bs-app.install places it (and a file
 *   outside it); the maintainer scripts, triggers and Depends go to that package only.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingLeft,
  debDepends,
  extractDeb,
  filesMentioning,
  firstLine,
  installDeb,
  pipList,
  purge,
  purgeAfter,
  runInstalled,
  setsVirtualEnv,
  startSuite,
  targetPython,
  type Build,
  type Suite,
} from './harness';
import { assertSucceeded, fixturePath, hermeticEnv, runProcess } from './processes';
import { compareTrees, treeEntries, type TreeEntry } from './upstream-trees';

const TIMEOUT = 5 * 60 * 1000;
/** upstream's build-system default, kept for drop-in builds (the sequence's is /opt/venvs). */
const BUILDSYSTEM_ROOT = '/usr/share/python';
const PLAIN = 'dhvt-bs-plain';

/** debhelper's default build directory, obj-<DEB_HOST_GNU_TYPE>, where the build system makes the venv. */
async function defaultBuildDirectory(): Promise<string> {
  const result = await runProcess(['dpkg-architecture', '-qDEB_HOST_GNU_TYPE'], {
    env: hermeticEnv({ HOME: '/' }),
  });
  assertSucceeded(result, 'dpkg-architecture');
  return `obj-${result.stdout.trim()}`;
}

/** What the venv package must hold whichever mode built it: our snippets, the trigger, the interpreter. */
async function assertVenvPackage(deb: string, pkg: string, venv: string, build: Build): Promise<string> {
  const tree = await extractDeb(deb);
  assert.equal(firstLine(join(tree, venv, 'bin', pkg)), `#!${venv}/bin/python`);
  assert.match(readFileSync(join(tree, venv, 'bin/activate'), 'utf8'), setsVirtualEnv(venv));
  assert.deepEqual(
    filesMentioning(join(tree, venv), build.sourceDir),
    [],
    'files that name the build directory',
  );
  for (const script of ['postinst', 'prerm']) {
    const text = readFileSync(join(tree, 'DEBIAN', script), 'utf8');
    assert.match(text, /^# Automatically added by dh_virtualenv\//m, `${script} lacks our snippet`);
    assert.ok(text.includes(`'${venv}'`), `${script} does not name ${venv}`);
  }
  assert.match(
    readFileSync(join(tree, 'DEBIAN/triggers'), 'utf8'),
    new RegExp(`^interest-noawait ${targetPython().executable}$`, 'm'),
  );
  assert.ok((await debDepends(deb)).includes(targetPython().packageName));
  assert.ok(existsSync(join(tree, 'usr/share/lintian/overrides', pkg)), 'lintian overrides');
  return tree;
}

describe('build-system mode (dh $@ --buildsystem=dh_virtualenv)', { concurrency: false }, () => {
  let suite: Suite;
  /** The plain build, compared with the sequence's by the second test. */
  let plain: Build | undefined;
  before(async () => {
    suite = await startSuite({ projects: ['dhvt-greet', 'dhvt-color'] });
  });
  after(() => suite?.close());

  test(
    `plain: the venv in ${BUILDSYSTEM_ROOT}/<source>; installed, run, purged; clean removes only the build directory`,
    { timeout: TIMEOUT },
    async (t) => {
      const venv = `${BUILDSYSTEM_ROOT}/${PLAIN}`;
      const buildDir = await defaultBuildDirectory();
      const build = await suite.buildPackage('bs-plain');
      plain = build;
      // Each dh_auto_* step handed over; the default test step ran "setup.py test" with the build venv, or,
      // where virtualenv seeds no setuptools (Python 3.12 and later: Debian 13), said why it could not.
      assert.match(build.log, /^ +dh_auto_build -O--buildsystem=dh_virtualenv$/m);
      assert.match(build.log, new RegExp(`^dh_virtualenv: ${PLAIN}: creating ${venv} `, 'm'));
      const [, minor = 0] = targetPython().version.split('.').map(Number);
      const testStep =
        minor < 12
          ? `^dh_virtualenv: ${PLAIN}: running setup.py test$`
          : `^dh_virtualenv: warning: ${PLAIN}: "setup.py test" cannot run: the virtualenv has no setuptools;`;
      assert.match(build.log, new RegExp(testStep, 'm'));
      assert.ok(
        existsSync(join(build.sourceDir, buildDir, venv, 'bin/python')),
        `the build venv is in ${buildDir}`,
      );
      await assertVenvPackage(build.deb(PLAIN), PLAIN, venv, build);

      await purgeAfter(t, PLAIN);
      await installDeb(build.deb(PLAIN));
      assert.equal(
        (await runInstalled(`${venv}/bin/${PLAIN}`)).trim(),
        `${PLAIN}: hello from dhvt-greet (prefix ${venv})`,
      );
      await purge(PLAIN);
      assertNothingLeft(venv);

      // dh_auto_clean removes the build directory, and dh_clean its files in debian/; nothing else changes.
      // (What pip's in-tree build of setup.py leaves, build/ and *.egg-info, stays, as in the sequence mode.)
      const outsideDebian = (): Map<string, TreeEntry> => treeEntries(build.sourceDir, ['debian', buildDir]);
      const before = outsideDebian();
      const clean = await runProcess(['debian/rules', 'clean'], { cwd: build.sourceDir, env: suite.env() });
      assertSucceeded(clean, 'debian/rules clean');
      assert.equal(existsSync(join(build.sourceDir, buildDir)), false, `${buildDir} is removed`);
      assert.deepEqual(compareTrees(before, outsideDebian()), {
        onlyInFirst: [],
        onlyInSecond: [],
        changed: [],
      });
      // debian/ is as in the fixture (debian/rules made executable by the copy, whatever the checkout did).
      const debian = compareTrees(
        treeEntries(fixturePath('bs-plain', 'debian')),
        treeEntries(join(build.sourceDir, 'debian')),
      );
      assert.deepEqual(
        { ...debian, changed: debian.changed.filter((path) => path !== '/rules') },
        { onlyInFirst: [], onlyInSecond: [], changed: [] },
        'debian/ is as in the fixture',
      );
      assert.equal(
        readFileSync(join(build.sourceDir, 'debian/rules'), 'utf8'),
        readFileSync(fixturePath('bs-plain', 'debian/rules'), 'utf8'),
      );
    },
  );

  test(
    'the sequence and the build system make the same package of the same project',
    { timeout: TIMEOUT },
    async () => {
      assert.ok(plain !== undefined, 'the plain build-system build failed (see the test before)');
      // Same root as the build system's default, and the same suffix: the package is named like its source.
      const sequence = await suite.buildPackage('bs-plain', {
        env: { DHVT_BS_MODE: 'sequence', DH_VIRTUALENV_INSTALL_ROOT: BUILDSYSTEM_ROOT },
      });
      assert.match(sequence.log, /^ +dh_virtualenv$/m, 'the sequence ran dh_virtualenv');
      assert.doesNotMatch(sequence.log, /--buildsystem=dh_virtualenv/);

      const [sequenceTree, buildsystemTree] = [
        await extractDeb(sequence.deb(PLAIN)),
        await extractDeb(plain.deb(PLAIN)),
      ];
      const difference = compareTrees(treeEntries(sequenceTree), treeEntries(buildsystemTree));
      // virtualenv writes the RECORDs of the pip, setuptools and wheel it seeds in an order that changes with the
      // path of its app-data cache (dh_auto_* run with HOME in debian/.debhelper, dh_virtualenv does not); the
      // lines are the same. DEBIAN/md5sums lists those RECORDs.
      const sortedLines = (tree: string, path: string): string =>
        readFileSync(join(tree, path), 'utf8').split('\n').sort().join('\n');
      const sameLines = (path: string): boolean =>
        path.endsWith('/RECORD') && sortedLines(sequenceTree, path) === sortedLines(buildsystemTree, path);
      assert.deepEqual(
        {
          onlyInSequence: difference.onlyInFirst,
          onlyInBuildsystem: difference.onlyInSecond,
          changed: difference.changed.filter((path) => path !== '/DEBIAN/md5sums' && !sameLines(path)),
        },
        { onlyInSequence: [], onlyInBuildsystem: [], changed: [] },
      );
    },
  );

  test(
    'DH_VIRTUALENV_INSTALL_SUFFIX, DH_REQUIREMENTS_FILE, override_dh_auto_test; two packages and a .install file',
    { timeout: TIMEOUT },
    async (t) => {
      const pkg = 'dhvt-bs-app';
      const doc = 'dhvt-bs-app-doc';
      const venv = `${BUILDSYSTEM_ROOT}/${pkg}`;
      const conf = `/etc/${pkg}/${pkg}.conf`;
      const build = await suite.buildPackage('bs-options');
      // The override ran the project's tests with the build venv instead of our "setup.py test".
      assert.match(build.log, /^Ran 1 test in /m);
      assert.doesNotMatch(build.log, /running setup\.py test/);
      // debian/tmp held nothing that no .install file took.
      assert.doesNotMatch(build.log, /dh_missing: (warning|error)/);

      // The package named by the .install file has the venv, the file outside it and everything for the venv.
      const tree = await assertVenvPackage(build.deb(pkg), pkg, venv, build);
      assert.equal(
        readFileSync(join(tree, conf), 'utf8'),
        readFileSync(fixturePath('bs-options', 'conf', `${pkg}.conf`), 'utf8'),
      );
      assert.match(readFileSync(join(tree, 'DEBIAN/conffiles'), 'utf8'), new RegExp(`^${conf}$`, 'm'));
      // The other package has nothing of it: no venv, no scripts or triggers, no interpreter in Depends.
      const docTree = await extractDeb(build.deb(doc));
      assert.equal(existsSync(join(docTree, BUILDSYSTEM_ROOT)), false, `${doc} has no ${BUILDSYSTEM_ROOT}`);
      for (const name of ['postinst', 'prerm', 'triggers']) {
        assert.equal(existsSync(join(docTree, 'DEBIAN', name)), false, `${doc} has a ${name}`);
      }
      assert.equal(existsSync(join(docTree, 'usr/share/lintian')), false, `${doc} has lintian overrides`);
      assert.ok(!(await debDepends(build.deb(doc))).includes(targetPython().packageName));

      await purgeAfter(t, pkg);
      await installDeb(build.deb(pkg));
      assert.equal(
        (await runInstalled(`${venv}/bin/${pkg}`)).trim(),
        `${pkg}: hello from dhvt-greet (prefix ${venv})`,
      );
      // DH_REQUIREMENTS_FILE=requirements/production.txt was installed, requirements.txt (dhvt-color) was not.
      const installed = await pipList(`${venv}/bin/python`);
      assert.equal(installed.get('dhvt-greet'), '1.0');
      assert.equal(installed.has('dhvt-color'), false, 'requirements.txt is not used');
      await purge(pkg);
      assertNothingLeft(venv);
      assertNothingLeft(`/etc/${pkg}`);
    },
  );
});
