/**
 * The console scripts on PATH: debian/<pkg>.links puts each into /usr/bin (dh_link keeps the link absolute,
 * as policy 10.5 wants between top-level directories), and, as policy 12.1 wants a manual page for every
 * command there (lintian: binary-without-manpage), a short page each, debian/<script>.1, installed by
 * dh_installman from debian/<pkg>.manpages.
 */
import { roffEscape } from '../build/manpage';
import { comment, writtenBy } from './comments';
import type { PackagePlan } from './plan';

export function linksFile(plan: PackagePlan): string {
  const venv = plan.venvDir.replace(/^\//, '');
  return (
    [
      ...comment(writtenBy(plan.origin)),
      ...comment('Each console script of the virtualenv, on PATH.'),
      ...plan.scripts.map((script) => `${venv}/bin/${script} usr/bin/${script}`),
    ].join('\n') + '\n'
  );
}

export function manpagesFile(plan: PackagePlan): string {
  return (
    [
      ...comment(writtenBy(plan.origin)),
      ...comment(
        "A manual page for each command in /usr/bin; replace them with the project's own if it has some.",
      ),
      ...plan.scripts.map((script) => `debian/${script}.1`),
    ].join('\n') + '\n'
  );
}

/**
 * A manual page that says what the project's metadata says: what the command belongs to, where it lives, and
 * where the documentation is. Dated like the changelog entry, so that it is the same whenever it is built.
 */
export function manualPage(plan: PackagePlan, script: string): string {
  const description = plan.extendedDescription
    .map((line) => line.slice(1))
    .join('\n')
    .split('\n.\n')
    .map((paragraph) => `.PP\n${roffEscape(paragraph.replace(/\n/g, ' '))}\n`)
    .join('');
  return [
    `.\\" ${writtenBy(plan.origin)}\n`,
    `.TH ${roffEscape(script.toUpperCase())} 1 "${plan.date.toISOString().slice(0, 10)}" "${roffEscape(`${plan.packageName} ${plan.version}`)}" "User Commands"\n`,
    '.SH NAME\n',
    `${roffEscape(script)} \\- ${roffEscape(plan.synopsis)}\n`,
    '.SH SYNOPSIS\n',
    `.B ${roffEscape(script)}\n`,
    '.SH DESCRIPTION\n',
    description,
    ...(plan.homepage === undefined
      ? []
      : ['.SH SEE ALSO\n', `${roffEscape(`The documentation of ${plan.projectName}: ${plan.homepage}`)}\n`]),
  ].join('');
}
