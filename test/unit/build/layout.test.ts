import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageLayout, venvBin } from '../../../src/build/layout';
import { optionsFrom } from '../helpers';

test('packageLayout: where the venv goes, at build time and once installed', () => {
  // [argv, DH_VIRTUALENV_INSTALL_ROOT, expected finalDir, expected sourceDir]
  const cases: [string[], string | undefined, string, string][] = [
    [[], undefined, '/opt/venvs/hello', '/build/src'],
    [['--install-suffix=myapp'], undefined, '/opt/venvs/myapp', '/build/src'],
    [['--install-suffix=group/app/'], undefined, '/opt/venvs/group/app', '/build/src'],
    [[], '/srv/venvs/', '/srv/venvs/hello', '/build/src'],
    [['--install-suffix', 'app'], '/usr/lib/venvs', '/usr/lib/venvs/app', '/build/src'],
    [['-Dpython'], undefined, '/opt/venvs/hello', '/build/src/python'],
    [['-D', './python/'], undefined, '/opt/venvs/hello', '/build/src/python'],
    [['--sourcedirectory=/elsewhere/project'], undefined, '/opt/venvs/hello', '/elsewhere/project'],
  ];
  for (const [argv, root, finalDir, sourceDir] of cases) {
    const layout = packageLayout(
      'hello',
      optionsFrom(argv, { DH_VIRTUALENV_INSTALL_ROOT: root }),
      '/build/src',
    );
    assert.deepEqual(
      layout,
      {
        packageName: 'hello',
        finalDir,
        stagingDir: `/build/src/debian/hello${finalDir}`,
        packageTree: '/build/src/debian/hello',
        sourceDir,
      },
      argv.join(' '),
    );
    assert.ok(Object.isFrozen(layout));
  }
});

test('venvBin names a program in the staging bin/', () => {
  const layout = packageLayout('hello', optionsFrom([]), '/build/src');
  assert.equal(venvBin(layout, 'pip-sync'), '/build/src/debian/hello/opt/venvs/hello/bin/pip-sync');
});
