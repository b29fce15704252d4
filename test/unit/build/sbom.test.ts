import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Origin } from '../../../src/build/install-reports';
import { distributionFromMetadata, installedDistributions } from '../../../src/build/installed-distributions';
import { billOfMaterials, contentSerialNumber, licensesOf, purlOf } from '../../../src/build/sbom';
import { tempDir, writeFile } from '../helpers';

function metadata(lines: readonly string[]): string {
  return [
    'Metadata-Version: 2.1',
    ...lines,
    '',
    'The long description.',
    'License: not a header here',
    '',
  ].join('\n');
}

function distribution(lines: readonly string[]) {
  const found = distributionFromMetadata(metadata(lines), 'lib/python3.11/site-packages/x.dist-info');
  assert.ok(found !== undefined);
  return found;
}

test('licenses: the expression, else what classifiers or the License field name unambiguously, else names', () => {
  const cases: [string[], unknown][] = [
    [
      ['Name: a', 'Version: 1', 'License-Expression: MIT OR Apache-2.0'],
      [{ expression: 'MIT OR Apache-2.0' }],
    ],
    [
      ['Name: a', 'Version: 1', 'Classifier: License :: OSI Approved :: MIT License'],
      [{ expression: 'MIT' }],
    ],
    [['Name: a', 'Version: 1', 'License: Apache 2.0'], [{ expression: 'Apache-2.0' }]],
    [
      ['Name: a', 'Version: 1', 'Classifier: License :: OSI Approved :: BSD License', 'License: Custom'],
      [{ license: { name: 'BSD License' } }, { license: { name: 'Custom' } }],
    ],
    // A whole license text in the License field is no name; UNKNOWN is setuptools' word for nothing.
    [['Name: a', 'Version: 1', 'License: Copyright (c) 2001', '        Permission is hereby granted'], []],
    [['Name: a', 'Version: 1', 'License: UNKNOWN'], []],
  ];
  for (const [lines, expected] of cases)
    assert.deepEqual(licensesOf(distribution(lines)), expected, lines.join('|'));
});

test('purls use the normalized name and percent-encode the version', () => {
  assert.equal(purlOf({ key: 'zope-interface', version: '6.0' }), 'pkg:pypi/zope-interface@6.0');
  assert.equal(purlOf({ key: 'torch', version: '2.1.0+cpu' }), 'pkg:pypi/torch@2.1.0%2Bcpu');
});

test('the venv is read from its .dist-info and .egg-info metadata, sorted by normalized name', () => {
  const venv = tempDir('venv');
  const site = join(venv, 'lib/python3.11/site-packages');
  writeFile(
    join(site, 'Zope.Interface-6.0.dist-info/METADATA'),
    metadata(['Name: Zope.Interface', 'Version: 6.0']),
  );
  writeFile(join(site, 'legacy-1.0-py3.11.egg-info/PKG-INFO'), metadata(['Name: legacy', 'Version: 1.0']));
  writeFile(join(site, 'flat-0.1-py3.11.egg-info'), metadata(['Name: flat', 'Version: 0.1']));
  writeFile(join(site, 'empty-1.0.dist-info/RECORD'), '');
  writeFile(join(site, 'six.py'), '');
  assert.deepEqual(
    installedDistributions(venv).map((d) => [d.key, d.version, d.metadataDir]),
    [
      ['flat', '0.1', 'lib/python3.11/site-packages/flat-0.1-py3.11.egg-info'],
      ['legacy', '1.0', 'lib/python3.11/site-packages/legacy-1.0-py3.11.egg-info'],
      ['zope-interface', '6.0', 'lib/python3.11/site-packages/Zope.Interface-6.0.dist-info'],
    ],
  );
});

test('the document: CycloneDX 1.5, one component per distribution, origins only for the installed version', () => {
  const origins = new Map<string, Origin>([
    [
      'six',
      {
        kind: 'index',
        version: '1.16.0',
        url: 'https://idx.example/six-1.16.0.whl',
        hashes: new Map([
          ['sha256', 'ab'],
          ['sha1', 'cd'],
          ['blake2b', 'ef'],
        ]),
        commit: undefined,
      },
    ],
    [
      'pip',
      {
        kind: 'index',
        version: '23.0',
        url: 'https://idx.example/pip.whl',
        hashes: new Map(),
        commit: undefined,
      },
    ],
    ['app', { kind: 'source tree', version: '1.0', url: undefined, hashes: new Map(), commit: undefined }],
  ]);
  const input = {
    packageName: 'hello',
    packageVersion: '1.0-1',
    finalDir: '/opt/venvs/hello',
    distributions: [
      distribution(['Name: app', 'Version: 1.0', 'Summary: The app']),
      distribution(['Name: pip', 'Version: 25.1']),
      distribution(['Name: six', 'Version: 1.16.0', 'License: MIT']),
    ],
    origins,
  };
  const text = billOfMaterials(input);
  assert.equal(billOfMaterials(input), text, 'the same input gives the same text');
  const document = JSON.parse(text) as Record<string, unknown> & { components: Record<string, unknown>[] };
  assert.equal(document.bomFormat, 'CycloneDX');
  assert.equal(document.specVersion, '1.5');
  assert.match(
    String(document.serialNumber),
    /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.ok(!text.includes('timestamp'));
  assert.deepEqual(
    document.components.map((c) => [c.name, c.version, c.purl]),
    [
      ['app', '1.0', 'pkg:pypi/app@1.0'],
      ['pip', '25.1', 'pkg:pypi/pip@25.1'],
      ['six', '1.16.0', 'pkg:pypi/six@1.16.0'],
    ],
  );
  const [app, pip, six] = document.components;
  assert.deepEqual(six?.hashes, [
    { alg: 'SHA-1', content: 'cd' },
    { alg: 'SHA-256', content: 'ab' },
  ]);
  assert.deepEqual(six?.licenses, [{ expression: 'MIT' }]);
  assert.deepEqual(six?.externalReferences, [
    { type: 'distribution', url: 'https://idx.example/six-1.16.0.whl' },
  ]);
  // pip 23.0 was installed first, then replaced by 25.1 from somewhere no report tells.
  assert.equal(pip?.hashes, undefined);
  assert.deepEqual(pip?.properties, [
    { name: 'dh-virtualenv:origin', value: 'not recorded' },
    { name: 'dh-virtualenv:metadata', value: 'lib/python3.11/site-packages/x.dist-info' },
  ]);
  assert.equal(app?.description, 'The app');
  assert.deepEqual((app?.properties as unknown[])[0], { name: 'dh-virtualenv:origin', value: 'source tree' });
  // Another content, another serial number.
  assert.notEqual(
    JSON.parse(billOfMaterials({ ...input, packageVersion: '1.0-2' })).serialNumber,
    document.serialNumber,
  );
  assert.equal(contentSerialNumber('x'), contentSerialNumber('x'));
});
