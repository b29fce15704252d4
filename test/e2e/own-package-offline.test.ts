/**
 * Our own source package builds as a build daemon builds it (issue #13, item 5): from a copy of the sources
 * with no node_modules/, inside a network namespace without interfaces (`unshare -n`), with HOME=/nonexistent
 * and no npm tool on PATH, `dpkg-buildpackage -us -uc -b` bundles the commands with Debian's esbuild, runs the
 * unit tests and writes a .deb with the three commands, their manual pages and the Perl add-on.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { debPaths, extractDeb, keepTemporaryFiles } from './harness';
import { assertSucceeded, hermeticEnv, repoRoot, runProcess, SYSTEM_PATH } from './processes';
import { exportSourceTree, sourceFiles } from './source-files';

const TIMEOUT = 5 * 60 * 1000;
const COMMANDS = ['dh_virtualenv', 'dh_virtualenv_shlibdeps', 'dh-virtualenv'];

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (unshare -n); run it as root, e.g. in CI';
  if (sourceFiles(repoRoot()) === undefined) return 'the source tree is not a git checkout';
  return false;
}

describe('our own package builds offline from its Build-Depends alone', { skip: skipReason() }, () => {
  const work = mkdtempSync(join(tmpdir(), 'dhvt-own-package-'));
  after(() => {
    if (!keepTemporaryFiles()) rmSync(work, { recursive: true, force: true });
  });

  test(
    'dpkg-buildpackage -us -uc -b: no node_modules/, no network, unit tests run',
    { timeout: TIMEOUT },
    async () => {
      assert.ok(
        existsSync('/usr/bin/esbuild'),
        'Build-Depends esbuild is not installed: run "sh scripts/install-build-deps.sh" (or apt-get build-dep ./)',
      );
      assert.equal(existsSync('/nonexistent'), false, '/nonexistent exists on this machine');
      const repo = repoRoot();
      const source = join(work, 'dh-virtualenv');
      exportSourceTree(repo, source);
      assert.equal(existsSync(join(source, 'node_modules')), false);

      // PATH is the system's: no node_modules/.bin, so neither npm's esbuild nor any other npm tool is found.
      const result = await runProcess(['unshare', '-n', 'dpkg-buildpackage', '-us', '-uc', '-b'], {
        cwd: source,
        env: hermeticEnv({ HOME: '/nonexistent', PATH: SYSTEM_PATH }),
      });
      assertSucceeded(result, 'building dh-virtualenv without a network');
      assert.match(result.output, /^build\.mjs: bundling with \/usr\/bin\/esbuild \d/m);
      const passed = Number(/^ℹ pass (\d+)$/m.exec(result.output)?.[1] ?? 0);
      assert.ok(passed > 100, `the unit tests did not run in dh_auto_test (${passed} passed)`);
      assert.match(result.output, /^ℹ fail 0$/m);
      assert.equal(existsSync(join(source, 'node_modules')), false, 'the build made a node_modules/');
      assert.equal(existsSync('/nonexistent'), false, 'the build created the home directory');

      const debs = readdirSync(work).filter((name) => /^dh-virtualenv_.*_all\.deb$/.test(name));
      assert.equal(debs.length, 1, `expected one .deb in ${work}: ${readdirSync(work).join(', ')}`);
      const deb = join(work, debs[0] ?? '');
      const members = await debPaths(deb);
      const expected = [
        ...COMMANDS.map((command) => `/usr/bin/${command}`),
        ...COMMANDS.map((command) => `/usr/share/man/man1/${command}.1.gz`),
        '/usr/share/perl5/Debian/Debhelper/Sequence/python_virtualenv.pm',
        '/usr/share/perl5/Debian/Debhelper/Buildsystem/dh_virtualenv.pm',
      ];
      assert.deepEqual(
        expected.filter((path) => !members.includes(path)),
        [],
        `missing from the .deb:\n${members.join('\n')}`,
      );

      // The bundles Debian's esbuild made run.
      const extracted = await extractDeb(deb);
      for (const command of COMMANDS) {
        const version = await runProcess([join(extracted, 'usr/bin', command), '--version'], {
          env: hermeticEnv({ HOME: '/nonexistent' }),
        });
        assertSucceeded(version, `${command} --version`);
        assert.match(version.stdout, new RegExp(`^${command} \\d`));
      }
    },
  );
});
