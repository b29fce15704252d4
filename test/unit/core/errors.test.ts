import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CommandFailedError,
  ConfigurationError,
  StepFailedError,
  UsageError,
} from '../../../src/core/errors';
import { fromSystemError } from '../../../src/core/command';

test('each kind of error has its exit code and a message naming the command', () => {
  const cases: [Error & { exitCode: number }, number, string][] = [
    [new UsageError('bad option'), 2, 'bad option'],
    [new ConfigurationError('no debian/control'), 1, 'no debian/control'],
    [new CommandFailedError(['pip', 'install'], 2, null, ''), 1, 'pip returned exit code 2'],
    [new CommandFailedError(['pip'], null, 'SIGKILL', ''), 1, 'pip died with signal SIGKILL'],
    [new CommandFailedError(['pip'], null, null, ''), 1, 'pip returned exit code unknown'],
    [
      new CommandFailedError(['pipx'], null, null, '', 'spawnSync pipx ENOENT'),
      1,
      'could not run pipx: spawnSync pipx ENOENT',
    ],
    [
      new StepFailedError('hello', 'installing the project', new CommandFailedError(['pip'], 1, null, '')),
      1,
      'hello: installing the project failed: pip returned exit code 1',
    ],
    [
      new StepFailedError('hello', 'reading the requirements', new UsageError('x')),
      2,
      'hello: reading the requirements failed: x',
    ],
  ];
  for (const [error, exitCode, message] of cases) {
    assert.equal(error.exitCode, exitCode, message);
    assert.equal(error.message, message);
  }
});

test('fromSystemError: a failed file system call is one line naming the call, the path and what to do', () => {
  const error = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    syscall: 'write',
    path: '/build/debian/app/opt/venvs/app/bin/app',
  });
  const known = fromSystemError(error);
  assert.ok(known instanceof ConfigurationError);
  assert.equal(
    known.message,
    'write /build/debian/app/opt/venvs/app/bin/app: ENOSPC (the disk is full; free space and build again)',
  );
  assert.equal(fromSystemError(new Error('a bug')), undefined, 'not a system error: a bug, shown as one');
  assert.equal(fromSystemError('text'), undefined);
  const noPath = fromSystemError(Object.assign(new Error('x'), { code: 'EIO', syscall: 'read' }));
  assert.equal(noPath?.message, 'read: EIO');
});
