import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { installLintianOverrides, lintianOverrides } from '../../../src/build/lintian-overrides';
import { recordingLogger, tempDir, writeFile } from '../helpers';

function overrideLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

test('lintianOverrides covers the venv and each directory between /opt and it', () => {
  const cases: [string, string[]][] = [
    [
      '/opt/venvs/dhvt-a',
      [
        'dhvt-a: dir-or-file-in-opt [opt/venvs/]',
        'dhvt-a: dir-or-file-in-opt [opt/venvs/dhvt-a/*]',
        'dhvt-a: unusual-interpreter /opt/venvs/dhvt-a/bin/python* [opt/venvs/dhvt-a/bin/*]',
        'dhvt-a: script-not-executable [opt/venvs/dhvt-a/lib/*]',
        'dhvt-a: unusual-interpreter * [opt/venvs/dhvt-a/lib/*]',
        'dhvt-a: python3-script-but-no-python3-dep * [opt/venvs/dhvt-a/lib/*]',
      ],
    ],
    [
      '/opt/dhvt-a',
      [
        'dhvt-a: dir-or-file-in-opt [opt/dhvt-a/*]',
        'dhvt-a: unusual-interpreter /opt/dhvt-a/bin/python* [opt/dhvt-a/bin/*]',
        'dhvt-a: script-not-executable [opt/dhvt-a/lib/*]',
        'dhvt-a: unusual-interpreter * [opt/dhvt-a/lib/*]',
        'dhvt-a: python3-script-but-no-python3-dep * [opt/dhvt-a/lib/*]',
      ],
    ],
    [
      // Outside /opt the tag cannot fire, and an unused override would itself be reported.
      '/srv/venvs/app',
      [
        'dhvt-a: unusual-interpreter /srv/venvs/app/bin/python* [srv/venvs/app/bin/*]',
        'dhvt-a: script-not-executable [srv/venvs/app/lib/*]',
        'dhvt-a: unusual-interpreter * [srv/venvs/app/lib/*]',
        'dhvt-a: python3-script-but-no-python3-dep * [srv/venvs/app/lib/*]',
      ],
    ],
  ];
  for (const [finalDir, expected] of cases) {
    assert.deepEqual(overrideLines(lintianOverrides('dhvt-a', finalDir)), expected, finalDir);
  }
});

