/**
 * Issue #15, item 1: hash-checked installs. test/fixtures/hashes builds with --extra-pip-arg=--require-hashes
 * and --build-constraints; the test writes its requirements.txt (pinned, with --hash options) and
 * build-constraints.txt from the files its index serves. The good build installs and runs; a requirement whose
 * hash is not that of the file served (the index serving a tampered file), a requirement the file leaves out,
 * and a build constraint no index can satisfy each stop the build with an error naming the distribution.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { extractDeb, installDeb, purge, purgeAfter, runInstalled, useSuite } from './harness';
import { indexWheel, type IndexFile } from './index-files';

const TIMEOUT = 10 * 60 * 1000;
const PKG = 'dhvt-hashes';
const ARGS = ['--extra-pip-arg=--require-hashes', '--build-constraints=build-constraints.txt'];

/** A requirements line as pip-compile --generate-hashes writes it. */
function pinned(project: string, file: IndexFile, sha256 = file.sha256): string {
  const version = file.name.split('-')[1] ?? '';
  return `${project}==${version} \\\n    --hash=sha256:${sha256}\n`;
}

describe('hash-checked requirements', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet', 'dhvt-color'] });

  /** A copy of the fixture with the requirements and build constraints given. */
  const source = (requirements: string, buildConstraints: string): string => {
    const dir = suite().copyFixture('hashes');
    writeFileSync(join(dir, 'requirements.txt'), requirements);
    writeFileSync(join(dir, 'build-constraints.txt'), buildConstraints);
    return dir;
  };
  const wheels = async (): Promise<{ greet: IndexFile; color: IndexFile; setuptools: IndexFile }> => ({
    greet: await indexWheel(suite().index.url, 'dhvt-greet'),
    color: await indexWheel(suite().index.url, 'dhvt-color'),
    setuptools: await indexWheel(suite().index.url, 'setuptools'),
  });

  test(
    'every requirement hash-checked, the project installed without, build requirements pinned',
    { timeout: TIMEOUT },
    async (t) => {
      const { greet, color, setuptools } = await wheels();
      const dir = source(
        pinned('dhvt-greet', greet) + pinned('dhvt-color', color),
        // With its hash, as a lock would give it: pip gets the pin without the hash (docs/supply-chain.md).
        pinned('setuptools', setuptools),
      );
      const build = await suite().buildSourceDir(dir);
      // The project's install ran without --require-hashes (it would have failed: a directory has no hash).
      assert.match(build.log, /dh_virtualenv: dhvt-hashes: installing the project/);
      const tree = await extractDeb(build.deb(PKG));
      const sbom = readFileSync(join(tree, `/usr/share/doc/${PKG}/sbom.cdx.json`), 'utf8');
      for (const file of [greet, color])
        assert.ok(sbom.includes(file.sha256), `${file.name}: hash not recorded`);
      // pip's copy of the build constraints has the pin and no hash.
      assert.equal(
        readFileSync(join(dir, 'debian/.debhelper/dh_virtualenv', PKG, 'build-constraints.txt'), 'utf8'),
        `setuptools==${setuptools.name.split('-')[1] ?? ''}\n`,
      );

      await purgeAfter(t, PKG);
      await installDeb(build.deb(PKG));
      assert.equal(
        (await runInstalled(`/opt/venvs/${PKG}/bin/${PKG}`)).trim(),
        'dhvt-hashes: *hello from dhvt-greet*',
      );
      await purge(PKG);
    },
  );

  test('a file that is not the one hashed stops the build with an error naming it and both hashes', async () => {
    const { greet, color, setuptools } = await wheels();
    const locked = 'f'.repeat(64);
    const dir = source(
      pinned('dhvt-greet', greet) + pinned('dhvt-color', color, locked),
      pinned('setuptools', setuptools),
    );
    const result = await suite().runDhVirtualenv(dir, ARGS);
    assert.notEqual(result.status, 0);
    const expected =
      `dh_virtualenv: error: ${PKG}: installing requirements.txt failed: dhvt-color 2.0 (${color.url}) does not ` +
      `match its hash: expected sha256 ${locked}, got ${color.sha256}`;
    assert.ok(result.stderr.split('\n').includes(expected), `no "${expected}" in:\n${result.stderr}`);
    assert.match(result.stderr, /^dh_virtualenv: hint: .*tampered/m);
  });

  test('a dependency the hashed requirements leave out stops the build: the project run would bring it unchecked', async () => {
    const { greet, setuptools } = await wheels();
    const dir = source(pinned('dhvt-greet', greet), pinned('setuptools', setuptools));
    const result = await suite().runDhVirtualenv(dir, ARGS);
    assert.notEqual(result.status, 0);
    assert.match(
      result.stderr,
      /^dh_virtualenv: error: dhvt-hashes: checking the project added no unchecked dependency failed: the project's install also installed dhvt-color 2\.0, which requirements\.txt does not list, so they were not hash-checked; /m,
    );
  });

  test('build constraints reach the build of the project: a pin no index satisfies fails it', async () => {
    const { greet, color } = await wheels();
    const dir = source(pinned('dhvt-greet', greet) + pinned('dhvt-color', color), 'setuptools==0.0.1\n');
    const result = await suite().runDhVirtualenv(dir, ARGS);
    assert.notEqual(result.status, 0);
    assert.match(result.output, /Installing build dependencies: finished with status 'error'/);
    assert.match(result.stderr, /^dh_virtualenv: error: dhvt-hashes: installing the project failed: /m);
  });
});
