import assert from 'node:assert/strict';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  addVenvShlibdeps,
  isSharedObjectOrExecutable,
  parseSubstvarLines,
  privateLibraryDirs,
  shlibdepsCommand,
  venvBinaries,
} from '../../../src/build/shlibdeps';
import { optionsFrom, recordingLogger, recordingRunner, tempDir, writeFile } from '../helpers';

/** An ELF header of the given class, byte order and e_type, padded to the 18 bytes that are read. */
function elfHeader(type: number, bigEndian = false): Buffer {
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header[4] = 2; // 64-bit
  header[5] = bigEndian ? 2 : 1;
  if (bigEndian) header.writeUInt16BE(type, 16);
  else header.writeUInt16LE(type, 16);
  return header;
}

test('isSharedObjectOrExecutable takes ET_EXEC and ET_DYN, in either byte order, and nothing else', () => {
  // [header, expected]
  const cases: [Buffer, boolean][] = [
    [elfHeader(3), true],
    [elfHeader(2), true],
    [elfHeader(3, true), true],
    [elfHeader(1), false], // a relocatable object (.o)
    [elfHeader(4), false], // a core file
    [Buffer.from('#!/bin/sh\necho hello, world\n'), false],
    [elfHeader(3).subarray(0, 10), false],
    [Buffer.alloc(0), false],
  ];
  for (const [header, expected] of cases) {
    assert.equal(isSharedObjectOrExecutable(header), expected, header.subarray(0, 18).toString('hex'));
  }
});

/** debian/<pkg> with a venv holding a wheel's extension, two bundled libraries, a script and a symlink. */
function packageTree(): { tree: string; site: string } {
  const tree = join(tempDir('shlibdeps'), 'debian', 'app');
  const site = join(tree, 'opt/venvs/app/lib/python3.11/site-packages');
  writeFile(join(site, 'pkg/_core.cpython-311-x86_64-linux-gnu.so'), elfHeader(3));
  writeFile(join(site, 'pkg.libs/libb-12345678.so.1'), elfHeader(3));
  writeFile(join(site, 'pkg.libs/liba-87654321.so.1'), elfHeader(3));
  writeFile(join(site, 'pkg/__init__.py'), 'from pkg._core import f\n');
  writeFile(join(site, 'pkg/data.o'), elfHeader(1));
  symlinkSync('libb-12345678.so.1', join(site, 'pkg.libs/libb.so'));
  // Outside site-packages: dh_shlibdeps' business.
  writeFile(join(tree, 'opt/venvs/app/bin/tool'), elfHeader(2), 0o755);
  writeFile(join(tree, 'usr/lib/app/helper.so'), elfHeader(3));
  return { tree, site };
}

test('venvBinaries lists the ELF files under site-packages, and no symlink', () => {
  const { tree, site } = packageTree();
  assert.deepEqual(venvBinaries(tree), [
    join(site, 'pkg.libs/liba-87654321.so.1'),
    join(site, 'pkg.libs/libb-12345678.so.1'),
    join(site, 'pkg/_core.cpython-311-x86_64-linux-gnu.so'),
  ]);
});

test('the directories holding them become private library directories, as paths in the package', () => {
  const { tree } = packageTree();
  const binaries = venvBinaries(tree);
  assert.deepEqual(privateLibraryDirs(tree, binaries), [
    '/opt/venvs/app/lib/python3.11/site-packages/pkg',
    '/opt/venvs/app/lib/python3.11/site-packages/pkg.libs',
  ]);
  assert.deepEqual(shlibdepsCommand(tree, binaries), [
    'dpkg-shlibdeps',
    '-O',
    '--warnings=0',
    '-l/opt/venvs/app/lib/python3.11/site-packages/pkg',
    '-l/opt/venvs/app/lib/python3.11/site-packages/pkg.libs',
    ...binaries,
  ]);
});

test('parseSubstvarLines reads what dpkg-shlibdeps -O prints, skipping empty values', () => {
  assert.deepEqual(
    [
      ...parseSubstvarLines(
        'shlibs:Depends=libc6 (>= 2.34), zlib1g (>= 1:1.1.4)\nshlibs:Pre-Depends=\nsomething else\n',
      ),
    ],
    [['shlibs:Depends', 'libc6 (>= 2.34), zlib1g (>= 1:1.1.4)']],
  );
  assert.deepEqual([...parseSubstvarLines('')], []);
});

test('addVenvShlibdeps merges into each package acted on, and skips those with no venv binaries', () => {
  const { tree } = packageTree();
  const cwd = join(tree, '..', '..');
  writeFile(join(cwd, 'debian/control'), 'Source: app\n');
  writeFile(join(cwd, 'debian/app.substvars'), 'shlibs:Depends=libc6 (>= 2.14), libpq5\n');
  writeFile(join(cwd, 'debian/app-doc/usr/share/doc/app-doc/README'), 'nothing compiled here\n');
  const runner = recordingRunner((argv) => {
    if (argv[0] === 'dh_listpackages') return 'app\napp-doc\nmissing-tree\n';
    if (argv[0] === 'dpkg-shlibdeps') return 'shlibs:Depends=libc6 (>= 2.34), zlib1g (>= 1:1.1.4)\n';
    return '';
  });
  const logger = recordingLogger();
  addVenvShlibdeps({ options: optionsFrom(['-a']), runner, logger, hostEnv: { DH_OPTIONS: '-X' }, cwd });
  assert.deepEqual(
    runner.calls.map((call) => call.argv[0]),
    ['dh_listpackages', 'dpkg-shlibdeps'],
  );
  assert.deepEqual(runner.calls[0]?.argv, ['dh_listpackages', '-a']);
  assert.equal(runner.calls[1]?.options.cwd, cwd);
  assert.equal(
    readFileSync(join(cwd, 'debian/app.substvars'), 'utf8'),
    'shlibs:Depends=libc6 (>= 2.34), libpq5, zlib1g (>= 1:1.1.4)\n',
  );
  assert.ok(
    logger.entries.some(
      (entry) => entry.kind === 'progress' && /reading 3 shared object\(s\) of the venv/.test(entry.message),
    ),
  );
});
