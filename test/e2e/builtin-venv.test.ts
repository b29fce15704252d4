/**
 * --builtin-venv: the virtualenv is made by Python's own venv module (python3-venv) instead of virtualenv.
 */
import assert from 'node:assert/strict';
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  assertNothingLeft,
  debListing,
  firstLine,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  setsVirtualEnv,
  useSuite,
} from './harness';
import { SYSTEM_PYTHON } from './processes';

const TIMEOUT = 5 * 60 * 1000;

describe('--builtin-venv', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet'] });

  test('--builtin-venv --python /usr/bin/python3 makes a working venv', { timeout: TIMEOUT }, async (t) => {
    const pkg = 'dhvt-builtin-venv';
    const venv = `/opt/venvs/${pkg}`;
    const build = await suite().buildPackage('builtin-venv');
    assert.match(
      build.log,
      new RegExp(`^dh_virtualenv: ${pkg}: creating ${venv} \\(venv, /usr/bin/python3\\)$`, 'm'),
    );
    assert.doesNotMatch(build.log, /created virtual environment/, 'virtualenv was not used');
    // venv links bin/python to the interpreter it was made with; the .deb keeps the link.
    assert.match(await debListing(build.deb(pkg)), new RegExp(`^l\\S+ .* \\.${venv}/bin/python -> `, 'm'));

    await purgeAfter(t, pkg);
    await installDeb(build.deb(pkg));
    assert.ok(lstatSync(`${venv}/bin/python`).isSymbolicLink(), 'bin/python is a symlink');
    assert.equal(realpathSync(`${venv}/bin/python`), realpathSync(SYSTEM_PYTHON));
    assert.match(readFileSync(`${venv}/pyvenv.cfg`, 'utf8'), /^home = \/usr\/bin$/m);
    assert.equal(firstLine(`${venv}/bin/${pkg}`), `#!${venv}/bin/python`);
    assert.match(readFileSync(`${venv}/bin/activate`, 'utf8'), setsVirtualEnv(venv));
    const output = await runInstalled(`${venv}/bin/${pkg}`);
    assert.equal(output.trim(), `dhvt-builtin-venv: hello from dhvt-greet (prefix ${venv})`);
    await purge(pkg);
    assertNothingLeft(venv);
  });
});
