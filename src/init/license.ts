/**
 * From the license a project declares to the names debian/copyright uses (copyright-format 1.0, "License
 * specification"): an SPDX expression (PEP 639, Poetry, --license), or else the trove classifiers or the old
 * free-form field, read only where they name one license unambiguously.
 */
import { UsageError } from '../core/errors';

export type LicenseExpression =
  | { readonly kind: 'license'; readonly id: string; readonly orLater: boolean; readonly exception?: string }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly LicenseExpression[] };

/** Parses an SPDX license expression (SPDX 2.3 annex D): ids, a trailing +, WITH, AND, OR, parentheses. */
export function parseSpdx(text: string): LicenseExpression {
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const fail = (why: string): never => {
    throw new UsageError(
      `"${text}" is not an SPDX license expression (${why}); pass --license with one, e.g. MIT or Apache-2.0`,
    );
  };
  const peek = (): string | undefined => tokens[at];
  const operator = (word: string): boolean => peek()?.toUpperCase() === word;

  const primary = (): LicenseExpression => {
    const token = tokens[at++];
    if (token === undefined) return fail('it ends too early');
    if (token === '(') {
      const inner = disjunction();
      if (tokens[at++] !== ')') fail('a parenthesis is not closed');
      return inner;
    }
    if (/^(AND|OR|WITH)$/i.test(token) || token === ')')
      return fail(`"${token}" where a license was expected`);
    if (!/^[A-Za-z0-9.+-]+$|^LicenseRef-[A-Za-z0-9.-]+$/.test(token))
      return fail(`"${token}" is not a license id`);
    const orLater = token.endsWith('+') && !/^LicenseRef-/.test(token);
    const id = orLater ? token.slice(0, -1) : token;
    if (operator('WITH')) {
      at++;
      const exception = tokens[at++];
      if (exception === undefined || !/^[A-Za-z0-9.-]+$/.test(exception))
        return fail('WITH needs an exception id');
      return { kind: 'license', id, orLater, exception };
    }
    return { kind: 'license', id, orLater };
  };
  const conjunction = (): LicenseExpression => {
    const operands = [primary()];
    while (operator('AND')) {
      at++;
      operands.push(primary());
    }
    return operands.length === 1 ? (operands[0] as LicenseExpression) : { kind: 'and', operands };
  };
  const disjunction = (): LicenseExpression => {
    const operands = [conjunction()];
    while (operator('OR')) {
      at++;
      operands.push(conjunction());
    }
    return operands.length === 1 ? (operands[0] as LicenseExpression) : { kind: 'or', operands };
  };

  if (tokens.length === 0) fail('it is empty');
  const expression = disjunction();
  if (at !== tokens.length) fail(`"${tokens[at] ?? ''}" is left over`);
  return expression;
}

/**
 * SPDX ids whose Debian short name (copyright-format 1.0's table, as Debian packages write them) differs,
 * by lower-case id. The -only / -or-later ids, and the deprecated bare ones (GPL-2.0 meant "only").
 */
const DEBIAN_NAMES: Readonly<Record<string, { readonly name: string; readonly orLater?: true }>> = (() => {
  const table: Record<string, { name: string; orLater?: true }> = {
    mit: { name: 'Expat' },
    'bsd-2-clause': { name: 'BSD-2-clause' },
    'bsd-3-clause': { name: 'BSD-3-clause' },
    'bsd-4-clause': { name: 'BSD-4-clause' },
    'artistic-1.0-perl': { name: 'Artistic' },
    'artistic-1.0': { name: 'Artistic' },
    'zpl-2.1': { name: 'ZPL-2.1' },
  };
  const gnu: [string, string][] = [
    ['GPL-1.0', 'GPL-1'],
    ['GPL-2.0', 'GPL-2'],
    ['GPL-3.0', 'GPL-3'],
    ['LGPL-2.0', 'LGPL-2'],
    ['LGPL-2.1', 'LGPL-2.1'],
    ['LGPL-3.0', 'LGPL-3'],
    ['AGPL-1.0', 'AGPL-1'],
    ['AGPL-3.0', 'AGPL-3'],
    ['GFDL-1.1', 'GFDL-1.1'],
    ['GFDL-1.2', 'GFDL-1.2'],
    ['GFDL-1.3', 'GFDL-1.3'],
  ];
  for (const [spdx, debian] of gnu) {
    const id = spdx.toLowerCase();
    table[id] = { name: debian };
    table[`${id}-only`] = { name: debian };
    table[`${id}-or-later`] = { name: debian, orLater: true };
  }
  return table;
})();

