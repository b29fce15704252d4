/** debian/changelog: one entry, the project's version (native: no Debian revision, see files.ts). */
import { fill } from './description';
import type { PackagePlan } from './plan';

/** RFC 5322 date as dpkg-parsechangelog wants it, in UTC: "Wed, 25 Nov 2026 12:00:00 +0000". */
export function changelogDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

export function changelogFile(plan: PackagePlan): string {
  // Lines of at most 80 characters (lintian: debian-changelog-line-too-long), continued under the text.
  const [first = '', ...rest] = fill(
    `Initial package, written by dh-virtualenv init from ${plan.origin}.`,
    76,
  );
  return (
    `${plan.packageName} (${plan.version}) unstable; urgency=medium\n\n` +
    [`  * ${first}`, ...rest.map((line) => `    ${line}`)].join('\n') +
    `\n\n -- ${plan.maintainer}  ${changelogDate(plan.date)}\n`
  );
}
