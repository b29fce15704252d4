/**
 * --without-pip: the venv ships no pip, setuptools or wheel (pip runs from Debian's pip wheel instead), with
 * virtualenv and with the venv module; the program runs, and the package is smaller than with them.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  assertNothingLeft,
  debPaths,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  targetPython,
  useSuite,
} from './harness';

const TIMEOUT = 5 * 60 * 1000;
const PKG = 'dhvt-lean';
const VENV = `/opt/venvs/${PKG}`;
const SITE_PACKAGES = targetPython().sitePackages;

describe('--without-pip', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet'] });

  for (const [creator, env] of [
    ['virtualenv', {}],
    ['venv', { DHVT_LEAN_VENV: '1' }],
  ] as const) {
    test(
      `${creator}: no pip, setuptools or wheel in the package; the program runs`,
      { timeout: TIMEOUT },
      async (t) => {
        const build = await suite().buildPackage('lean', { env });
        const shipped = (await debPaths(build.deb(PKG))).filter((path) =>
          path.includes(`/${SITE_PACKAGES}/`),
        );
        const tools = shipped.filter((path) =>
          /\/site-packages\/(pip|setuptools|wheel|_distutils_hack)[-/]/.test(path),
        );
        assert.deepEqual(tools, [], 'pip, setuptools or wheel shipped');
        assert.ok(
          shipped.some((path) => path.includes('/dhvt_greet')),
          'the requirement is installed',
        );
        assert.ok(!(await debPaths(build.deb(PKG))).some((path) => /\/bin\/(pip|wheel)[0-9.]*$/.test(path)));

        await purgeAfter(t, PKG);
        await installDeb(build.deb(PKG));
        assert.deepEqual(
          readdirSync(join(VENV, SITE_PACKAGES)).filter((name) => /^(pip|setuptools|wheel)/.test(name)),
          [],
        );
        assert.match(
          await runInstalled(join(VENV, 'bin', PKG)),
          /^dhvt-lean: .*; without pip setuptools wheel\)$/m,
        );
        assert.ok(statSync(build.deb(PKG)).size < 400 * 1024, 'a lean .deb is small');
        await purge(PKG);
        assertNothingLeft(VENV);
      },
    );
  }
});
