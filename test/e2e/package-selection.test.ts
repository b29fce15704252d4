/**
 * One source, three binary packages: dh_virtualenv acts only on what -p, -N, -a and -i select, and never on
 * python3-* packages (those belong to dh_python3). Also what the installed command says about itself
 * (--help, --version).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { OPTION_TABLE } from '../../src/core/option-table';
import {
  assertNothingLeft,
  debPaths,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  useSuite,
} from './harness';
import { assertSucceeded, repoRoot } from './processes';

const TIMEOUT = 5 * 60 * 1000;
const MULTI_PACKAGES = ['dhvt-two-a', 'dhvt-two-b', 'python3-dhvt-two'];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('package selection', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet'] });

  test(
    '-p selects the package; a python3-* package is skipped even when selected',
    { timeout: TIMEOUT },
    async (t) => {
      const build = await suite().buildPackage('multi');
      assert.deepEqual([...build.debs.keys()].sort(), ['dhvt-two-a', 'dhvt-two-b', 'python3-dhvt-two']);
      assert.match(build.log, /^dh_virtualenv: dhvt-two-a: creating \/opt\/venvs\/dhvt-two-a /m);
      assert.doesNotMatch(build.log, /^dh_virtualenv: (dhvt-two-b|python3-dhvt-two):/m);

      const a = await debPaths(build.deb('dhvt-two-a'));
      assert.ok(a.includes('/opt/venvs/dhvt-two-a/bin/dhvt-two'), 'the selected package has the venv');
      for (const other of ['dhvt-two-b', 'python3-dhvt-two']) {
        const paths = await debPaths(build.deb(other));
        assert.deepEqual(
          paths.filter((path) => path.startsWith('/opt')),
          [],
          `${other} must not get a virtualenv`,
        );
      }

      await purgeAfter(t, 'dhvt-two-a');
      await installDeb(build.deb('dhvt-two-a'));
      const output = await runInstalled('/opt/venvs/dhvt-two-a/bin/dhvt-two');
      assert.equal(output.trim(), 'dhvt-two: hello from dhvt-greet (prefix /opt/venvs/dhvt-two-a)');
      await purge('dhvt-two-a');
      assertNothingLeft('/opt/venvs/dhvt-two-a');
    },
  );

  test('-N, -a and -i select packages as debhelper does', { timeout: TIMEOUT }, async () => {
    // dh_virtualenv run by itself, as an override would; --skip-install keeps each run to creating the venv.
    const selections: [readonly string[], string][] = [
      [['-N', 'dhvt-two-a'], 'dhvt-two-b'],
      [['-a'], 'dhvt-two-a'], // Architecture: any
      [['-i'], 'dhvt-two-b'], // Architecture: all, like python3-dhvt-two, which is never ours
    ];
    for (const [args, selected] of selections) {
      const copy = suite().copyFixture('multi');
      const result = await suite().runDhVirtualenv(copy, [...args, '--skip-install']);
      assertSucceeded(result, `dh_virtualenv ${args.join(' ')}`);
      assert.match(
        result.stdout,
        new RegExp(`^dh_virtualenv: ${selected}: creating /opt/venvs/${selected} `, 'm'),
      );
      assert.ok(existsSync(join(copy, 'debian', selected, 'opt/venvs', selected, 'bin/python')));
      for (const name of MULTI_PACKAGES.filter((other) => other !== selected)) {
        const opt = join(copy, 'debian', name, 'opt');
        assert.ok(!existsSync(opt), `dh_virtualenv ${args.join(' ')} made ${opt}`);
      }
    }
  });

  test('--help lists every option, --version names the version', { timeout: TIMEOUT }, async () => {
    const dir = suite().copyFixture('multi');
    const help = await suite().runDhVirtualenv(dir, ['--help']);
    assertSucceeded(help, 'dh_virtualenv --help');
    for (const spec of OPTION_TABLE) {
      const label = `${spec.short === undefined ? '' : `-${spec.short}, `}--${spec.long}`;
      const listed = new RegExp(`(^|\\s)${escapeRegExp(label)}(\\s|$)`, 'm').test(help.stdout);
      assert.equal(listed, spec.internal !== true, `${label} in --help:\n${help.stdout}`);
    }

    const version = await suite().runDhVirtualenv(dir, ['--version']);
    assertSucceeded(version, 'dh_virtualenv --version');
    const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(version.stdout, `dh_virtualenv ${manifest.version}\n`);
  });
});
