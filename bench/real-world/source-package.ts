import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from './projects';

/** A source package `pkg` that is an empty shell around the row's requirements, written by `bench`. */
export function writeSource(dir: string, row: Row, pkg: string, bench: string): void {
  mkdirSync(join(dir, 'debian', 'source'), { recursive: true });
  writeFileSync(join(dir, 'requirements.txt'), `${row.requirements.join('\n')}\n`);
  writeFileSync(
    join(dir, 'setup.py'),
    'from setuptools import setup\n\n' +
      '# Only the requirements matter; this project is an empty shell around them.\n' +
      `setup(name="${pkg}", version="1.0", py_modules=[])\n`,
  );
  const buildDepends = [
    'debhelper-compat (= 13)',
    'python3',
    'python3-dev',
    'python3-venv',
    'python3-virtualenv',
    ...row.buildDepends,
  ];
  writeFileSync(
    join(dir, 'debian', 'control'),
    [
      `Source: ${pkg}`,
      'Section: python',
      'Priority: optional',
      'Maintainer: dh-virtualenv tests <dhvt-tests@example.invalid>',
      `Build-Depends: ${buildDepends.join(', ')}`,
      'Standards-Version: 4.6.2',
      'Rules-Requires-Root: no',
      '',
      `Package: ${pkg}`,
      'Architecture: any',
      'Depends: ${shlibs:Depends}, ${misc:Depends}',
      `Description: dh-virtualenv real-world check: ${row.project}`,
      ` Built by ${bench}.`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'debian', 'rules'), '#!/usr/bin/make -f\n\n%:\n\tdh $@ --with python-virtualenv\n');
  chmodSync(join(dir, 'debian', 'rules'), 0o755);
  writeFileSync(join(dir, 'debian', 'source', 'format'), '3.0 (native)\n');
  writeFileSync(
    join(dir, 'debian', 'changelog'),
    `${pkg} (1.0) unstable; urgency=medium\n\n` +
      '  * Real-world check of dh-virtualenv.\n\n' +
      ' -- dh-virtualenv tests <dhvt-tests@example.invalid>  Mon, 01 Jan 2024 00:00:00 +0000\n',
  );
}
