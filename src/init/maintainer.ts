/**
 * Who maintains the package: --maintainer, else DEBFULLNAME and DEBEMAIL (as dch and dh_make read them; DEBEMAIL
 * may hold "Name <address>" by itself), else git's user.name and user.email. The project's authors are not
 * asked: writing the code and maintaining its Debian package are different jobs.
 */
import { CommandFailedError, UsageError } from '../core/errors';
import type { InitContext } from './options';

/** Policy 5.6.2: "Name <address>". */
const MAINTAINER = /^[^<>,]*[^<>,\s] <[^<>\s@]+@[^<>\s]+>$/;

export function checkMaintainer(maintainer: string, where: string): string {
  const trimmed = maintainer.trim().replace(/\s+/g, ' ');
  if (!MAINTAINER.test(trimmed)) {
    throw new UsageError(`${where} "${maintainer}" is not of the form "Full Name <address@example.org>"`);
  }
  return trimmed;
}

/** From DEBFULLNAME and DEBEMAIL, if they say enough. */
export function maintainerFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const email = env.DEBEMAIL?.trim() ?? '';
  const name = env.DEBFULLNAME?.trim() ?? '';
  const inEmail = /^(.*\S)\s*<(.+)>$/.exec(email);
  if (inEmail !== null) return `${name === '' ? (inEmail[1] ?? '') : name} <${inEmail[2] ?? ''}>`;
  return name !== '' && email !== '' ? `${name} <${email}>` : undefined;
}

function gitConfig(context: InitContext, key: string): string | undefined {
  try {
    const value = context.runner.capture(['git', 'config', '--get', key], {
      cwd: context.projectDir,
      env: { ...context.env },
    });
    return value.trim() === '' ? undefined : value.trim();
  } catch (error) {
    // Not set (exit 1), or no git at all: both mean git has no answer.
    if (error instanceof CommandFailedError) return undefined;
    throw error;
  }
}

export function findMaintainer(context: InitContext): string | undefined {
  if (context.options.maintainer !== undefined)
    return checkMaintainer(context.options.maintainer, '--maintainer');
  const fromEnv = maintainerFromEnvironment(context.env);
  if (fromEnv !== undefined) return checkMaintainer(fromEnv, 'DEBFULLNAME/DEBEMAIL');
  const name = gitConfig(context, 'user.name');
  const email = name === undefined ? undefined : gitConfig(context, 'user.email');
  return name === undefined || email === undefined
    ? undefined
    : checkMaintainer(`${name} <${email}>`, 'git config user.name/user.email');
}
