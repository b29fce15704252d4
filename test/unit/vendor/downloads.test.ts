import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  downloadArgv,
  downloadRuns,
  indexArguments,
  lockConstraints,
  missingRequirement,
  pinsOf,
  unknownUpgrades,
} from '../../../src/vendor/downloads';
import type { VendorOptions } from '../../../src/vendor/options';
import type { WheelhouseLock } from '../../../src/build/wheelhouse';

const LOCK: WheelhouseLock = {
  python: '3.11',
  platform: 'linux-x86_64',
  files: [
    {
      name: 'six',
      version: '1.17.0',
      file: 'six-1.17.0-py2.py3-none-any.whl',
      sha256: 'a'.repeat(64),
      use: 'install',
    },
    { name: 'attrs', version: '23.1.0', file: 'attrs-23.1.0.tar.gz', sha256: 'b'.repeat(64), use: 'install' },
    {
      name: 'attrs',
      version: '23.1.0',
      file: 'attrs-23.1.0-py3-none-any.whl',
      sha256: 'c'.repeat(64),
      use: 'install',
    },
    {
      name: 'setuptools',
      version: '69.0',
      file: 'setuptools-69.0-py3-none-any.whl',
      sha256: 'd'.repeat(64),
      use: 'build',
    },
  ],
};

test('lockConstraints pins every locked name once, but those let move', () => {
  // [upgrade, constraints]
  const cases: [VendorOptions['upgrade'], string[]][] = [
    [new Set(), ['attrs==23.1.0', 'setuptools==69.0', 'six==1.17.0']],
    [new Set(['six']), ['attrs==23.1.0', 'setuptools==69.0']],
    ['all', []],
  ];
  for (const [upgrade, expected] of cases) assert.deepEqual(lockConstraints(LOCK, upgrade), expected);
  assert.deepEqual(lockConstraints(undefined, new Set()), []);
});

test('unknownUpgrades names what --upgrade asks to move that nothing locked holds', () => {
  assert.deepEqual(unknownUpgrades(LOCK, new Set(['six', 'requets'])), ['requets']);
  assert.deepEqual(unknownUpgrades(undefined, new Set(['six'])), ['six']);
  assert.deepEqual(unknownUpgrades(LOCK, 'all'), []);
});

test('downloadArgv: online with the index words, offline with --no-index and only the given links', () => {
  const pip = ['/usr/bin/python3', '/usr/share/python-wheels/pip.whl/pip'];
  const inputs = { requirementFiles: ['/src/requirements.txt'], specs: ['.[web]'] };
  assert.deepEqual(
    downloadArgv(
      pip,
      '/tmp/files',
      inputs,
      { online: true, findLinks: ['/src/debian/wheelhouse'], constraints: ['/tmp/c.txt', '/tmp/b.txt'] },
      ['--index-url=https://pypi.example.org/simple'],
    ),
    [
      ...pip,
      'download',
      '--dest',
      '/tmp/files',
      '--progress-bar',
      'off',
      '--index-url=https://pypi.example.org/simple',
      '--find-links',
      '/src/debian/wheelhouse',
      '--constraint',
      '/tmp/c.txt',
      '--constraint',
      '/tmp/b.txt',
      '--requirement',
      '/src/requirements.txt',
      '.[web]',
    ],
  );
  const offline = downloadArgv(
    pip,
    '/tmp/check',
    inputs,
    { online: false, findLinks: ['/tmp/files'], constraints: [] },
    ['--index-url=x'],
  );
  assert.ok(offline.includes('--no-index'));
  assert.ok(!offline.includes('--index-url=x'));
});

test('indexArguments keeps URLs with credentials out of the words', () => {
  assert.deepEqual(indexArguments('https://pypi.example.org/simple', []), {
    args: ['--index-url=https://pypi.example.org/simple'],
    env: {},
  });
  assert.deepEqual(
    indexArguments('https://u:TOKEN@pypi.example.org/simple', ['https://x.example.org/simple']),
    {
      args: ['--extra-index-url=https://x.example.org/simple'],
      env: { PIP_INDEX_URL: 'https://u:TOKEN@pypi.example.org/simple' },
    },
  );
});

test('missingRequirement finds what an offline pip run could not find, and nothing in other failures', () => {
  const cases: [string, string | undefined][] = [
    [
      'ERROR: Could not find a version that satisfies the requirement setuptools>=61 (from versions: none)\n' +
        'ERROR: No matching distribution found for setuptools>=61',
      'setuptools>=61',
    ],
    ['ERROR: Could not find a version that satisfies the requirement wheel (from versions: none)', 'wheel'],
    ['ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.', undefined],
    ['error: subprocess-exited-with-error', undefined],
  ];
  for (const [stderr, expected] of cases) assert.equal(missingRequirement(stderr), expected, stderr);
});

test('pinsOf reads name==version pins, with extras and hashes on continuation lines', () => {
  const text = [
    '# converted from uv.lock',
    'dhvt-greet==1.0 \\',
    '    --hash=sha256:' + 'a'.repeat(64),
    'requests[socks]==2.32.3 ; python_version >= "3.8" \\',
    '    --hash=sha256:' + 'b'.repeat(64),
    'six>=1.0',
    '-r other.txt',
  ].join('\n');
  assert.deepEqual(pinsOf(text), ['dhvt-greet==1.0', 'requests==2.32.3']);
});

test('downloadRuns keeps hash-pinned requirements in a run of their own and pins the rest to them', () => {
  const texts = new Map([
    ['/src/locked.txt', 'six==1.17.0 --hash=sha256:' + 'a'.repeat(64) + '\n'],
    ['/src/plain.txt', 'attrs\n'],
  ]);
  assert.deepEqual(downloadRuns({ requirementFiles: ['/src/plain.txt'], specs: ['.'] }, texts), [
    { inputs: { requirementFiles: ['/src/plain.txt'], specs: ['.'] }, hashed: false, pins: [] },
  ]);
  assert.deepEqual(
    downloadRuns({ requirementFiles: ['/src/locked.txt', '/src/plain.txt'], specs: ['.[web]'] }, texts),
    [
      { inputs: { requirementFiles: ['/src/locked.txt'], specs: [] }, hashed: true, pins: [] },
      {
        inputs: { requirementFiles: ['/src/plain.txt'], specs: ['.[web]'] },
        hashed: false,
        pins: ['six==1.17.0'],
      },
    ],
  );
  assert.deepEqual(downloadRuns({ requirementFiles: ['/src/locked.txt'], specs: [] }, texts), [
    { inputs: { requirementFiles: ['/src/locked.txt'], specs: [] }, hashed: true, pins: [] },
  ]);
});
