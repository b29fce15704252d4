/**
 * The options of `dh-virtualenv init`, in one table that feeds the parser, `--help` and the manual page, and
 * the frozen object they are resolved into. Flags fill what the project's metadata does not say, or override
 * it; none has a made-up default.
 */
import { isAbsolute } from 'node:path';
import { UsageError } from '../core/errors';
import type { Logger } from '../core/log';
import type { OptionSpec } from '../core/option-table';
import type { Runner } from '../core/runner';
import type { ParsedWords } from '../subcommand';

export const INIT_OPTIONS: readonly OptionSpec[] = [
  {
    long: 'maintainer',
    kind: 'value',
    metavar: '"NAME <EMAIL>"',
    help: 'Maintainer of the package. Default: DEBFULLNAME and DEBEMAIL, else git config user.name and user.email.',
  },
  {
    long: 'package',
    kind: 'value',
    metavar: 'NAME',
    help: 'Source and binary package name. Default: the project name, normalized.',
  },
  {
    long: 'version',
    kind: 'value',
    metavar: 'VERSION',
    help: "The project's version, where the metadata gives none statically.",
  },
  {
    long: 'description',
    kind: 'value',
    metavar: 'SYNOPSIS',
    help: "One-line description, instead of the project's summary.",
  },
  {
    long: 'license',
    kind: 'value',
    metavar: 'SPDX-EXPRESSION',
    help: "The project's license as an SPDX expression (MIT, Apache-2.0, GPL-3.0-or-later OR MIT, ...).",
  },
  {
    long: 'copyright',
    kind: 'list',
    metavar: '"YEARS HOLDER"',
    help: "Copyright holder for debian/copyright, instead of the license files' notices or the authors; repeatable.",
  },
  {
    long: 'python',
    kind: 'value',
    metavar: 'EXECUTABLE',
    help: 'Interpreter for the virtualenv (dh_virtualenv --python), e.g. python3.12. Default: /usr/bin/python3',
  },
  {
    long: 'install-root',
    kind: 'value',
    metavar: 'DIR',
    help: 'Directory the virtualenv goes under (DH_VIRTUALENV_INSTALL_ROOT in debian/rules). Default: /opt/venvs',
  },
  {
    long: 'service',
    kind: 'value',
    metavar: 'SCRIPT',
    help: 'Also write a systemd unit that runs the console script SCRIPT as a dedicated system user.',
  },
  {
    long: 'user',
    kind: 'value',
    metavar: 'NAME',
    help: 'With --service: the system user. Default: the package name.',
  },
  {
    long: 'force',
    short: 'f',
    kind: 'flag',
    help: 'Overwrite the files init writes in an existing debian/.',
  },
];

export const DEFAULT_INSTALL_ROOT = '/opt/venvs';

export interface InitOptions {
  readonly maintainer: string | undefined;
  readonly packageName: string | undefined;
  readonly version: string | undefined;
  readonly description: string | undefined;
  readonly license: string | undefined;
  readonly copyright: readonly string[];
  readonly python: string | undefined;
  /** undefined: dh_virtualenv's default, /opt/venvs, and nothing about it in debian/rules. */
  readonly installRoot: string | undefined;
  readonly service: string | undefined;
  readonly user: string | undefined;
  readonly force: boolean;
  readonly verbose: boolean;
}

/** What every step of init gets. */
export interface InitContext {
  readonly options: InitOptions;
  readonly runner: Runner;
  readonly logger: Logger;
  /** The environment init was started with: DEBFULLNAME, DEBEMAIL, SOURCE_DATE_EPOCH, PATH, PIP_*. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The project's top directory, where debian/ is written. */
  readonly projectDir: string;
  readonly now: () => Date;
}

// The install root ends up in debian/rules, the links, the unit file and maintainer scripts: plain characters.
const PLAIN_PATH = /^\/[A-Za-z0-9._+@:/-]*$/;

export function resolveInitOptions(
  words: ParsedWords,
  env: Readonly<Record<string, string | undefined>>,
): InitOptions {
  if (words.operands.length > 0) {
    throw new UsageError(
      `unexpected argument "${words.operands[0] ?? ''}"; run init in the project's top directory`,
    );
  }
  const value = (name: string): string | undefined => {
    const given = words.values.get(name);
    if (given !== undefined && given.trim() === '') throw new UsageError(`--${name} needs a value`);
    return given?.trim();
  };
  const installRoot = value('install-root')?.replace(/(.)\/+$/, '$1');
  if (
    installRoot !== undefined &&
    (!isAbsolute(installRoot) || !PLAIN_PATH.test(installRoot) || installRoot === '/')
  ) {
    throw new UsageError(
      `--install-root ${installRoot}: give an absolute directory of letters, digits and ._+@:/-`,
    );
  }
  const service = value('service');
  const user = value('user');
  if (user !== undefined && service === undefined)
    throw new UsageError('--user only makes sense with --service SCRIPT');
  return Object.freeze({
    maintainer: value('maintainer'),
    packageName: value('package'),
    version: value('version'),
    description: value('description'),
    license: value('license'),
    copyright: Object.freeze(
      (words.lists.get('copyright') ?? []).map((holder) => holder.trim()).filter(Boolean),
    ),
    python: value('python'),
    installRoot: installRoot === DEFAULT_INSTALL_ROOT ? undefined : installRoot,
    service,
    user,
    force: words.flags.has('force'),
    verbose: words.flags.has('verbose') || env.DH_VERBOSE === '1',
  });
}