/** SPDX exception ids as copyright-format writes them after "with": Classpath-exception-2.0 → Classpath. */
function exceptionName(exception: string): string {
  return exception.replace(/-exception(?:-[\d.]+)?$/i, '').replace(/^exception-/i, '');
}

/** The Debian short name of one license of an expression, e.g. GPL-2.0-or-later → GPL-2+. */
export function debianLicenseName(license: Extract<LicenseExpression, { kind: 'license' }>): string {
  const known = DEBIAN_NAMES[license.id.toLowerCase()];
  const name = (known?.name ?? license.id) + (license.orLater || known?.orLater === true ? '+' : '');
  return license.exception === undefined
    ? name
    : `${name} with ${exceptionName(license.exception)} exception`;
}

/**
 * The expression in copyright-format's syntax: "or" and "and" in lower case, and, as that format has no
 * parentheses, a comma before an "and" that joins a choice ("GPL-2+ or Artistic, and BSD-3-clause").
 */
export function debianExpression(expression: LicenseExpression): string {
  switch (expression.kind) {
    case 'license':
      return debianLicenseName(expression);
    case 'or':
      return expression.operands.map(debianExpression).join(' or ');
    case 'and':
      return expression.operands
        .map((operand, index) =>
          operand.kind === 'or' && index < expression.operands.length - 1
            ? `${debianExpression(operand)},`
            : debianExpression(operand),
        )
        .join(' and ');
  }
}

/** Every license named in the expression, once each, in order. */
export function licensesIn(expression: LicenseExpression): Extract<LicenseExpression, { kind: 'license' }>[] {
  const found = expression.kind === 'license' ? [expression] : expression.operands.flatMap(licensesIn);
  return found.filter(
    (license, index) =>
      found.findIndex((other) => debianLicenseName(other) === debianLicenseName(license)) === index,
  );
}

/**
 * Trove classifiers that name one license (version included) as SPDX ids. "Apache Software License", "BSD
 * License" and the unversioned GPL ones name a family, not a license: they are not in this table.
 */
const CLASSIFIERS: Readonly<Record<string, string>> = {
  'MIT License': 'MIT',
  'MIT No Attribution License (MIT-0)': 'MIT-0',
  'ISC License (ISCL)': 'ISC',
  'GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'GNU Affero General Public License v3': 'AGPL-3.0-only',
  'GNU Affero General Public License v3 or later (AGPLv3+)': 'AGPL-3.0-or-later',
  'Mozilla Public License 1.1 (MPL 1.1)': 'MPL-1.1',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'zlib/libpng License': 'Zlib',
  'Python Software Foundation License': 'PSF-2.0',
  'The Unlicense (Unlicense)': 'Unlicense',
  'Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
  'Eclipse Public License 2.0 (EPL-2.0)': 'EPL-2.0',
  'European Union Public Licence 1.2 (EUPL 1.2)': 'EUPL-1.2',
  'Universal Permissive License (UPL)': 'UPL-1.0',
  'CC0 1.0 Universal (CC0 1.0) Public Domain Dedication': 'CC0-1.0',
};

/**
 * Classifiers that name a family of licenses, with the members a license file's wording can pin down (Debian
 * name → SPDX id). The GPL family is not here: the text of the GPL does not say whether "or later" applies.
 */
const FAMILIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Apache Software License': { 'Apache-2.0': 'Apache-2.0' },
  'BSD License': { 'BSD-2-clause': 'BSD-2-Clause', 'BSD-3-clause': 'BSD-3-Clause' },
};

/**
 * The SPDX expression the License :: classifiers give, or undefined if they name none. A family classifier
 * ("BSD License") counts only when one of the project's license files (`textLicenses`, Debian names from
 * license-files.ts) is a member of the family.
 */
