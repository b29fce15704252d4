/**
 * Where the virtualenv goes: DH_VIRTUALENV_INSTALL_ROOT (exported by debian/rules) and --install-suffix.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  assertNothingLeft,
  debPaths,
  extractDeb,
  firstLine,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  setsVirtualEnv,
  useSuite,
} from './harness';

const TIMEOUT = 5 * 60 * 1000;

describe('install location', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet'] });

  test('--install-suffix with DH_VIRTUALENV_INSTALL_ROOT', { timeout: TIMEOUT }, async (t) => {
    const pkg = 'dhvt-suffix';
    const root = '/srv/dhvt-venvs';
    const venv = `${root}/custom-name`;
    const rootExisted = existsSync(root);
    const srvExisted = existsSync('/srv');
    const build = await suite().buildPackage('install-suffix');

    const paths = await debPaths(build.deb(pkg));
    assert.ok(paths.includes(`${venv}/bin/${pkg}`), `no ${venv}/bin/${pkg} in the .deb`);
    assert.deepEqual(
      paths.filter((path) => path.startsWith('/opt/venvs')),
      [],
      'nothing under the default root',
    );
    const tree = await extractDeb(build.deb(pkg));
    for (const script of ['postinst', 'prerm']) {
      assert.ok(
        readFileSync(join(tree, 'DEBIAN', script), 'utf8').includes(`'${venv}'`),
        `${script} names ${venv}`,
      );
    }

    await purgeAfter(t, pkg);
    await installDeb(build.deb(pkg));
    assert.equal(firstLine(`${venv}/bin/${pkg}`), `#!${venv}/bin/python`);
    assert.match(readFileSync(`${venv}/bin/activate`, 'utf8'), setsVirtualEnv(venv));
    assert.equal(
      (await runInstalled(`${venv}/bin/${pkg}`)).trim(),
      `dhvt-suffix: hello from dhvt-greet (prefix ${venv})`,
    );

    await purge(pkg);
    assertNothingLeft(venv);
    // dpkg removes the directories a package brought once they are empty, so the root it created goes too.
    if (!rootExisted) assertNothingLeft(root);
    assert.equal(existsSync('/srv'), srvExisted, '/srv is as it was before');
  });
});
