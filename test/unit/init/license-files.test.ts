import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  commonLicenseText,
  copyrightNotices,
  licenseBody,
  licenseOfText,
  readLicenseFiles,
} from '../../../src/init/license-files';
import { fixturePath } from '../../e2e/processes';
import { tempDir, writeFile } from '../helpers';

const MIT = readFileSync(fixturePath('init-hatchling', 'LICENSE'), 'utf8');
const BSD3 = readFileSync(fixturePath('init-setupcfg', 'LICENSE'), 'utf8');

test("a license file's wording says which license it is", () => {
  const cases: [string, string | undefined][] = [
    [MIT, 'Expat'],
    [BSD3, 'BSD-3-clause'],
    [BSD3.replace(/3\. Neither the name[\s\S]*?permission\.\n/, ''), 'BSD-2-clause'],
    [readFileSync('/usr/share/common-licenses/Apache-2.0', 'utf8'), 'Apache-2.0'],
    [readFileSync('/usr/share/common-licenses/GPL-3', 'utf8'), 'GPL-3'],
    [readFileSync('/usr/share/common-licenses/GPL-2', 'utf8'), 'GPL-2'],
    [readFileSync('/usr/share/common-licenses/LGPL-2.1', 'utf8'), 'LGPL-2.1'],
    [readFileSync('/usr/share/common-licenses/MPL-2.0', 'utf8'), 'MPL-2.0'],
    ['This is free and unencumbered software released into the public domain.', 'Unlicense'],
    ['All rights reserved. Do not copy.', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(licenseOfText(text), expected, text.slice(0, 60));
});

test('copyright notices become holders; templates and license boilerplate do not', () => {
  const cases: [string, string[]][] = [
    ['Copyright (c) 2024 Jane Doe', ['2024 Jane Doe']],
    ['Copyright © 2019-2024 Jane Doe <jane@example.org>', ['2019-2024 Jane Doe <jane@example.org>']],
    ['  Copyright 2020 ACME Inc. All rights reserved.', ['2020 ACME Inc']],
    ['Copyright (c) 2023, Cfg Tester\nAll rights reserved.', ['2023, Cfg Tester']],
    ['Copyright (C) 2001 A\nCopyright (C) 2002 B\nCopyright (C) 2001 A', ['2001 A', '2002 B']],
    ['Copyright [yyyy] [name of copyright owner]', []],
    ['Copyright (C) <year>  <name of author>', []],
    ['The above copyright notice and this permission notice shall be included', []],
  ];
  for (const [text, expected] of cases) assert.deepEqual(copyrightNotices(text), expected, text);
});

test("licenseBody drops the title and the copyright lines at the top, keeping the license's own words", () => {
  const body = licenseBody(MIT);
  assert.ok(body.startsWith('Permission is hereby granted'), body.slice(0, 40));
  assert.ok(body.endsWith('SOFTWARE.'));
  assert.ok(licenseBody(BSD3).startsWith('Redistribution and use'));
});

test('licenses Debian ships are referred to in /usr/share/common-licenses; "or later" is said so', () => {
  assert.equal(
    commonLicenseText('Apache-2.0'),
    'On Debian systems, the complete text of the Apache License version 2.0 can be found in "/usr/share/common-licenses/Apache-2.0".',
  );
  const gpl = commonLicenseText('GPL-3+') ?? '';
  assert.match(gpl, /either version 3 of the License, or \(at your option\) any later version\./);
  assert.match(gpl, /"\/usr\/share\/common-licenses\/GPL-3"\.$/);
  assert.equal(commonLicenseText('Expat'), undefined);
  assert.equal(commonLicenseText('AGPL-3'), undefined);
  for (const name of ['Apache-2.0', 'GPL-2', 'GPL-3', 'LGPL-2.1', 'LGPL-3', 'MPL-2.0', 'CC0-1.0']) {
    const path = /"([^"]+)"/.exec(commonLicenseText(name) ?? '')?.[1] ?? '';
    assert.ok(readFileSync(path, 'utf8').length > 0, path);
  }
});

test('the license files: those the metadata names, else LICENSE*, LICENCE* and COPYING* at the top', () => {
  const dir = tempDir('license-files');
  writeFile(join(dir, 'LICENSE-MIT'), MIT);
  writeFile(join(dir, 'COPYING'), BSD3);
  writeFile(join(dir, 'docs', 'LICENSE'), 'not at the top');
  writeFile(join(dir, 'README.md'), '# hi');
  assert.deepEqual(
    readLicenseFiles(dir, []).map((file) => [file.path, file.license]),
    [
      ['COPYING', 'BSD-3-clause'],
      ['LICENSE-MIT', 'Expat'],
    ],
  );
  assert.deepEqual(
    readLicenseFiles(dir, ['docs/LICENSE', 'missing']).map((file) => file.path),
    ['docs/LICENSE'],
  );
});
