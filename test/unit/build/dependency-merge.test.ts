import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareDebianVersions, mergeDependencies } from '../../../src/build/dependency-merge';

test('compareDebianVersions orders versions as dpkg --compare-versions does', () => {
  // [older, newer]
  const cases: [string, string][] = [
    ['1.0', '1.1'],
    ['1.9', '1.10'],
    ['2.14', '2.34'],
    ['1.0~rc1', '1.0'],
    ['1.0~~', '1.0~'],
    ['10~~', '10'],
    ['1.0', '1.0a'],
    ['1.0a', '1.0+b1'],
    ['1.0', '1.0-1'],
    ['1.0-1', '1.0-2'],
    ['1.0-9', '1.0-10'],
    ['1:9.0', '2:1.0'],
    ['1.2.13.dfsg', '1:1.1.4'],
    ['5.2', '12'],
  ];
  for (const [older, newer] of cases) {
    assert.ok(compareDebianVersions(older, newer) < 0, `${older} < ${newer}`);
    assert.ok(compareDebianVersions(newer, older) > 0, `${newer} > ${older}`);
  }
  for (const [a, b] of [
    ['1.0', '0:1.0'],
    ['1:1.1.4', '1:1.1.4'],
    ['1.01', '1.1'],
  ]) {
    assert.equal(compareDebianVersions(a ?? '', b ?? ''), 0, `${a} = ${b}`);
  }
});

test('mergeDependencies keeps one entry per package, the higher minimum winning', () => {
  // [existing, added, expected]
  const cases: [string, string, string][] = [
    ['', 'libc6 (>= 2.14)', 'libc6 (>= 2.14)'],
    ['libc6 (>= 2.14)', '', 'libc6 (>= 2.14)'],
    ['libc6 (>= 2.34)', 'libc6 (>= 2.14)', 'libc6 (>= 2.34)'],
    [
      'libc6 (>= 2.14), libpq5 (>= 10~~)',
      'libc6 (>= 2.34), zlib1g (>= 1:1.1.4)',
      'libc6 (>= 2.34), libpq5 (>= 10~~), zlib1g (>= 1:1.1.4)',
    ],
    ['libfoo1', 'libfoo1 (>= 1.2)', 'libfoo1 (>= 1.2)'],
    ['libfoo1 (>= 1.2)', 'libfoo1', 'libfoo1 (>= 1.2)'],
    ['libgcc-s1 (>= 3.0)', 'libgcc-s1 (>= 4.2)', 'libgcc-s1 (>= 4.2)'],
    // Alternatives and other relations are kept as written, once.
    ['liba1 | libb1', 'liba1 | libb1, libc6', 'liba1 | libb1, libc6'],
    ['libx (<< 2)', 'libx (>= 1)', 'libx (<< 2), libx (>= 1)'],
    ['  libc6 (>=  2.14) ,libz1', 'libz1', 'libc6 (>= 2.14), libz1'],
  ];
  for (const [existing, added, expected] of cases) {
    assert.equal(mergeDependencies(existing, added), expected, `${existing} + ${added}`);
  }
});
