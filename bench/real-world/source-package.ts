import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A source package that is an empty shell project around some requirements, as the benchmarks build them. */
export interface ShellSource {
  readonly pkg: string;
  readonly requirements: readonly string[];
  /** Debian packages beyond debhelper, python3, python3-dev and python3-virtualenv. */
  readonly buildDepends: readonly string[];
  readonly compat: number;
  /** The synopsis, after "dh-virtualenv benchmark: ". */
  readonly description: string;
  /** The benchmark that writes it, for the long description. */
  readonly by: string;
}

/** Writes the shell source into `dir`, with debian/rules running `dh $@ --with python-virtualenv`. */
export function writeShellSource(dir: string, source: ShellSource): void {
  const { pkg } = source;
  mkdirSync(join(dir, 'debian', 'source'), { recursive: true });
  writeFileSync(join(dir, 'requirements.txt'), `${source.requirements.join('\n')}\n`);
  writeFileSync(
    join(dir, 'setup.py'),
    'from setuptools import setup\n\n' +
      '# Only the requirements matter; this project is an empty shell around them.\n' +
      `setup(name="${pkg}", version="1.0", py_modules=[])\n`,
  );
  const buildDepends = [
    `debhelper-compat (= ${source.compat})`,
    'python3',
    'python3-dev',
    'python3-virtualenv',
    ...source.buildDepends,
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
      `Description: dh-virtualenv benchmark: ${source.description}`,
      ` Built by ${source.by}.`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'debian', 'rules'), '#!/usr/bin/make -f\n\n%:\n\tdh $@ --with python-virtualenv\n');
  chmodSync(join(dir, 'debian', 'rules'), 0o755);
  writeFileSync(join(dir, 'debian', 'source', 'format'), '3.0 (native)\n');
  writeFileSync(
    join(dir, 'debian', 'changelog'),
    `${pkg} (1.0) unstable; urgency=medium\n\n` +
      `  * Built by ${source.by}.\n\n` +
      ' -- dh-virtualenv tests <dhvt-tests@example.invalid>  Mon, 01 Jan 2024 00:00:00 +0000\n',
  );
}
