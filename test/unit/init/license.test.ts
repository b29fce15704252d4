import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../src/core/errors';
import {
  debianExpression,
  licenseFromClassifiers,
  licenseFromFreeForm,
  licensesIn,
  parseSpdx,
} from '../../../src/init/license';

test('SPDX expressions become copyright-format license specifications', () => {
  // [SPDX, debian/copyright]
  const cases: [string, string][] = [
    ['MIT', 'Expat'],
    ['mit', 'Expat'],
    ['Apache-2.0', 'Apache-2.0'],
    ['BSD-2-Clause', 'BSD-2-clause'],
    ['BSD-3-Clause', 'BSD-3-clause'],
    ['GPL-2.0-only', 'GPL-2'],
    ['GPL-2.0-or-later', 'GPL-2+'],
    ['GPL-2.0', 'GPL-2'],
    ['GPL-2.0+', 'GPL-2+'],
    ['GPL-3.0-or-later', 'GPL-3+'],
    ['LGPL-2.1-only', 'LGPL-2.1'],
    ['LGPL-2.1-or-later', 'LGPL-2.1+'],
    ['LGPL-3.0-or-later', 'LGPL-3+'],
    ['AGPL-3.0-only', 'AGPL-3'],
    ['MPL-2.0', 'MPL-2.0'],
    ['ISC', 'ISC'],
    ['Artistic-1.0-Perl', 'Artistic'],
    ['PSF-2.0', 'PSF-2.0'],
    ['MIT OR Apache-2.0', 'Expat or Apache-2.0'],
    ['Apache-2.0 AND MIT', 'Apache-2.0 and Expat'],
    ['(MIT OR Apache-2.0) AND BSD-3-Clause', 'Expat or Apache-2.0, and BSD-3-clause'],
    ['MIT AND BSD-3-Clause OR GPL-2.0-or-later', 'Expat and BSD-3-clause or GPL-2+'],
    ['GPL-2.0-or-later WITH Classpath-exception-2.0', 'GPL-2+ with Classpath exception'],
    ['Apache-2.0 WITH LLVM-exception', 'Apache-2.0 with LLVM exception'],
    ['LicenseRef-Company-Internal', 'LicenseRef-Company-Internal'],
  ];
  for (const [spdx, debian] of cases) assert.equal(debianExpression(parseSpdx(spdx)), debian, spdx);
});

test('licensesIn names each license of an expression once', () => {
  const names = licensesIn(parseSpdx('(MIT OR Apache-2.0) AND (MIT OR GPL-3.0-or-later)')).map((l) => l.id);
  assert.deepEqual(names, ['MIT', 'Apache-2.0', 'GPL-3.0-or-later']);
});

test('what is not an SPDX expression is refused, naming --license', () => {
  for (const bad of [
    '',
    'MIT OR',
    'MIT AND (Apache-2.0',
    'OR MIT',
    'MIT Apache-2.0',
    'GPL-2.0 WITH',
    'Public Domain!',
  ]) {
    assert.throws(
      () => parseSpdx(bad),
      (error: unknown) => {
        assert.ok(error instanceof UsageError, bad);
        assert.match(error.message, /is not an SPDX license expression .*pass --license/);
        return true;
      },
      bad,
    );
  }
});

test('trove classifiers name a license when they name one, families only with a license file that says which', () => {
  // [classifiers, Debian names of the license files' texts, SPDX]
  const cases: [string[], (string | undefined)[], string | undefined][] = [
    [['License :: OSI Approved :: MIT License'], [], 'MIT'],
    [['Programming Language :: Python :: 3', 'License :: OSI Approved :: ISC License (ISCL)'], [], 'ISC'],
    [['License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)'], [], 'GPL-3.0-or-later'],
    [['License :: OSI Approved :: GNU General Public License v2 (GPLv2)'], [], 'GPL-2.0-only'],
    [
      ['License :: OSI Approved :: MIT License', 'License :: OSI Approved :: Apache Software License'],
      ['Apache-2.0'],
      'MIT OR Apache-2.0',
    ],
    [['License :: OSI Approved :: Apache Software License'], [], undefined],
    [['License :: OSI Approved :: Apache Software License'], ['Apache-2.0'], 'Apache-2.0'],
    [['License :: OSI Approved :: BSD License'], ['BSD-3-clause'], 'BSD-3-Clause'],
    [['License :: OSI Approved :: BSD License'], ['BSD-3-clause', 'BSD-2-clause'], undefined],
    [['License :: OSI Approved :: BSD License'], ['Expat'], undefined],
    [['License :: OSI Approved :: GNU General Public License (GPL)'], ['GPL-3'], undefined],
    [['License :: Other/Proprietary License'], [], undefined],
    [['Programming Language :: Python :: 3'], [], undefined],
    [[], [], undefined],
  ];
  for (const [classifiers, texts, expected] of cases) {
    assert.equal(licenseFromClassifiers(classifiers, texts), expected, classifiers.join(' | '));
  }
});

test('the free-form License field counts when it is an expression of known ids or a common spelling', () => {
  const cases: [string, string | undefined][] = [
    ['MIT', 'MIT'],
    ['MIT License', 'MIT'],
    ['Apache License, Version 2.0', 'Apache-2.0'],
    ['Apache 2.0', 'Apache-2.0'],
    ['new BSD', 'BSD-3-Clause'],
    ['GPLv3+', 'GPL-3.0-or-later'],
    ['BSD-3-Clause', 'BSD-3-Clause'],
    ['MIT OR Apache-2.0', 'MIT OR Apache-2.0'],
    ['BSD', undefined],
    ['GPL', undefined],
    ['Proprietary', undefined],
    ['UNKNOWN', undefined],
    ['Permission is hereby granted, free of charge,\nto any person obtaining a copy', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(licenseFromFreeForm(text), expected, text);
});
