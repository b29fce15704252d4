import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CommandFailedError, StepFailedError } from '../../../src/core/errors';
import {
  buildLeftovers,
  explainProjectBuildFailure,
  keepingSourceTree,
  nonUtf8Names,
  printableName,
} from '../../../src/build/source-tree';
import { tempDir, writeFile } from '../helpers';

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

/** A file whose name is `café.txt` in Latin-1: not UTF-8. */
function writeLatin1Name(dir: string, ...parts: string[]): void {
  mkdirSync(join(dir, ...parts.slice(0, -1)), { recursive: true });
  writeFileSync(
    Buffer.concat([
      Buffer.from(join(dir, ...parts.slice(0, -1)) + '/'),
      Buffer.from(parts.at(-1) ?? '', 'latin1'),
    ]),
    '',
  );
}

test('printableName shows the bytes of a name that is not UTF-8', () => {
  assert.equal(printableName(Buffer.from('caf\u00e9.txt', 'latin1')), 'caf\\xe9.txt');
  assert.equal(printableName(Buffer.from('plain-name_1.txt')), 'plain-name_1.txt');
});

test('nonUtf8Names finds names that are not UTF-8, not UTF-8 ones, and not in .git or debian/', () => {
  const dir = tempDir('names');
  writeFile(join(dir, 'pkg', 'caf\u00e9-utf8.txt'), '');
  writeLatin1Name(dir, 'pkg', 'data', 'caf\u00e9.txt');
  writeLatin1Name(dir, '.git', 'caf\u00e9');
  writeLatin1Name(dir, 'debian', 'caf\u00e9');
  assert.deepEqual(nonUtf8Names(dir), ['pkg/data/caf\\xe9.txt']);
  assert.deepEqual(nonUtf8Names(join(dir, 'missing')), []);
});

test("explainProjectBuildFailure names a file name that is not UTF-8 when pip's log shows that failure", () => {
  const dir = tempDir('source');
  writeLatin1Name(dir, 'pkg', 'caf\u00e9.txt');
  const log = join(tempDir('log'), '01.log');
  const failure = new StepFailedError(
    'hello',
    'installing the project',
    new CommandFailedError(['/venv/bin/python', '-m', 'pip', 'install', '--log', log, '.'], 1, null, ''),
    'see the pip output above',
  );
  writeFileSync(
    log,
    "UnicodeEncodeError: 'utf-8' codec can't encode character '\\udce9': surrogates not allowed\n",
  );
  const explained = explainProjectBuildFailure(failure, dir);
  assert.ok(explained instanceof StepFailedError);
  assert.equal(
    explained.message,
    `hello: installing the project failed: pkg/caf\\xe9.txt in ${dir}: a file name that is not UTF-8, which ` +
      'a wheel cannot hold; rename it (for example with convmv -f latin1 -t utf8), or keep it out of the package',
  );
  // Another failure of the same build is left as pip's.
  writeFileSync(log, 'ERROR: No matching distribution found for nothing\n');
  assert.equal(explainProjectBuildFailure(failure, dir), failure);
  const other = new Error('not a step');
  assert.equal(explainProjectBuildFailure(other, dir), other);
});
