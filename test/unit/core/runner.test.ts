import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandFailedError } from '../../../src/core/errors';
import { processRunner } from '../../../src/core/runner';
import { recordingLogger, tempDir } from '../helpers';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

test('run and capture execute an argument vector, no shell, and log each command first', () => {
  const logger = recordingLogger();
  const runner = processRunner(logger);
  const dir = tempDir('runner');
  runner.run(['true'], { env });
  assert.equal(runner.capture(['printf', '%s\\n', 'a b', '$HOME;'], { env }), 'a b\n$HOME;');
  assert.equal(runner.capture(['pwd'], { env, cwd: dir }), dir);
  assert.equal(runner.capture(['sh', '-c', 'echo "$ONLY_THIS"'], { env: { ...env, ONLY_THIS: 'x' } }), 'x');
  assert.equal(runner.capture(['sh', '-c', 'echo "${HOME-unset}"'], { env }), 'unset');
  assert.deepEqual(logger.entries, [
    { kind: 'command', argv: ['true'] },
    { kind: 'command', argv: ['printf', '%s\\n', 'a b', '$HOME;'] },
    { kind: 'command', argv: ['pwd'], cwd: dir },
    { kind: 'command', argv: ['sh', '-c', 'echo "$ONLY_THIS"'] },
    { kind: 'command', argv: ['sh', '-c', 'echo "${HOME-unset}"'] },
  ]);
});

test('failures become CommandFailedError with status, signal and the tail of stderr', () => {
  const runner = processRunner(recordingLogger());
  // [argv, status, signal, message, stderr tail]
  const cases: [string[], number | null, string | null, RegExp, string][] = [
    [['false'], 1, null, /^false returned exit code 1$/, ''],
    [['sh', '-c', 'echo oops >&2; exit 3'], 3, null, /^sh returned exit code 3$/, 'oops'],
    [['sh', '-c', 'kill -TERM $$'], null, 'SIGTERM', /^sh died with signal SIGTERM$/, ''],
    [
      ['sh', '-c', 'i=1; while [ $i -le 20 ]; do echo line$i >&2; i=$((i+1)); done; exit 1'],
      1,
      null,
      /exit code 1/,
      Array.from({ length: 15 }, (_, i) => `line${i + 6}`).join('\n'),
    ],
  ];
  for (const [argv, status, signal, message, stderrTail] of cases) {
    for (const capture of [true, false]) {
      if (!capture && stderrTail !== '') continue; // run() lets stderr through to the build log
      assert.throws(
        () => (capture ? runner.capture(argv, { env }) : runner.run(argv, { env })),
        (error: unknown) => {
          assert.ok(error instanceof CommandFailedError);
          assert.match(error.message, message);
          assert.deepEqual(
            [error.argv, error.status, error.signal, error.stderrTail],
            [argv, status, signal, stderrTail],
          );
          return true;
        },
      );
    }
  }
});

test('a program that cannot be started is reported as such', () => {
  const runner = processRunner(recordingLogger());
  assert.throws(
    () => runner.run(['/nonexistent/dh-virtualenv-test'], { env }),
    (error: unknown) =>
      error instanceof CommandFailedError &&
      /^could not run \/nonexistent\/dh-virtualenv-test: .*ENOENT/.test(error.message) &&
      error.spawnError !== undefined,
  );
  assert.throws(() => runner.run([], { env }), /internal error: empty command/);
});
