/**
 * Debian names and versions from Python ones. A virtualenv package is an application, so it is named after
 * the project, without the python3- prefix Debian's Python policy (section 4.3) keeps for modules on the
 * system's sys.path.
 */
import { UsageError } from '../core/errors';

/**
 * Debian policy 5.6.1 and 5.6.7: package names are at least two characters of lower-case letters, digits
 * and + - ., starting with a letter or digit.
 */
export const DEBIAN_PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/**
 * The package name for a project name: PEP 503's normalization (runs of - _ . become one -, lower case), which
 * also keeps it within policy's characters, as PEP 508 names hold only letters, digits and - _ .
 */
export function packageNameFor(projectName: string): string | undefined {
  const name = projectName
    .trim()
    .replace(/[-_.]+/g, '-')
    .toLowerCase();
  return DEBIAN_PACKAGE_NAME.test(name) && !name.endsWith('-') ? name : undefined;
}

export function checkPackageName(name: string, flag: string): string {
  if (!DEBIAN_PACKAGE_NAME.test(name)) {
    throw new UsageError(
      `${flag} "${name}" is not a Debian package name: at least two of a-z 0-9 + - ., starting with a letter or digit (policy 5.6.1)`,
    );
  }
  return name;
}

/** PEP 440's public version scheme with its alternative spellings (1.0-rc.1, 1.0.POST2, v1.0). */
const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

const PRE_RELEASE: Readonly<Record<string, string>> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};

/**
 * A PEP 440 version as a Debian upstream version that dpkg orders the same way: pre-releases sort before the
 * release with "~" (1.0rc1 → 1.0~rc1), development releases before those with "~~" when alone (1.0.dev2 →
 * 1.0~~dev2, as 1.0.dev2 comes before 1.0a1), or after the pre-release's "~" (1.0a1.dev2 → 1.0~a1~dev2); the
 * epoch becomes Debian's (1!2.0 → 1:2.0), a local version stays after "+". Post releases keep ".post": they
 * sort after the release, but dpkg puts 1.0.post1 after 1.0.1, where PEP 440 puts it before.
 */
export function debianVersion(version: string): string | undefined {
  const match = PEP440.exec(version.trim());
  if (match === null) return undefined;
  const [, epoch, release = '', pre, preNumber, postImplicit, postExplicit, dev, local] = match;
  let result = (epoch === undefined ? '' : `${Number(epoch)}:`) + release;
  if (pre !== undefined)
    result += `~${PRE_RELEASE[pre.toLowerCase()] ?? pre}${preNumber === '' ? '0' : (preNumber ?? '0')}`;
  const post = postImplicit ?? postExplicit;
  if (post !== undefined) result += `.post${post === '' ? '0' : post}`;
  if (dev !== undefined)
    result += `${pre === undefined && post === undefined ? '~~' : '~'}dev${dev === '' ? '0' : dev}`;
  if (local !== undefined) result += `+${local.toLowerCase().replace(/[-_]/g, '.')}`;
  return result;
}
