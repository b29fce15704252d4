/**
 * Issue #15, item 2: lock files read directly. test/fixtures/locks (a pyproject.toml project needing dhvt-greet,
 * and dhvt-color with the "color" extra) is built once with each lock format, written by the test for the
 * files its index serves (hashes computed now). Each build installs the locked versions hash-checked, for the
 * venv's interpreter: extras and markers decide what is in the venv.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { extractDeb, installDeb, purge, purgeAfter, runInstalled, targetPython, useSuite } from './harness';
import { indexWheel, type IndexFile } from './index-files';
import { assertSucceeded, runProcess } from './processes';

const TIMEOUT = 10 * 60 * 1000;
const PKG = 'dhvt-locks';
const SITE = `/opt/venvs/${PKG}/${targetPython().sitePackages}`;

interface Wheels {
  readonly greet: IndexFile;
  readonly color: IndexFile;
}

function pylock({ greet, color }: Wheels): string {
  const wheel = (file: IndexFile): string =>
    `wheels = [{ name = "${file.name}", url = "${file.url}", hashes = { sha256 = "${file.sha256}" } }]`;
  return [
    'lock-version = "1.0"',
    'created-by = "dh-virtualenv tests"',
    '[[packages]]\nname = "dhvt-greet"\nversion = "1.0"',
    wheel(greet),
    // Only on Windows: left out here.
    `[[packages]]\nname = "dhvt-color"\nversion = "2.0"\nmarker = "sys_platform == 'win32'"`,
    wheel(color),
    '[[packages]]\nname = "dhvt-locks"\ndirectory = { path = "." }',
    '',
  ].join('\n');
}

function uvLock({ greet, color }: Wheels): string {
  const wheel = (file: IndexFile): string =>
    `wheels = [{ url = "${file.url}", hash = "sha256:${file.sha256}" }]`;
  return [
    'version = 1',
    'requires-python = ">=3.9"',
    '[[package]]\nname = "dhvt-locks"\nversion = "1.0"\nsource = { editable = "." }',
    'dependencies = [{ name = "dhvt-greet" }]',
    '[package.optional-dependencies]\ncolor = [{ name = "dhvt-color" }]',
    '[[package]]\nname = "dhvt-greet"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }',
    wheel(greet),
    '[[package]]\nname = "dhvt-color"\nversion = "2.0"\nsource = { registry = "https://pypi.org/simple" }',
    wheel(color),
    '',
  ].join('\n');
}

function poetryLock({ greet, color }: Wheels): string {
  const files = (file: IndexFile): string =>
    `files = [{ file = "${file.name}", hash = "sha256:${file.sha256}" }]`;
  return [
    '[[package]]\nname = "dhvt-greet"\nversion = "1.0"\noptional = false\npython-versions = "*"\ngroups = ["main"]',
    files(greet),
    '[[package]]\nname = "dhvt-color"\nversion = "2.0"\noptional = true\npython-versions = "*"\ngroups = ["main"]',
    files(color),
    '[extras]\ncolor = ["dhvt-color"]',
    '[metadata]\nlock-version = "2.1"\npython-versions = "^3.9"\ncontent-hash = "0"',
    '',
  ].join('\n');
}

/** Normalized names of the .dist-info directories in the unpacked venv. */
function distributionsIn(tree: string): string[] {
  return readdirSync(join(tree, SITE))
    .filter((name) => name.endsWith('.dist-info'))
    .map((name) => (name.split('-')[0] ?? name).toLowerCase().replace(/_/g, '-'))
    .sort();
}

describe('lock files', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet', 'dhvt-color'] });
  const wheels = async (): Promise<Wheels> => ({
    greet: await indexWheel(suite().index.url, 'dhvt-greet'),
    color: await indexWheel(suite().index.url, 'dhvt-color'),
  });

  const cases = [
    { file: 'uv.lock', write: uvLock, args: '--extras=color', color: true, run: true },
    { file: 'poetry.lock', write: poetryLock, args: '', color: false, run: false },
    { file: 'pylock.toml', write: pylock, args: '', color: false, run: false },
  ];
  for (const { file, write, args, color, run } of cases) {
    test(
      `${file}${args === '' ? '' : ` with ${args}`}: the locked versions, hash-checked`,
      { timeout: TIMEOUT },
      async (t) => {
        const locked = await wheels();
        const dir = suite().copyFixture('locks');
        writeFileSync(join(dir, file), write(locked));
        const build = await suite().buildSourceDir(dir, { env: { DHVT_ARGS: args } });
        assert.match(
          build.log,
          new RegExp(`^dh_virtualenv: ${PKG}: installing ${file.replace('.', '\\.')}$`, 'm'),
        );
        const converted = readFileSync(
          join(dir, 'debian/.debhelper/dh_virtualenv', PKG, 'locked-requirements.txt'),
          'utf8',
        );
        assert.ok(
          converted.includes(`dhvt-greet==1.0 \\\n    --hash=sha256:${locked.greet.sha256}`),
          converted,
        );

        const tree = await extractDeb(build.deb(PKG));
        const present = distributionsIn(tree);
        assert.ok(present.includes('dhvt-greet'), present.join(' '));
        assert.equal(present.includes('dhvt-color'), color, present.join(' '));
        const sbom = readFileSync(join(tree, `/usr/share/doc/${PKG}/sbom.cdx.json`), 'utf8');
        assert.ok(sbom.includes(locked.greet.sha256), 'the bill of materials lacks the locked hash');

        if (!run) return;
        await purgeAfter(t, PKG);
        await installDeb(build.deb(PKG));
        assert.equal(
          (await runInstalled(`/opt/venvs/${PKG}/bin/${PKG}`)).trim(),
          'dhvt-locks: *hello from dhvt-greet*',
        );
        await purge(PKG);
      },
    );
  }
  test(
    'dh-virtualenv vendor fetches what uv.lock pins, hash-checked, and the build uses it without network',
    { timeout: TIMEOUT },
    async () => {
      const locked = await wheels();
      const dir = suite().copyFixture('locks');
      writeFileSync(join(dir, 'uv.lock'), uvLock(locked));
      const vendored = await runProcess(['dh-virtualenv', 'vendor', '--extras=color'], {
        cwd: dir,
        env: suite().env({ PIP_INDEX_URL: suite().index.url }),
      });
      assertSucceeded(vendored, 'vendoring from uv.lock');
      const lock = readFileSync(join(dir, 'debian', 'wheelhouse', 'lock.toml'), 'utf8');
      for (const file of [locked.greet, locked.color]) {
        assert.ok(lock.includes(`file = "${file.name}"\nsha256 = "${file.sha256}"\nuse = "install"`), lock);
      }
      const build = await runProcess(['unshare', '-n', 'dpkg-buildpackage', '-us', '-uc', '-b'], {
        cwd: dir,
        env: suite().env({ HOME: '/nonexistent', DHVT_ARGS: '--extras=color' }),
      });
      assertSucceeded(build, 'building from the wheelhouse without network');
      assert.match(build.output, /^dh_virtualenv: dhvt-locks: installing uv\.lock$/m);
      const deb = readdirSync(dirname(dir)).find(
        (file) => file.startsWith(`${PKG}_`) && file.endsWith('.deb'),
      );
      assert.ok(deb !== undefined, 'no .deb');
      const present = distributionsIn(await extractDeb(join(dirname(dir), deb)));
      assert.deepEqual(
        present.filter((name) => name.startsWith('dhvt-')),
        ['dhvt-color', 'dhvt-greet', 'dhvt-locks'],
      );
    },
  );
});
