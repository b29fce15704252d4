import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigurationError } from '../../../src/core/errors';
import { compareVersions, evaluateMarker, type MarkerContext } from '../../../src/build/markers';

/** Debian 12's python3 on amd64, as MARKER_ENVIRONMENT_PROBE reports it. */
const BOOKWORM: MarkerContext = {
  environment: {
    implementation_name: 'cpython',
    implementation_version: '3.11.2',
    os_name: 'posix',
    platform_machine: 'x86_64',
    platform_release: '6.1.0-18-amd64',
    platform_system: 'Linux',
    platform_version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
    python_full_version: '3.11.2',
    platform_python_implementation: 'CPython',
    python_version: '3.11',
    sys_platform: 'linux',
  },
  extras: ['postgres'],
  groups: ['web'],
};

test('markers evaluate as PEP 508 says, for the interpreter, extras and groups given', () => {
  const cases: [string, boolean][] = [
    ['python_version >= "3.9"', true],
    ['python_version < "3.10"', false],
    ["python_version >= '3.11' and sys_platform == 'linux'", true],
    ['python_full_version >= "3.11.1"', true],
    ['python_version == "3.11.*"', true],
    ['python_full_version != "3.10.*"', true],
    ['sys_platform == "win32" or platform_machine == "x86_64"', true],
    ['(sys_platform == "win32" or sys_platform == "darwin") and python_version >= "3.8"', false],
    ['platform_python_implementation != "PyPy"', true],
    ['python_version ~= "3.10"', true],
    ['python_version ~= "3.12"', false],
    ['"linux" in sys_platform', true],
    ['"arm" not in platform_machine', true],
    ['extra == "postgres"', true],
    ['extra == "Postgres"', true],
    ['extra == "mysql"', false],
    ['"postgres" in extras', true],
    ['"web" in dependency_groups and "test" not in dependency_groups', true],
    ['"3.8" < python_version', true],
  ];
  for (const [marker, expected] of cases) assert.equal(evaluateMarker(marker, BOOKWORM), expected, marker);
});

test('a marker that cannot be read is an error naming it', () => {
  for (const marker of [
    'python_version >=',
    'nonsense_variable == "1"',
    '(python_version > "3"',
    'python_version ?? "3"',
  ]) {
    assert.throws(() => evaluateMarker(marker, BOOKWORM), ConfigurationError, marker);
  }
});

test('PEP 440 ordering: releases, pre-, post- and dev releases', () => {
  const ascending = ['1.0.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0.post1', '1.1', '1.10', '2!0.1'];
  for (let i = 0; i + 1 < ascending.length; i++) {
    const [a = '', b = ''] = [ascending[i], ascending[i + 1]];
    assert.ok((compareVersions(a, b) ?? 0) < 0, `${a} < ${b}`);
  }
  assert.equal(compareVersions('3.11', '3.11.0'), 0);
  assert.equal(compareVersions('linux', '3.11'), undefined);
});