test('every override carries a comment saying why, by the rule lintian reads them with', () => {
  // Lintian (Lintian::Processable::Overrides) gives an override the comment lines right above it; an override
  // without one inherits the previous override's comment only when it has the same tag.
  for (const [finalDir, contents] of [
    ['/opt/venvs/dhvt-a', {}],
    ['/opt/dhvt-a', {}],
    ['/srv/venvs/app', {}],
    ['/opt/venvs/dhvt-a', { byteCode: true }],
    ['/opt/venvs/dhvt-a', { binaries: true }],
    ['/usr/share/python/dhvt-a', { binaries: true, byteCode: true }],
  ] as const) {
    let comment = '';
    let previous = { tag: '', justification: '' };
    for (const line of lintianOverrides('dhvt-a', finalDir, contents).split('\n')) {
      if (line === '') {
        comment = '';
        previous = { tag: '', justification: '' };
      } else if (line.startsWith('#')) {
        comment += line;
      } else {
        const tag = line.split(' ')[1] ?? '';
        const justification = comment !== '' ? comment : tag === previous.tag ? previous.justification : '';
        assert.notEqual(justification, '', `${finalDir}: no comment for "${line}"`);
        assert.match(justification, /^# Added by dh_virtualenv: /);
        previous = { tag, justification };
        comment = '';
      }
    }
  }
});

test('with --ship-byte-code the byte code directories lintian reports are expected too', () => {
  const plain = overrideLines(lintianOverrides('dhvt-a', '/opt/venvs/dhvt-a'));
  assert.deepEqual(overrideLines(lintianOverrides('dhvt-a', '/opt/venvs/dhvt-a', { byteCode: true })), [
    ...plain,
    'dhvt-a: package-installs-python-pycache-dir [opt/venvs/dhvt-a/lib/*]',
  ]);
  assert.ok(!plain.some((line) => line.includes('pycache')));
});

test('installLintianOverrides writes into the package tree', () => {
  const debianDir = join(tempDir('lintian'), 'debian');
  const logger = recordingLogger();
  installLintianOverrides(debianDir, 'dhvt-a', '/opt/venvs/dhvt-a', logger);
  const path = join(debianDir, 'dhvt-a/usr/share/lintian/overrides/dhvt-a');
  assert.equal(readFileSync(path, 'utf8'), lintianOverrides('dhvt-a', '/opt/venvs/dhvt-a'));
  assert.deepEqual(logger.entries, []);
});

test("a user's debian/<pkg>.lintian-overrides wins; the user is told which lines to add", () => {
  const debianDir = join(tempDir('lintian'), 'debian');
  writeFile(join(debianDir, 'dhvt-a.lintian-overrides'), 'dhvt-a: some-tag\n');
  const logger = recordingLogger();
  installLintianOverrides(debianDir, 'dhvt-a', '/opt/venvs/dhvt-a', logger);
  assert.equal(existsSync(join(debianDir, 'dhvt-a/usr/share/lintian/overrides/dhvt-a')), false);
  const [entry] = logger.entries;
  assert.equal(entry?.kind, 'warning');
  assert.match(entry?.kind === 'warning' ? entry.message : '', /dhvt-a: dir-or-file-in-opt \[opt\/venvs\/\]/);
});

test('compiled files under site-packages get the overrides of shipping wheels unstripped', () => {
  const plain = overrideLines(lintianOverrides('dhvt-a', '/opt/venvs/dhvt-a'));
  assert.deepEqual(overrideLines(lintianOverrides('dhvt-a', '/opt/venvs/dhvt-a', { binaries: true })), [
    ...plain,
    'dhvt-a: unstripped-binary-or-object [opt/venvs/dhvt-a/lib/python3*/site-packages/*]',
    'dhvt-a: embedded-library * [opt/venvs/dhvt-a/lib/python3*/site-packages/*]',
    'dhvt-a: library-not-linked-against-libc [opt/venvs/dhvt-a/lib/python3*/site-packages/*]',
    'dhvt-a: shared-library-lacks-prerequisites [opt/venvs/dhvt-a/lib/python3*/site-packages/*]',
    'dhvt-a: custom-library-search-path * [opt/venvs/dhvt-a/lib/python3*/site-packages/*]',
  ]);
  assert.deepEqual(overrideLines(lintianOverrides('dhvt-a', '/opt/venvs/dhvt-a', { gzipFiles: true })), [
    ...plain,
    'dhvt-a: package-contains-timestamped-gzip * [opt/venvs/dhvt-a/lib/python3*/site-packages/*]',
  ]);
  // Build-system mode's default root is under /usr/share, where lintian expects no compiled files.
  const underUsr = overrideLines(lintianOverrides('dhvt-a', '/usr/share/python/dhvt-a', { binaries: true }));
  assert.ok(
    underUsr.includes(
      'dhvt-a: arch-dependent-file-in-usr-share [usr/share/python/dhvt-a/lib/python3*/site-packages/*]',
    ),
  );
  assert.ok(!plain.some((line) => line.includes('unstripped')));
});

test('no overrides for "#!" modules where lib/ has none (--without-pip and a project without them)', () => {
  const plain = overrideLines(lintianOverrides('dhvt-a', '/opt/venvs/dhvt-a'));
  const without = overrideLines(lintianOverrides('dhvt-a', '/opt/venvs/dhvt-a', { moduleShebangs: false }));
  assert.deepEqual(
    plain.filter((line) => !without.includes(line)),
    [
      'dhvt-a: script-not-executable [opt/venvs/dhvt-a/lib/*]',
      'dhvt-a: unusual-interpreter * [opt/venvs/dhvt-a/lib/*]',
      'dhvt-a: python3-script-but-no-python3-dep * [opt/venvs/dhvt-a/lib/*]',
    ],
  );
  // installLintianOverrides looks at the staged venv itself.
  const debianDir = join(tempDir('lintian'), 'debian');
  const lib = join(debianDir, 'dhvt-a/opt/venvs/dhvt-a/lib/python3.11/site-packages');
  writeFile(join(lib, 'app.py'), 'print("no shebang")\n');
  installLintianOverrides(debianDir, 'dhvt-a', '/opt/venvs/dhvt-a', recordingLogger());
  const installed = join(debianDir, 'dhvt-a/usr/share/lintian/overrides/dhvt-a');
  assert.ok(!readFileSync(installed, 'utf8').includes('script-not-executable'));
  writeFile(join(lib, 'tool.py'), '#!/usr/bin/env python\n');
  installLintianOverrides(debianDir, 'dhvt-a', '/opt/venvs/dhvt-a', recordingLogger());
  assert.ok(readFileSync(installed, 'utf8').includes('script-not-executable'));
});

test('installLintianOverrides adds the gzip override only where the venv holds gzip files', () => {
  const debianDir = join(tempDir('lintian'), 'debian');
  const site = join(debianDir, 'dhvt-a/opt/venvs/dhvt-a/lib/python3.11/site-packages');
  writeFile(join(site, 'app.py'), 'print("hello")\n');
  const installed = join(debianDir, 'dhvt-a/usr/share/lintian/overrides/dhvt-a');
  installLintianOverrides(debianDir, 'dhvt-a', '/opt/venvs/dhvt-a', recordingLogger());
  assert.ok(!readFileSync(installed, 'utf8').includes('timestamped-gzip'));
  writeFile(join(site, 'data', 'table.pkl.gz'), Buffer.from([0x1f, 0x8b]));
  installLintianOverrides(debianDir, 'dhvt-a', '/opt/venvs/dhvt-a', recordingLogger());
  assert.ok(readFileSync(installed, 'utf8').includes('package-contains-timestamped-gzip'));
});
