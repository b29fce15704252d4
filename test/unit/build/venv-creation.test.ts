import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Interpreter } from '../../../src/core/interpreter';
import { packageLayout } from '../../../src/build/layout';
import { createVenvCommand, pipFromWheel, resetStagingDir } from '../../../src/build/venv-creation';
import { ConfigurationError } from '../../../src/core/errors';
import { optionsFrom, tempDir, writeFile } from '../helpers';

const PYTHON: Interpreter = { path: '/usr/bin/python3.11', realPath: '/usr/bin/python3.11' };
const STAGING = '/build/src/debian/hello/opt/venvs/hello';

test('createVenvCommand: virtualenv (run by the system python3) or the builtin venv module', () => {
  const virtualenv = ['/usr/bin/python3', '-m', 'virtualenv', '--python', '/usr/bin/python3.11'];
  const venv = ['/usr/bin/python3.11', '-m', 'venv'];
  const cases: [string[], string[]][] = [
    [[], [...virtualenv, STAGING]],
    [['-S'], [...virtualenv, '--system-site-packages', STAGING]],
    [['-s'], [...virtualenv, '--setuptools', 'bundle', STAGING]],
    [['-v'], [...virtualenv, '--verbose', STAGING]],
    [
      ['--extra-virtualenv-arg=--always-copy', '-vsS', '--extra-virtualenv-arg', '--no-periodic-update'],
      [
        ...virtualenv,
        '--system-site-packages',
        '--setuptools',
        'bundle',
        '--verbose',
        '--always-copy',
        '--no-periodic-update',
        STAGING,
      ],
    ],
    [['--without-pip'], [...virtualenv, '--no-seed', STAGING]],
    [
      ['--builtin-venv', '--without-pip'],
      [...venv, '--without-pip', STAGING],
    ],
    [['--builtin-venv'], [...venv, STAGING]],
    [
      ['--builtin-venv', '-S', '-v'],
      [...venv, '--system-site-packages', STAGING],
    ],
    [
      ['--builtin-venv', '--extra-virtualenv-arg=--copies', '-S'],
      [...venv, '--system-site-packages', '--copies', STAGING],
    ],
  ];
  for (const [argv, expected] of cases) {
    const options = optionsFrom(argv);
    assert.deepEqual(
      createVenvCommand(packageLayout('hello', options, '/build/src'), options, PYTHON),
      expected,
      argv.join(' '),
    );
  }
});

// The venv links to the interpreter it is made with; /usr/bin/python3 would follow the next minor upgrade.
test('createVenvCommand passes the real path of the interpreter, not the symlink given', () => {
  const python: Interpreter = { path: '/usr/bin/python3', realPath: '/usr/bin/python3.11' };
  const virtualenv = optionsFrom([]);
  assert.deepEqual(
    createVenvCommand(packageLayout('hello', virtualenv, '/build/src'), virtualenv, python).slice(3, 5),
    ['--python', '/usr/bin/python3.11'],
  );
  const venv = optionsFrom(['--builtin-venv']);
  assert.equal(
    createVenvCommand(packageLayout('hello', venv, '/build/src'), venv, python)[0],
    '/usr/bin/python3.11',
  );
});

test('resetStagingDir removes what a previous run left and keeps the package tree', () => {
  const cwd = tempDir('reset');
  const layout = packageLayout('hello', optionsFrom([]), cwd);
  writeFile(join(layout.stagingDir, 'bin/python'), 'old', 0o755);
  writeFile(join(layout.stagingDir, 'lib/python3.11/site-packages/stale.py'), 'old');
  writeFile(join(layout.packageTree, 'usr/share/doc/hello/README'), 'kept');
  resetStagingDir(layout);
  assert.ok(!existsSync(layout.stagingDir));
  assert.deepEqual(readdirSync(join(layout.packageTree, 'opt/venvs')), []);
  assert.ok(existsSync(join(layout.packageTree, 'usr/share/doc/hello/README')));
});

test('resetStagingDir on a first run creates the parent directories', () => {
  const cwd = tempDir('reset');
  mkdirSync(join(cwd, 'debian'));
  const layout = packageLayout('hello', optionsFrom([]), cwd);
  resetStagingDir(layout);
  assert.ok(!existsSync(layout.stagingDir));
  assert.ok(existsSync(join(layout.packageTree, 'opt/venvs')));
});

test("pipFromWheel: pip runs from Debian's pip wheel; without one, an error names the package to install", () => {
  const dir = tempDir('wheels');
  for (const name of [
    'setuptools-66.1.1-py3-none-any.whl',
    'pip-23.0.1-py3-none-any.whl',
    'wheel-0.38.4-py3-none-any.whl',
  ])
    writeFile(join(dir, name), '');
  assert.equal(pipFromWheel(dir), join(dir, 'pip-23.0.1-py3-none-any.whl', 'pip'));
  const empty = tempDir('no-wheels');
  for (const missing of [empty, join(empty, 'absent')]) {
    assert.throws(
      () => pipFromWheel(missing),
      (error: unknown) =>
        error instanceof ConfigurationError && /install python3-pip-whl/.test(error.message),
    );
  }
});