export function licenseFromClassifiers(
  classifiers: readonly string[],
  textLicenses: readonly (string | undefined)[] = [],
): string | undefined {
  const named = classifiers
    .filter((classifier) => classifier.startsWith('License ::'))
    .map((classifier) => classifier.split(' :: ').pop() ?? '');
  const ids = named.map((name) => {
    const family = FAMILIES[name];
    if (family === undefined) return CLASSIFIERS[name];
    const members = [
      ...new Set(
        textLicenses.flatMap((license) =>
          license === undefined || family[license] === undefined ? [] : [family[license]],
        ),
      ),
    ];
    return members.length === 1 ? members[0] : undefined;
  });
  if (ids.length === 0 || ids.some((id) => id === undefined)) return undefined;
  // Several license classifiers offer a choice between the licenses (PyPI's reading of them).
  return [...new Set(ids)].join(' OR ');
}

/** Spellings of the old free-form License field that name one license, in lower case with one space. */
const FREE_FORM: Readonly<Record<string, string>> = {
  mit: 'MIT',
  'mit license': 'MIT',
  'the mit license': 'MIT',
  'the mit license (mit)': 'MIT',
  expat: 'MIT',
  'apache 2.0': 'Apache-2.0',
  'apache 2': 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache license, version 2.0': 'Apache-2.0',
  'apache license version 2.0': 'Apache-2.0',
  'apache software license 2.0': 'Apache-2.0',
  'asl 2.0': 'Apache-2.0',
  'bsd 3-clause': 'BSD-3-Clause',
  'bsd-3': 'BSD-3-Clause',
  '3-clause bsd': 'BSD-3-Clause',
  'new bsd': 'BSD-3-Clause',
  'new bsd license': 'BSD-3-Clause',
  'modified bsd': 'BSD-3-Clause',
  'bsd 2-clause': 'BSD-2-Clause',
  'bsd-2': 'BSD-2-Clause',
  '2-clause bsd': 'BSD-2-Clause',
  'simplified bsd': 'BSD-2-Clause',
  freebsd: 'BSD-2-Clause',
  gplv2: 'GPL-2.0-only',
  'gplv2+': 'GPL-2.0-or-later',
  gplv3: 'GPL-3.0-only',
  'gplv3+': 'GPL-3.0-or-later',
  lgplv3: 'LGPL-3.0-only',
  'lgplv3+': 'LGPL-3.0-or-later',
  'mpl 2.0': 'MPL-2.0',
  'mpl-2': 'MPL-2.0',
  isc: 'ISC',
  'isc license': 'ISC',
  psf: 'PSF-2.0',
  unlicense: 'Unlicense',
  zlib: 'Zlib',
};

/** The SPDX expression a free-form License field names: an expression itself, or a known spelling. */
export function licenseFromFreeForm(text: string): string | undefined {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const alias = FREE_FORM[key];
  if (alias !== undefined) return alias;
  if (key.includes('\n') || key.length > 100) return undefined; // a license text, not a name
  try {
    const expression = parseSpdx(text.trim());
    // Only ids Debian or SPDX know; "BSD" or "GPL" alone name families, "Proprietary" nothing at all.
    return licensesIn(expression).every((license) => isKnownSpdxId(license.id)) ? text.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** SPDX ids init can name in debian/copyright without second thoughts (those with a version, mostly). */
const OTHER_KNOWN_IDS = new Set(
  [
    'Apache-1.1',
    'Apache-2.0',
    'MPL-1.1',
    'MPL-2.0',
    'ISC',
    'Zlib',
    'PSF-2.0',
    'Python-2.0',
    'Unlicense',
    'CC0-1.0',
    'BSL-1.0',
    'EPL-2.0',
    'EUPL-1.2',
    'UPL-1.0',
    '0BSD',
    'MIT-0',
    'Artistic-2.0',
    'CC-BY-4.0',
    'CC-BY-SA-4.0',
    'OpenSSL',
    'WTFPL',
    'HPND',
    'NCSA',
    'X11',
    'curl',
    'Beerware',
  ].map((id) => id.toLowerCase()),
);

export function isKnownSpdxId(id: string): boolean {
  const lower = id.toLowerCase();
  return lower in DEBIAN_NAMES || OTHER_KNOWN_IDS.has(lower) || lower.startsWith('licenseref-');
}
