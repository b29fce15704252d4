/**
 * Issue #15, item 3: per-package settings. test/fixtures/per-package builds two venv packages from one project
 * with no override_dh_virtualenv: debian/dhvt-multi-server.dh-virtualenv gives the server the "server" extra
 * (dhvt-color), debian/dhvt-multi-worker.dh-virtualenv gives the worker requirements/worker.txt (dhvt-pre). Each
 * installed program shows what its own venv holds, and nothing of the other's.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import {
  assertNothingLeft,
  debListing,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  useSuite,
} from './harness';
import { assertSucceeded, runProcess } from './processes';

const TIMEOUT = 10 * 60 * 1000;

/** The .deb of a binary package that dpkg-buildpackage wrote into `dir`. */
function debOf(dir: string, name: string): string {
  const deb = readdirSync(dir).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'));
  assert.ok(deb !== undefined, `no .deb of ${name} in ${dir}`);
  return deb;
}
const SERVER = 'dhvt-multi-server';
const WORKER = 'dhvt-multi-worker';

describe('per-package options', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet', 'dhvt-color', 'dhvt-pre'] });

  test(
    'debian/<package>.dh-virtualenv gives each package its own extras and requirements file',
    { timeout: TIMEOUT },
    async (t) => {
      const build = await suite().buildPackage('per-package');
      for (const [name, options] of [
        [SERVER, '--extras=server'],
        [WORKER, '--requirements=requirements/worker.txt'],
      ] as const) {
        const line = `dh_virtualenv: ${name}: options from debian/${name}.dh-virtualenv: ${options}`;
        assert.ok(build.log.split('\n').includes(line), `the build log lacks "${line}"`);
      }
      assert.match(
        build.log,
        new RegExp(`^dh_virtualenv: ${WORKER}: installing requirements/worker\\.txt$`, 'm'),
      );
      assert.doesNotMatch(build.log, new RegExp(`^dh_virtualenv: ${SERVER}: installing requirements`, 'm'));

      await purgeAfter(t, SERVER, WORKER);
      await installDeb(build.deb(SERVER));
      await installDeb(build.deb(WORKER));
      assert.equal(
        (await runInstalled(`/opt/venvs/${SERVER}/bin/dhvt-multi`)).trim(),
        `dhvt-multi in /opt/venvs/${SERVER}: hello from dhvt-greet, with dhvt_color`,
      );
      assert.equal(
        (await runInstalled(`/opt/venvs/${WORKER}/bin/dhvt-multi`)).trim(),
        `dhvt-multi in /opt/venvs/${WORKER}: hello from dhvt-greet, with dhvt_pre`,
      );
      await purge(SERVER, WORKER);
      assertNothingLeft(`/opt/venvs/${SERVER}`);
      assertNothingLeft(`/opt/venvs/${WORKER}`);
    },
  );

  test(
    'dh-virtualenv vendor reads the files too: one wheelhouse for both packages, built without network',
    { timeout: TIMEOUT },
    async () => {
      const dir = suite().copyFixture('per-package');
      const vendored = await runProcess(['dh-virtualenv', 'vendor'], {
        cwd: dir,
        env: suite().env({ PIP_INDEX_URL: suite().index.url }),
      });
      assertSucceeded(vendored, 'vendoring the two-package source');
      const lock = readFileSync(join(dir, 'debian', 'wheelhouse', 'lock.toml'), 'utf8');
      for (const name of ['dhvt-greet', 'dhvt-color', 'dhvt-pre']) {
        assert.match(
          lock,
          new RegExp(
            `name = "${name}"\nversion = "[^"]+"\nfile = "[^"]+"\nsha256 = "[0-9a-f]{64}"\nuse = "install"`,
          ),
          name,
        );
      }
      const build = await runProcess(['unshare', '-n', 'dpkg-buildpackage', '-us', '-uc', '-b'], {
        cwd: dir,
        env: suite().env({ HOME: '/nonexistent' }),
      });
      assertSucceeded(build, 'building both packages from the wheelhouse without network');
      for (const [name, own, other] of [
        [SERVER, 'dhvt_color', 'dhvt_pre'],
        [WORKER, 'dhvt_pre', 'dhvt_color'],
      ] as const) {
        const deb = join(dirname(dir), debOf(dirname(dir), name));
        const listing = await debListing(deb);
        assert.match(listing, new RegExp(`/${own}-[^/]*\\.dist-info/`), `${name} lacks ${own}`);
        assert.doesNotMatch(listing, new RegExp(`/${other}-[^/]*\\.dist-info/`), `${name} has ${other}`);
      }
    },
  );

  test(
    'an unknown option in the file stops dh_virtualenv, naming the file and line',
    { timeout: TIMEOUT },
    async () => {
      const dir = suite().copyFixture('per-package');
      writeFileSync(
        join(dir, 'debian', `${WORKER}.dh-virtualenv`),
        '# The worker\n--requirements requirements/worker.txt\n--frobnicate\n',
      );
      const result = await suite().runDhVirtualenv(dir, []);
      assert.notEqual(result.status, 0, result.output);
      assert.ok(
        result.stderr
          .split('\n')
          .includes(
            `dh_virtualenv: error: debian/${WORKER}.dh-virtualenv:3: unknown option --frobnicate; ` +
              'dh_virtualenv --help lists the options',
          ),
        result.output,
      );
      // Every file is read before any venv is made.
      for (const name of [SERVER, WORKER]) assert.ok(!existsSync(join(dir, 'debian', name, 'opt')), name);
    },
  );
});
