import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeChanges } from '../../../src/vendor/changes';
import type { LockedFile, WheelhouseLock } from '../../../src/build/wheelhouse';

function lock(...files: [string, string, string, string, LockedFile['use']][]): WheelhouseLock {
  return {
    python: '3.11',
    platform: 'linux-x86_64',
    files: files.map(([name, version, file, sha256, use]) => ({ name, version, file, sha256, use })),
  };
}

test('describeChanges lists what is new, gone, moved and replaced, one line per distribution', () => {
  const before = lock(
    ['six', '1.16.0', 'six-1.16.0-py2.py3-none-any.whl', 'a', 'install'],
    ['idna', '3.4', 'idna-3.4-py3-none-any.whl', 'b', 'install'],
    ['attrs', '23.1.0', 'attrs-23.1.0-py3-none-any.whl', 'c', 'install'],
    ['same', '1.0', 'same-1.0-py3-none-any.whl', 'd', 'install'],
    ['other', '1.0', 'other-1.0.tar.gz', 'e', 'install'],
  );
  const after = lock(
    ['six', '1.17.0', 'six-1.17.0-py2.py3-none-any.whl', 'f', 'install'],
    ['attrs', '23.1.0', 'attrs-23.1.0-py3-none-any.whl', 'X', 'install'],
    ['same', '1.0', 'same-1.0-py3-none-any.whl', 'd', 'install'],
    ['other', '1.0', 'other-1.0-py3-none-any.whl', 'g', 'install'],
    ['wheel', '0.45.0', 'wheel-0.45.0-py3-none-any.whl', 'h', 'build'],
  );
  assert.deepEqual(describeChanges(before, after), [
    'attrs 23.1.0: attrs-23.1.0-py3-none-any.whl has other contents than the locked file (sha256 X)',
    '- idna 3.4',
    'other 1.0: now other-1.0-py3-none-any.whl',
    'six 1.16.0 -> 1.17.0',
    '+ wheel 0.45.0 (to build)',
  ]);
  assert.deepEqual(describeChanges(after, after), []);
  assert.deepEqual(
    describeChanges(undefined, lock(['six', '1.17.0', 'six-1.17.0-py2.py3-none-any.whl', 'f', 'install'])),
    ['+ six 1.17.0'],
  );
});
