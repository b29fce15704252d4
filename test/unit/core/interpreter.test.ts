import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigurationError } from '../../../src/core/errors';
import { findInterpreter } from '../../../src/core/interpreter';
import { tempDir, writeFile } from '../helpers';

/** bin/python3.99 (executable), bin/python3 -> python3.99, bin/python-data (not executable), empty/. */
function hostWithPython() {
  const root = tempDir('interpreter');
  const bin = join(root, 'bin');
  writeFile(join(bin, 'python3.99'), '#!/bin/sh\n', 0o755);
  symlinkSync('python3.99', join(bin, 'python3'));
  writeFile(join(bin, 'python-data'), '', 0o644);
  mkdirSync(join(root, 'empty'));
  mkdirSync(join(root, 'empty', 'python3.99'));
  return { bin, empty: join(root, 'empty') };
}

test('findInterpreter takes a path as is, and looks a bare name up on PATH', () => {
  const { bin, empty } = hostWithPython();
  const real = join(bin, 'python3.99');
  const cases: [string, string | undefined, { path: string; realPath: string }][] = [
    [real, undefined, { path: real, realPath: real }],
    [join(bin, 'python3'), '', { path: join(bin, 'python3'), realPath: real }],
    ['python3.99', `${empty}:${bin}`, { path: real, realPath: real }],
    ['python3', `${bin}:${empty}`, { path: join(bin, 'python3'), realPath: real }],
    ['python3', `::${bin}`, { path: join(bin, 'python3'), realPath: real }],
  ];
  for (const [wanted, searchPath, expected] of cases) {
    const found = findInterpreter(wanted, searchPath);
    assert.deepEqual(found, expected, `${wanted} on ${searchPath}`);
    assert.ok(Object.isFrozen(found));
  }
});

test('a missing interpreter is a configuration error naming --python', () => {
  const { bin, empty } = hostWithPython();
  const cases: [string, string | undefined, RegExp][] = [
    ['python3.0', `${empty}:${bin}`, /^--python python3\.0: the interpreter is not on PATH; install it/],
    ['python3', undefined, /^--python python3: the interpreter is not on PATH/],
    ['python-data', bin, /^--python python-data: the interpreter is not on PATH/],
    [join(bin, 'python-data'), bin, /the interpreter does not exist or is not executable/],
    [join(bin, 'nope'), bin, /^--python \/.*\/nope: the interpreter does not exist or is not executable/],
    [join(empty, 'python3.99'), bin, /does not exist or is not executable/],
  ];
  for (const [wanted, searchPath, message] of cases) {
    assert.throws(
      () => findInterpreter(wanted, searchPath),
      (error: unknown) => error instanceof ConfigurationError && message.test(error.message),
      wanted,
    );
  }
});
