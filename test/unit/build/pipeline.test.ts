import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CommandFailedError, StepFailedError } from '../../../src/core/errors';
import type { PackageLayout } from '../../../src/build/layout';
import { compileByteCode, fixPaths, writePackageMetadata, type Context } from '../../../src/build/pipeline';
import { optionsFrom, recordingLogger, recordingRunner, tempDir, writeFile } from '../helpers';

/** A staging venv under a temporary debian/hello, and a Context whose Runner fails as `failWith` says. */
function staged(argv: readonly string[], failWith?: { status: number | null; signal?: string }) {
  const cwd = tempDir('pipeline');
  const packageTree = join(cwd, 'debian/hello');
  const layout: PackageLayout = {
    packageName: 'hello',
    finalDir: '/opt/venvs/hello',
    stagingDir: join(packageTree, 'opt/venvs/hello'),
    packageTree,
    sourceDir: cwd,
  };
  writeFile(join(layout.stagingDir, 'lib/python3.11/site-packages/hello.py'), '');
  const runner = recordingRunner((command) => {
    if (command.includes('dpkg-query')) return 'python3.11-minimal: /usr/bin/python3.11';
    if (failWith !== undefined && command.includes('compileall')) {
      throw new CommandFailedError(command, failWith.status, failWith.signal ?? null, '');
    }
    return '';
  });
  const logger = recordingLogger();
  const context: Context = {
    options: optionsFrom(argv),
    runner,
    logger,
    hostEnv: { PATH: '/usr/bin:/bin', PYTHONHASHSEED: 'random' },
    cwd,
  };
  return { cwd, layout, runner, logger, context };
}

describe('byte code', () => {
  test('by default nothing is compiled at build time', () => {
    const { layout, runner, context } = staged([]);
    fixPaths(context, layout);
    assert.deepEqual(runner.calls, []);
  });

  test('--ship-byte-code compiles lib/ for the installed path, hash-checked, with a fixed hash seed', () => {
    const { layout, runner, context } = staged(['--ship-byte-code']);
    fixPaths(context, layout);
    assert.deepEqual(
      runner.calls.map((call) => call.argv),
      [
        [
          join(layout.stagingDir, 'bin/python'),
          '-m',
          'compileall',
          '-q',
          '-d',
          '/opt/venvs/hello/lib',
          '--invalidation-mode',
          'checked-hash',
          join(layout.stagingDir, 'lib'),
        ],
      ],
    );
    const env = runner.calls[0]?.options.env ?? {};
    assert.equal(env.PYTHONHASHSEED, '0');
    assert.equal(env.PYTHONDONTWRITEBYTECODE, '1', 'the usual child environment otherwise');
  });

  test('a module that does not compile is a warning; the build goes on', () => {
    const { layout, logger, context } = staged(['--ship-byte-code'], { status: 1 });
    compileByteCode(context, layout);
    assert.deepEqual(
      logger.entries.filter((entry) => entry.kind === 'warning'),
      [
        {
          kind: 'warning',
          message: 'hello: some modules did not compile (see above); they ship without byte code',
        },
      ],
    );
  });

  test('compileall failing otherwise (killed, missing) stops the build, naming the step', () => {
    for (const failWith of [{ status: 2 }, { status: null, signal: 'SIGKILL' }]) {
      const { layout, context } = staged(['--ship-byte-code'], failWith);
      assert.throws(
        () => compileByteCode(context, layout),
        (error: unknown) =>
          error instanceof StepFailedError &&
          /^hello: compiling byte code for \/opt\/venvs\/hello failed/.test(error.message),
      );
    }
  });

  test('the maintainer scripts are told where the byte code comes from', () => {
    for (const [argv, value] of [
      [[], 'compiled-on-install'],
      [['--ship-byte-code'], 'shipped'],
    ] as const) {
      const { cwd, layout, context } = staged(argv);
      const python = { path: '/usr/bin/python3', realPath: '/usr/bin/python3.11' };
      writePackageMetadata(context, [{ options: context.options, layout, python }]);
      for (const script of ['postinst', 'prerm']) {
        const text = readFileSync(join(cwd, `debian/hello.${script}.debhelper`), 'utf8');
        assert.match(text, new RegExp(`^\\s*dh_venv_byte_code='${value}'$`, 'm'), `${script} ${value}`);
      }
    }
  });
});
