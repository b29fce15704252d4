import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigurationError } from '../../../src/core/errors';
import { isLeftToDhPython, listPackagesCommand, selectPackages } from '../../../src/build/package-selection';
import { optionsFrom, recordingRunner, tempDir, writeFile } from '../helpers';

test('listPackagesCommand hands -a, -i, -p and -N to dh_listpackages', () => {
  const cases: [string[], string[]][] = [
    [[], ['dh_listpackages']],
    [['-a'], ['dh_listpackages', '-a']],
    [
      ['-i', '-a'],
      ['dh_listpackages', '-a', '-i'],
    ],
    [
      ['-pfoo', '--package', 'bar'],
      ['dh_listpackages', '-p', 'foo', '-p', 'bar'],
    ],
    [
      ['-Nfoo-doc', '-pfoo'],
      ['dh_listpackages', '-p', 'foo', '-N', 'foo-doc'],
    ],
    [['-O--package=foo'], ['dh_listpackages', '-p', 'foo']],
  ];
  for (const [argv, expected] of cases)
    assert.deepEqual(listPackagesCommand(optionsFrom(argv)), expected, argv.join(' '));
});

test('isLeftToDhPython: python3-* packages belong to dh_python3', () => {
  const cases: [string, boolean][] = [
    ['python3-hello', true],
    ['python3-', true],
    ['hello', false],
    ['python-hello', false],
    ['python3hello', false],
    ['hello-python3-tools', false],
  ];
  for (const [name, left] of cases) assert.equal(isLeftToDhPython(name), left, name);
});

test('selectPackages asks dh_listpackages (without DH_OPTIONS) and skips python3-* packages', () => {
  const dir = tempDir('select');
  writeFile(join(dir, 'debian/control'), 'Source: hello\n');
  const runner = recordingRunner(() => 'hello\npython3-hello hello-tools\n');
  const packages = selectPackages(
    optionsFrom(['-a']),
    runner,
    { DH_OPTIONS: '--python=python3.11', PATH: '/usr/bin' },
    dir,
  );
  assert.deepEqual(packages, ['hello', 'hello-tools']);
  assert.deepEqual(
    runner.calls.map((call) => [call.argv, call.options.env, call.capture]),
    [[['dh_listpackages', '-a'], { PATH: '/usr/bin' }, true]],
  );
});

test('selectPackages outside a source package is a configuration error', () => {
  const dir = tempDir('select');
  const runner = recordingRunner();
  assert.throws(
    () => selectPackages(optionsFrom([]), runner, {}, dir),
    (error: unknown) =>
      error instanceof ConfigurationError && /debian\/control not found/.test(error.message),
  );
  assert.deepEqual(runner.calls, []);
});
