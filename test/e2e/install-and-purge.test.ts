/**
 * The whole life of a package: dpkg-buildpackage, dpkg -i, run the console script, dpkg --purge. One setup.py
 * project in the upstream style (debhelper 13, no override) and one PEP 517 project under compat 10.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  assertNothingLeft,
  debDepends,
  debPaths,
  extractDeb,
  filesMentioning,
  firstLine,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  setsVirtualEnv,
  targetPython,
  useSuite,
} from './harness';
import { runProcess } from './processes';

const TIMEOUT = 5 * 60 * 1000;
const SITE_PACKAGES = targetPython().sitePackages;

/** A RECORD hash field (the wheel spec): sha256, urlsafe base64 without padding. */
function recordHash(bytes: Buffer): string {
  return 'sha256=' + createHash('sha256').update(bytes).digest('base64url');
}

describe('install and purge', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet'] });

  test(
    'a setup.py project with requirements.txt, debhelper 13, upstream-style debian/rules',
    { timeout: TIMEOUT },
    async (t) => {
      const pkg = 'dhvt-hello';
      const venv = `/opt/venvs/${pkg}`;
      const build = await suite().buildPackage('hello');

      // What the .deb holds: the venv, with paths already pointing at /opt/venvs/dhvt-hello.
      const paths = await debPaths(build.deb(pkg));
      assert.ok(paths.includes(`${venv}/bin/${pkg}`), `no ${venv}/bin/${pkg} in the .deb`);
      const tree = await extractDeb(build.deb(pkg));
      assert.equal(firstLine(join(tree, venv, 'bin', pkg)), `#!${venv}/bin/python`);
      const activate = readFileSync(join(tree, venv, 'bin', 'activate'), 'utf8');
      assert.match(activate, setsVirtualEnv(venv));
      assert.deepEqual(
        filesMentioning(join(tree, venv), build.sourceDir),
        [],
        'files that name the build directory',
      );
      // No byte code is shipped (it would hold build paths); the postinst compiles it on the target.
      assert.deepEqual(
        paths.filter((path) => path.includes('__pycache__')),
        [],
      );
      // RECORD still matches the console script after its shebang was rewritten.
      const record = readFileSync(
        join(tree, venv, SITE_PACKAGES, 'dhvt_hello-1.0.dist-info', 'RECORD'),
        'utf8',
      );
      const script = readFileSync(join(tree, venv, 'bin', pkg));
      assert.match(
        record,
        new RegExp(`^\\.\\./\\.\\./\\.\\./bin/${pkg},${recordHash(script)},${script.length}$`, 'm'),
      );
      // The venv runs /usr/bin/python3.X by path, so the package depends on that very interpreter.
      assert.ok((await debDepends(build.deb(pkg))).includes(targetPython().packageName));

      // The maintainer scripts: our snippets, valid shell; the trigger on the interpreter file the venv runs.
      const control = join(tree, 'DEBIAN');
      const triggers = readFileSync(join(control, 'triggers'), 'utf8');
      assert.match(triggers, new RegExp(`^interest-noawait ${targetPython().executable}$`, 'm'));
      for (const script of ['postinst', 'prerm']) {
        const text = readFileSync(join(control, script), 'utf8');
        assert.match(
          text,
          /^# Automatically added by dh_virtualenv\//m,
          `${script} lacks the dh_virtualenv snippet`,
        );
        assert.ok(text.includes(`'${venv}'`), `${script} does not name ${venv}`);
      }
      for (const script of ['postinst', 'prerm', 'postrm', 'preinst']) {
        const path = join(control, script);
        if (!existsSync(path)) continue;
        for (const shell of ['sh', 'dash']) {
          const check = await runProcess([shell, '-n', path], { env: { PATH: '/usr/bin:/bin' } });
          assert.equal(check.status, 0, `${shell} -n ${script}: ${check.stderr}`);
        }
      }

      // Installed, it runs with the dependency from requirements.txt, from its own prefix.
      await purgeAfter(t, pkg);
      await installDeb(build.deb(pkg));
      assert.equal(firstLine(`${venv}/bin/${pkg}`), `#!${venv}/bin/python`);
      const output = await runInstalled(`${venv}/bin/${pkg}`);
      assert.equal(output.trim(), `dhvt-hello: hello from dhvt-greet (prefix ${venv})`);
      // The postinst compiled the byte code, with the installed paths.
      const greet = join(venv, SITE_PACKAGES, 'dhvt_greet');
      assert.ok(existsSync(join(greet, '__pycache__')), `${greet}/__pycache__ missing`);
      assert.ok(
        lstatSync(`${venv}/bin/python`).isSymbolicLink(),
        'virtualenv links bin/python to the system one',
      );

      // Purged, nothing is left, not even the byte code written by running it.
      await purge(pkg);
      assertNothingLeft(venv);
    },
  );

  test(
    'a PEP 517 project (pyproject.toml, setuptools.build_meta), debhelper compat 10',
    { timeout: TIMEOUT },
    async (t) => {
      const pkg = 'dhvt-pep517';
      const venv = `/opt/venvs/${pkg}`;
      const requestsBefore = suite().index.requests.length;
      const build = await suite().buildPackage('pep517');
      // pip's build isolation fetched the build backend from our index, not from anywhere else.
      const requests = suite().index.requests.slice(requestsBefore);
      assert.ok(
        requests.includes('/simple/setuptools/'),
        `setuptools was not fetched from the index: ${requests.join(' ')}`,
      );
      assert.ok(requests.includes('/simple/dhvt-greet/'), 'the dependency was not fetched from the index');

      await purgeAfter(t, pkg);
      await installDeb(build.deb(pkg));
      assert.equal(firstLine(`${venv}/bin/${pkg}`), `#!${venv}/bin/python`);
      const output = await runInstalled(`${venv}/bin/${pkg}`);
      assert.equal(output.trim(), `dhvt-pep517: hello from dhvt-greet (prefix ${venv})`);
      await purge(pkg);
      assertNothingLeft(venv);
    },
  );
});
