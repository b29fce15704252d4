/**
 * A package's whole life (docs/lifetime.md): the interpreter it depends on, an upgrade that drops a dependency
 * and renames a script and the downgrade back, removal and purge after root and another user ran it, and
 * maintainer scripts that are valid, idempotent and quiet. The interpreter updates are in
 * lifetime-interpreter.test.ts.
 *
 * test/fixtures/life-app is version 1.0 (dependencies dhvt-greet and dhvt-life-dropped, scripts dhvt-life-app
 * and dhvt-life-old); test/fixtures/life-app-2 is version 2.0 of the same package (dhvt-life-dropped and the
 * legacy module gone, dhvt-life-old renamed dhvt-life-new). Each is built once for the whole file.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import {
  assertNothingLeft,
  debField,
  extractDeb,
  installDeb,
  pipList,
  purge,
  purgeAfter,
  runInstalled,
  startSuite,
  targetPython,
  type Build,
  type Suite,
} from './harness';
import {
  byteCodeOf,
  dpkgOk,
  dpkgRun,
  dpkgStatus,
  notEmptyWarnings,
  pathsMatching,
  runAsUser,
  runMaintainerScript,
  scriptOutput,
  staleByteCode,
  temporaryUser,
  treeChanges,
  treeState,
} from './lifetime-steps';
import { runProcess } from './processes';

const TIMEOUT = 5 * 60 * 1000;
const PKG = 'dhvt-life-app';
const VENV = `/opt/venvs/${PKG}`;
const PYTHON = targetPython();
const SITE_PACKAGES = `${VENV}/${PYTHON.sitePackages}`;
const bin = (name: string): string => `${VENV}/bin/${name}`;

/** What each version's programs print. */
const OUTPUT = {
  app1: `dhvt-life-app 1.0: hello from dhvt-greet, with dhvt-life-dropped (prefix ${VENV})`,
  old1: 'dhvt-life-old 1.0: the script version 2.0 renames',
  app2: `dhvt-life-app 2.0: hello from dhvt-greet, dhvt-life-dropped is gone (prefix ${VENV})`,
  new2: 'dhvt-life-new 2.0: the script that was dhvt-life-old',
};

/** One line of the transcript the tests print (t.diagnostic): what dpkg did and what it said. */
function note(t: TestContext, step: string, output: string): void {
  const said = output.split('\n').filter((line) => line !== '' && !line.startsWith('(Reading database'));
  t.diagnostic(`${step}: ${said.join(' | ')}`);
}

/** Runs `dpkg <args>`, requires success, no warning about the venv's directories, no maintainer-script output. */
async function dpkgQuietly(t: TestContext, args: readonly string[]): Promise<string> {
  const output = await dpkgOk(['dpkg', ...args]);
  note(t, `dpkg ${args.join(' ').replace(/\S*\//g, '')}`, output);
  assert.deepEqual(notEmptyWarnings(output, VENV), [], `dpkg ${args.join(' ')} left files in ${VENV}`);
  assert.deepEqual(scriptOutput(output), [], `dpkg ${args.join(' ')}: the maintainer scripts printed this`);
  return output;
}

/**
 * Makes the test's next `dpkg -i` a first install whose output it can read: purges the package now and when the
 * test ends, after one install through harness.ts, which notes the directories to put back after a purge.
 */
async function readyForFirstInstall(t: TestContext, deb: string): Promise<void> {
  await purgeAfter(t, PKG);
  await installDeb(deb);
  await dpkgOk(['dpkg', '--purge', PKG]);
}

/** Files of dhvt-life-dropped anywhere in the venv (its package, its .dist-info, their byte code). */
function droppedFiles(): string[] {
  return pathsMatching(VENV, /dhvt[_-]life[_-]dropped/);
}

