import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { UsageError } from '../../../src/core/errors';
import { checkPackageName, debianVersion, packageNameFor } from '../../../src/init/names';

test('the package name is the project name normalized as PEP 503 does, within Debian policy 5.6.1', () => {
  // [project name, package name or undefined where policy allows none]
  const cases: [string, string | undefined][] = [
    ['myapp', 'myapp'],
    ['MyApp', 'myapp'],
    ['my_app', 'my-app'],
    ['my.app', 'my-app'],
    ['My__App--Server', 'my-app-server'],
    ['zope.interface', 'zope-interface'],
    ['dhvt_Setuptools', 'dhvt-setuptools'],
    ['app2', 'app2'],
    ['2fa-tool', '2fa-tool'],
    ['x', undefined], // policy: at least two characters
    ['', undefined],
    ['_private', undefined], // must start with a letter or digit
    ['trailing-', undefined],
  ];
  for (const [project, expected] of cases) assert.equal(packageNameFor(project), expected, project);
});

test('--package is checked against policy, and the message says what is allowed', () => {
  assert.equal(checkPackageName('my-app+extra.1', '--package'), 'my-app+extra.1');
  for (const bad of ['My-App', 'a', '-app', 'my_app', 'app!']) {
    assert.throws(
      () => checkPackageName(bad, '--package'),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /--package .* is not a Debian package name: at least two of a-z 0-9/);
        return true;
      },
    );
  }
});

test('PEP 440 versions become Debian upstream versions that dpkg orders the same way', () => {
  // [PEP 440, Debian]
  const cases: [string, string | undefined][] = [
    ['1.0', '1.0'],
    ['1.0.0', '1.0.0'],
    ['v2.3', '2.3'],
    ['1.0a1', '1.0~a1'],
    ['1.0alpha1', '1.0~a1'],
    ['1.0b2', '1.0~b2'],
    ['1.0-beta.2', '1.0~b2'],
    ['1.0rc1', '1.0~rc1'],
    ['1.0c1', '1.0~rc1'],
    ['1.4.0rc2', '1.4.0~rc2'],
    ['2.0.0b1', '2.0.0~b1'],
    ['1.0.dev3', '1.0~~dev3'],
    ['1.0a1.dev2', '1.0~a1~dev2'],
    ['1.0.post1', '1.0.post1'],
    ['1.0-1', '1.0.post1'],
    ['1.0.post1.dev2', '1.0.post1~dev2'],
    ['1!2.0', '1:2.0'],
    ['1.0+local.7', '1.0+local.7'],
    ['1.0+Ubuntu_1', '1.0+ubuntu.1'],
    ['1.0rc', '1.0~rc0'],
    ['not a version', undefined],
    ['1.0-foo', undefined],
    ['', undefined],
  ];
  for (const [pep440, expected] of cases) assert.equal(debianVersion(pep440), expected, pep440);
});

test('the Debian versions sort as their PEP 440 originals, by dpkg --compare-versions', () => {
  const ordered = ['1.0.dev1', '1.0a1.dev1', '1.0a1', '1.0b1', '1.0rc1', '1.0', '1.0.post1', '1.1'].map(
    (version) => debianVersion(version) ?? '',
  );
  for (let i = 1; i < ordered.length; i++) {
    const lower = ordered[i - 1] ?? '';
    const higher = ordered[i] ?? '';
    const result = spawnSync('dpkg', ['--compare-versions', lower, 'lt', higher]);
    assert.equal(result.status, 0, `dpkg says ${lower} is not lower than ${higher}`);
  }
});
