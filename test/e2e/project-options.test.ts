/**
 * What goes into the virtualenv: the project with an extra (--extras), or only its requirements
 * (--skip-install).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  assertNothingLeft,
  installDeb,
  pipList,
  purge,
  purgeAfter,
  runInstalled,
  targetPython,
  useSuite,
} from './harness';

const TIMEOUT = 5 * 60 * 1000;
const SITE_PACKAGES = targetPython().sitePackages;

describe('what dh_virtualenv installs', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet', 'dhvt-color'] });

  test(
    '--extras installs the extra dependency group, and DH_VERBOSE=1 shows the pip commands',
    { timeout: TIMEOUT },
    async (t) => {
      const pkg = 'dhvt-extras';
      const venv = `/opt/venvs/${pkg}`;
      const build = await suite().buildPackage('extras', { env: { DH_VERBOSE: '1' } });
      // Verbose output is debhelper's: a tab, then the command as a shell would read it.
      assert.match(build.log, /^\t\(cd \S+ && \S+\/bin\/python -m pip install .*-v .*'\.\[color\]'\)$/m);

      await purgeAfter(t, pkg);
      await installDeb(build.deb(pkg));
      const installed = await pipList(`${venv}/bin/python`);
      assert.equal(installed.get('dhvt-color'), '2.0', 'the extra dependency is installed');
      assert.equal(installed.get('dhvt-greet'), '1.0');
      assert.equal((await runInstalled(`${venv}/bin/${pkg}`)).trim(), 'dhvt-extras: *hello from dhvt-greet*');
      await purge(pkg);
      assertNothingLeft(venv);
    },
  );

  test('--skip-install installs the requirements but not the project', { timeout: TIMEOUT }, async (t) => {
    const pkg = 'dhvt-skip-install';
    const venv = `/opt/venvs/${pkg}`;
    const build = await suite().buildPackage('skip-install');
    assert.doesNotMatch(build.log, /installing the project/);

    await purgeAfter(t, pkg);
    await installDeb(build.deb(pkg));
    const installed = await pipList(`${venv}/bin/python`);
    assert.equal(installed.get('dhvt-greet'), '1.0', 'requirements.txt is installed');
    assert.equal(installed.has('dhvt-skip-install'), false, 'the project itself is not');
    const site = readdirSync(join(venv, SITE_PACKAGES));
    assert.deepEqual(
      site.filter((name) => name.startsWith('dhvt_skip_install')),
      [],
      'no module or metadata of the project in site-packages',
    );
    assert.equal(existsSync(`${venv}/bin/${pkg}`), false, 'no console script of the project');
    const output = await runInstalled(`${venv}/bin/python`, [
      '-c',
      'import dhvt_greet; print(dhvt_greet.greeting())',
    ]);
    assert.equal(output.trim(), 'hello from dhvt-greet');
    await purge(pkg);
    assertNothingLeft(venv);
  });
});
