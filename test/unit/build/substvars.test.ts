import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { addSubstvar, mergeSubstvar, writeSubstvars } from '../../../src/build/substvars';
import { tempDir, writeFile } from '../helpers';

test('addSubstvar adds an item once, sorted, like debhelper', () => {
  // [existing, expected]
  const cases: [string, string][] = [
    ['', 'misc:Depends=python3.11\n'],
    ['misc:Depends=python3.11\n', 'misc:Depends=python3.11\n'],
    ['misc:Depends=zlib1g, adduser\n', 'misc:Depends=adduser, python3.11, zlib1g\n'],
    ['misc:Depends?=foo\n', 'misc:Depends?=foo, python3.11\n'],
    ['misc:Depends=\n', 'misc:Depends=python3.11\n'],
    [
      'shlibs:Depends=libc6\nmisc:Pre-Depends=x\n',
      'shlibs:Depends=libc6\nmisc:Pre-Depends=x\nmisc:Depends=python3.11\n',
    ],
    ['misc:Dependsx=y', 'misc:Dependsx=y\nmisc:Depends=python3.11\n'],
  ];
  for (const [existing, expected] of cases)
    assert.equal(addSubstvar(existing, 'misc:Depends', 'python3.11'), expected, existing);
});

test('writeSubstvars extends debian/<pkg>.substvars and is idempotent', () => {
  const debianDir = join(tempDir('substvars'), 'debian');
  const path = writeFile(join(debianDir, 'hello.substvars'), 'shlibs:Depends=libc6\n');
  writeSubstvars(debianDir, 'hello', 'misc:Depends', ['python3.11']);
  writeSubstvars(debianDir, 'hello', 'misc:Depends', ['python3.11']);
  assert.equal(readFileSync(path, 'utf8'), 'shlibs:Depends=libc6\nmisc:Depends=python3.11\n');
  writeSubstvars(debianDir, 'other', 'misc:Depends', ['python3.11', 'adduser']);
  assert.equal(
    readFileSync(join(debianDir, 'other.substvars'), 'utf8'),
    'misc:Depends=adduser, python3.11\n',
  );
});

test('mergeSubstvar merges a Depends list into the line dh_shlibdeps wrote', () => {
  const debianDir = join(tempDir('substvars'), 'debian');
  const path = writeFile(
    join(debianDir, 'app.substvars'),
    'shlibs:Depends=libc6 (>= 2.14), libpq5 (>= 10~~)\nmisc:Depends=python3.11\n',
  );
  mergeSubstvar(debianDir, 'app', 'shlibs:Depends', 'libc6 (>= 2.34), zlib1g (>= 1:1.1.4)');
  assert.equal(
    readFileSync(path, 'utf8'),
    'shlibs:Depends=libc6 (>= 2.34), libpq5 (>= 10~~), zlib1g (>= 1:1.1.4)\nmisc:Depends=python3.11\n',
  );
  mergeSubstvar(debianDir, 'fresh', 'shlibs:Depends', 'libc6 (>= 2.14)');
  assert.equal(readFileSync(join(debianDir, 'fresh.substvars'), 'utf8'), 'shlibs:Depends=libc6 (>= 2.14)\n');
});
