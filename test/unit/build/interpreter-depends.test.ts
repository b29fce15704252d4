import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandFailedError } from '../../../src/core/errors';
import { findInterpreterPackage, interpreterPackage } from '../../../src/build/interpreter-depends';
import { recordingRunner } from '../helpers';

const FILE = '/usr/bin/python3.11';

test('interpreterPackage reads dpkg-query -S output', () => {
  // [output, package]
  const cases: [string, string | undefined][] = [
    ['python3.11-minimal: /usr/bin/python3.11', 'python3.11'],
    ['python3.11-minimal:amd64: /usr/bin/python3.11', 'python3.11'],
    ['python3.11: /usr/bin/python3.11', 'python3.11'],
    ['pypy3: /usr/lib/pypy3/bin/pypy3\npython3.11-minimal: /usr/bin/python3.11', 'python3.11'],
    ['python3.11-minimal, python3.11-dbg: /usr/bin/python3.11', 'python3.11'],
    ['diversion by foo from: /usr/bin/python3.11\npython3.11-minimal: /usr/bin/python3.11', 'python3.11'],
    ['python3.11-minimal: /usr/bin/python3.11-config', undefined],
    ['', undefined],
  ];
  for (const [output, expected] of cases) assert.equal(interpreterPackage(output, FILE), expected, output);
});

// dpkg-query -S prints "local diversion from: <file>" (and "local diversion to: …") for a diversion made
// without --package; that line ends with ": <file>" and is taken for a package called "local diversion from".
test('interpreterPackage skips local diversions too', () => {
  const output = `local diversion from: ${FILE}\nlocal diversion to: ${FILE}.real\npython3.11-minimal: ${FILE}`;
  assert.equal(interpreterPackage(output, FILE), 'python3.11');
});

test('findInterpreterPackage asks dpkg-query about the real path; an unowned file gives undefined', () => {
  const python = { path: '/usr/bin/python3', realPath: FILE };
  const owned = recordingRunner(() => `python3.11-minimal:amd64: ${FILE}`);
  assert.equal(findInterpreterPackage(python, owned, { PATH: '/usr/bin' }), 'python3.11');
  assert.deepEqual(
    owned.calls.map((call) => [call.argv, call.options.env]),
    [[['dpkg-query', '-S', FILE], { PATH: '/usr/bin' }]],
  );
  const unowned = recordingRunner(() => {
    throw new CommandFailedError(['dpkg-query'], 1, null, 'no path found');
  });
  assert.equal(findInterpreterPackage(python, unowned, {}), undefined);
  const broken = recordingRunner(() => {
    throw new CommandFailedError(['dpkg-query'], 2, null, 'database locked');
  });
  assert.throws(() => findInterpreterPackage(python, broken, {}), CommandFailedError);
});