describe('a package for its whole life', { concurrency: false }, () => {
  let suite: Suite;
  let version1: Build;
  let version2: Build;
  before(
    async () => {
      suite = await startSuite({ projects: ['dhvt-greet', 'dhvt-life-dropped'] });
      version1 = await suite.buildPackage('life-app');
      version2 = await suite.buildPackage('life-app-2');
    },
    { timeout: TIMEOUT },
  );
  after(() => suite?.close());

  describe('the interpreter dependency', () => {
    test('${misc:Depends} names the package of the real interpreter behind --python', async (t) => {
      // debian/control says only "Depends: ${misc:Depends}"; --python is the default /usr/bin/python3, a
      // symlink owned by python3-minimal, to /usr/bin/python3.X, owned by python3.X-minimal.
      const depends = await debField(version1.deb(PKG), 'Depends');
      t.diagnostic(`${PKG} 1.0: Depends: ${depends}`);
      assert.equal(depends, PYTHON.packageName);
      assert.equal(await debField(version2.deb(PKG), 'Depends'), PYTHON.packageName);
      assert.ok(
        readFileSync(join(version1.sourceDir, 'debian', `${PKG}.substvars`), 'utf8')
          .split('\n')
          .includes(`misc:Depends=${PYTHON.packageName}`),
      );
      assert.doesNotMatch(version1.log, /belongs to no Debian package/);
    });

    test('an interpreter no Debian package owns: a warning, and Depends names no interpreter', async (t) => {
      // test/fixtures/life-foreign builds with --python <build dir>/debian/foreign-python/python3, a symlink
      // to a copy of Debian's python3.X that dpkg knows nothing about.
      const pkg = 'dhvt-life-foreign';
      const build = await suite.buildPackage('life-foreign');
      const copy = join(build.sourceDir, 'debian', 'foreign-python', PYTHON.packageName);
      const warning = `dh_virtualenv: warning: ${copy} belongs to no Debian package, so \${misc:Depends} names no interpreter`;
      assert.ok(build.log.includes(warning), `no warning naming ${copy} in the build log`);
      t.diagnostic(warning);
      assert.equal(await debField(build.deb(pkg), 'Depends'), '');
      // Neither the copy nor the package whose file it copies.
      const substvars = join(build.sourceDir, 'debian', `${pkg}.substvars`);
      if (existsSync(substvars)) assert.doesNotMatch(readFileSync(substvars, 'utf8'), /python/);
    });
  });

  test(
    'upgrade to 2.0 (a dependency dropped, a script renamed) and downgrade to 1.0',
    { timeout: TIMEOUT },
    async (t) => {
      await readyForFirstInstall(t, version1.deb(PKG));
      await dpkgQuietly(t, ['-i', version1.deb(PKG)]);
      assert.equal((await runInstalled(bin(PKG))).trim(), OUTPUT.app1);
      assert.equal((await runInstalled(bin('dhvt-life-old'))).trim(), OUTPUT.old1);
      const legacy = `${SITE_PACKAGES}/dhvt_life_app/legacy.py`;
      const dropped = `${SITE_PACKAGES}/dhvt_life_dropped/parts.py`;
      for (const source of [legacy, dropped])
        assert.ok(existsSync(byteCodeOf(source)), `${source} not compiled`);

      // 2.0 over 1.0: 1.0's prerm removes the byte code, dpkg the files 2.0 no longer has, 2.0's postinst
      // compiles again.
      await dpkgQuietly(t, ['-i', version2.deb(PKG)]);
      assert.deepEqual(droppedFiles(), [], 'files of the dropped dependency after the upgrade');
      assert.ok(
        !existsSync(legacy) && !existsSync(byteCodeOf(legacy)),
        'the removed module or its byte code',
      );
      assert.deepEqual(staleByteCode(VENV), [], 'byte code without its source');
      assert.ok(!existsSync(bin('dhvt-life-old')), 'the renamed script is still there under its old name');
      assert.equal((await runInstalled(bin(PKG))).trim(), OUTPUT.app2);
      assert.equal((await runInstalled(bin('dhvt-life-new'))).trim(), OUTPUT.new2);
      assert.ok(existsSync(byteCodeOf(`${SITE_PACKAGES}/dhvt_life_app/renamed.py`)), '2.0 was not compiled');
      const pip2 = await pipList(bin('python'));
      assert.equal(pip2.get('dhvt-life-app'), '2.0');
      assert.equal(pip2.get('dhvt-life-dropped'), undefined);

      // And back: dpkg warns about the downgrade and does it.
      const downgrade = await dpkgQuietly(t, ['-i', version1.deb(PKG)]);
      // Debian 13's dpkg (1.22) words it "downgrading dhvt-life-app (2.0) to (1.0)".
      assert.match(
        downgrade,
        /^dpkg: warning: downgrading dhvt-life-app (from 2\.0 to 1\.0|\(2\.0\) to \(1\.0\))$/m,
      );
      assert.equal((await runInstalled(bin(PKG))).trim(), OUTPUT.app1);
      assert.equal((await runInstalled(bin('dhvt-life-old'))).trim(), OUTPUT.old1);
      assert.ok(!existsSync(bin('dhvt-life-new')), 'the 2.0 script is still there');
      assert.deepEqual(staleByteCode(VENV), [], 'byte code without its source');
      for (const source of [legacy, dropped])
        assert.ok(existsSync(byteCodeOf(source)), `${source} not compiled`);
      assert.equal((await pipList(bin('python'))).get('dhvt-life-dropped'), '1.0');

      await dpkgQuietly(t, ['--purge', PKG]);
      assertNothingLeft(VENV);
      await purge(PKG);
    },
  );

  test(
    'run as root and as an unprivileged user, then removed, or purged: nothing left, no warning',
    { timeout: TIMEOUT },
    async (t) => {
      const user = await temporaryUser(t, 'dhvt-life-user');
      const appCache = `${SITE_PACKAGES}/dhvt_life_app/__pycache__`;
      await purgeAfter(t, PKG);
      for (const action of ['--remove', '--purge']) {
        await installDeb(version1.deb(PKG));
        // The postinst compiled everything, so a user's run needs to write nothing, and writes nothing.
        assert.ok(existsSync(byteCodeOf(`${SITE_PACKAGES}/dhvt_greet/__init__.py`)));
        const compiled = treeState(VENV);
        assert.equal((await runAsUser(user, bin(PKG))).trim(), OUTPUT.app1);
        assert.deepEqual(treeChanges(compiled, treeState(VENV)), [], `${user}'s run changed the venv`);
        // Without the byte code, the user's run still works, and cannot write it.
        rmSync(appCache, { recursive: true });
        assert.equal((await runAsUser(user, bin('dhvt-life-old'))).trim(), OUTPUT.old1);
        assert.ok(!existsSync(appCache), `${user} wrote byte code into the venv`);
        // root's run does write it: files dpkg does not know, which must not stop the removal.
        assert.equal((await runInstalled(bin(PKG))).trim(), OUTPUT.app1);
        assert.ok(existsSync(appCache), 'root did not write byte code');

        await dpkgQuietly(t, [action, PKG]);
        assertNothingLeft(VENV);
        assert.equal(await dpkgStatus(PKG), 'not-installed');
      }
      await purge(PKG);
    },
  );

  describe('the maintainer scripts', () => {
    test('are valid shell (sh -n, dash -n, shellcheck) and hold our snippet once', async () => {
      const control = join(await extractDeb(version1.deb(PKG)), 'DEBIAN');
      const scripts = ['preinst', 'postinst', 'prerm', 'postrm'].filter((name) =>
        existsSync(join(control, name)),
      );
      assert.deepEqual(scripts, ['postinst', 'prerm']);
      for (const script of scripts) {
        const text = readFileSync(join(control, script), 'utf8');
        assert.equal(
          text.match(/^# Automatically added by dh_virtualenv\//gm)?.length,
          1,
          `${script}: our snippets`,
        );
      }
      // The project's own postinst, with our snippet merged in before its own code.
      assert.match(
        readFileSync(join(control, 'postinst'), 'utf8'),
        /^# Automatically added by dh_virtualenv\/.*\n[^]*DHVT_LIFE_FAIL_CONFIGURE/m,
      );
      const env = { PATH: '/usr/bin:/bin' };
      const shellcheck = await runProcess(['shellcheck', '--version'], { env });
      assert.equal(
        shellcheck.status,
        0,
        'shellcheck is not installed: run "sh scripts/install-build-deps.sh"',
      );
      for (const script of scripts) {
        const path = join(control, script);
        for (const argv of [
          ['sh', '-n', path],
          ['dash', '-n', path],
          ['shellcheck', '-s', 'sh', path],
        ]) {
          const result = await runProcess(argv, { env });
          assert.equal(result.status, 0, `${argv.join(' ')}:\n${result.output}`);
        }
      }
    });

    test(
      'print nothing, unless DH_VERBOSE=1 and there is something to say',
      { timeout: TIMEOUT },
      async (t) => {
        await readyForFirstInstall(t, version1.deb(PKG));
        // dpkgQuietly fails on any line dpkg itself did not print.
        await dpkgQuietly(t, ['-i', version1.deb(PKG)]);
        await dpkgQuietly(t, ['-i', version1.deb(PKG)]); // a reinstall: prerm upgrade, postinst configure 1.0
        const verbose = await dpkgOk(['dpkg', '-i', version1.deb(PKG)], { DH_VERBOSE: '1' });
        // A symlinked interpreter needs no refresh, so there is nothing to report (lifetime-interpreter.test.ts
        // shows the message for a copied one).
        assert.deepEqual(scriptOutput(verbose), []);
        await dpkgQuietly(t, ['--purge', PKG]);
        await purge(PKG);
      },
    );

    test('configure twice by hand: the second run changes nothing', { timeout: TIMEOUT }, async (t) => {
      await purgeAfter(t, PKG);
      await installDeb(version1.deb(PKG));
      const configured = treeState(VENV);
      for (const run of ['first', 'second']) {
        const result = await runMaintainerScript(PKG, 'postinst', ['configure', '1.0']);
        assert.deepEqual([result.status, result.output], [0, ''], `the ${run} postinst configure by hand`);
        assert.deepEqual(treeChanges(configured, treeState(VENV)), [], `the ${run} configure by hand`);
      }
      assert.equal((await runInstalled(bin(PKG))).trim(), OUTPUT.app1);
      await purge(PKG);
    });

    test(
      'a failed configure: dpkg --configure finishes it; --remove and --purge clean up',
      { timeout: TIMEOUT },
      async (t) => {
        const failConfigure = { DHVT_LIFE_FAIL_CONFIGURE: '1' };
        const failMessage = 'dhvt-life-app: configure fails on request (DHVT_LIFE_FAIL_CONFIGURE=1)';
        await readyForFirstInstall(t, version1.deb(PKG));
        for (const cleanUp of ['--configure', '--remove', '--purge']) {
          // A first install in the first and last round; in the second, a reinstall over the configured package.
          const failed = await dpkgRun(['dpkg', '-i', version1.deb(PKG)], failConfigure);
          note(t, `DHVT_LIFE_FAIL_CONFIGURE=1 dpkg -i`, failed.output);
          assert.notEqual(failed.status, 0, 'the configure did not fail');
          // Only the project's own message: dpkg's error report is indented or starts with "dpkg:" or "Errors".
          const printed = scriptOutput(failed.output).filter(
            (line) => !/^(dpkg: | |Errors were encountered)/.test(line),
          );
          assert.deepEqual(printed, [failMessage]);
          assert.equal(await dpkgStatus(PKG), 'half-configured');
          // Our snippet ran before the project's failing part: the byte code is there.
          assert.ok(existsSync(byteCodeOf(`${SITE_PACKAGES}/dhvt_life_app/__init__.py`)));

          await dpkgQuietly(t, [cleanUp, PKG]);
          if (cleanUp === '--configure') {
            assert.equal(await dpkgStatus(PKG), 'installed');
            assert.equal((await runInstalled(bin(PKG))).trim(), OUTPUT.app1);
          } else {
            assert.equal(await dpkgStatus(PKG), 'not-installed');
            assertNothingLeft(VENV);
          }
        }
        await purge(PKG);
      },
    );
  });
});
