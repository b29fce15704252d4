// Shared by the init unit tests: a project directory from files, and the context init's steps get.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { InitContext, InitOptions } from '../../../src/init/options';
import { resolveInitOptions, INIT_OPTIONS } from '../../../src/init/options';
import { COMMON_OPTIONS, parseWords } from '../../../src/subcommand';
import type { RunOptions } from '../../../src/core/runner';
import { fixturePath } from '../../e2e/processes';
import { recordingLogger, recordingRunner, tempDir, writeFile } from '../helpers';

/** A fresh project directory holding `files`. */
export function projectWith(files: Readonly<Record<string, string>>): string {
  const dir = tempDir('project');
  for (const [path, content] of Object.entries(files)) writeFile(join(dir, path), content);
  return dir;
}

/** A fresh copy of a fixture project (test/fixtures/<name>). */
export function projectCopy(fixture: string): string {
  const dir = join(tempDir('fixture'), fixture);
  cpSync(fixturePath(fixture), dir, { recursive: true });
  return dir;
}

/** `dh-virtualenv init <args>` as parsed. */
export function initOptions(args: readonly string[], env: Record<string, string> = {}): InitOptions {
  return resolveInitOptions(
    parseWords(args, [...INIT_OPTIONS, ...COMMON_OPTIONS], 'dh-virtualenv init'),
    env,
  );
}

export const FIXED_DATE = new Date('2026-11-25T12:00:00Z');

export const MAINTAINER_ENV = { DEBFULLNAME: 'Test Maintainer', DEBEMAIL: 'maint@example.org' };

/** The context init's steps get, with a runner that answers through `respond` and records every call. */
export function initContext(
  projectDir: string,
  args: readonly string[] = [],
  env: Record<string, string> = MAINTAINER_ENV,
  respond: (argv: readonly string[], options: RunOptions) => string | undefined = () => '',
) {
  const runner = recordingRunner(respond);
  const logger = recordingLogger();
  const context: InitContext = {
    options: initOptions(args, env),
    runner,
    logger,
    env,
    projectDir,
    now: () => FIXED_DATE,
  };
  return { context, runner, logger };
}
