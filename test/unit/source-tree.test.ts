import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildLeftovers, keepingSourceTree } from '../../src/source-tree';
import { tempDir, writeFile } from './helpers';

test('keepingSourceTree removes the build/ and *.egg-info a build made, and keeps what was there before', () => {
  const dir = tempDir('source');
  writeFile(join(dir, 'old.egg-info', 'PKG-INFO'), 'the user had this one\n');
  writeFile(join(dir, 'setup.py'), '');
  const removed = keepingSourceTree(dir, () => {
    mkdirSync(join(dir, 'build', 'lib'), { recursive: true });
    writeFile(join(dir, 'hello.egg-info', 'PKG-INFO'), '');
    writeFile(join(dir, 'src', 'hello.egg-info', 'PKG-INFO'), '');
    writeFile(join(dir, 'notes.txt'), 'anything else the build writes stays\n');
  });
  assert.deepEqual(removed, [
    join(dir, 'build'),
    join(dir, 'hello.egg-info'),
    join(dir, 'src', 'hello.egg-info'),
  ]);
  assert.deepEqual(buildLeftovers(dir), [join(dir, 'old.egg-info')]);
  assert.ok(existsSync(join(dir, 'notes.txt')) && existsSync(join(dir, 'setup.py')));
});

test('keepingSourceTree cleans up after a failed build too, and passes the failure on', () => {
  const dir = tempDir('source');
  assert.throws(
    () =>
      keepingSourceTree(dir, () => {
        writeFile(join(dir, 'hello.egg-info', 'PKG-INFO'), '');
        throw new Error('pip failed');
      }),
    /pip failed/,
  );
  assert.deepEqual(buildLeftovers(dir), []);
});
