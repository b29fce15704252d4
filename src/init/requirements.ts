/**
 * Names of the distributions a project needs, from PEP 508 requirement strings and from requirements files
 * (which dh_virtualenv installs before the project). Only names matter to init: they decide Build-Depends and
 * the architecture (native-code.ts); versions and resolution stay pip's business at build time.
 */

/** PEP 503: runs of -, _ and . become one -, in lower case. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** The normalized distribution name a PEP 508 requirement starts with ("psycopg2[pool]>=2.9; …" → psycopg2). */
export function requirementName(requirement: string): string | undefined {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(requirement);
  return match === null ? undefined : normalizeName(match[1] ?? '');
}

/** A requirement only an extra asks for (`…; extra == "postgres"`): not installed by default. */
export function isExtraRequirement(requirement: string): boolean {
  const marker = requirement.split(';').slice(1).join(';');
  return /\bextra\s*==/.test(marker);
}

export interface RequirementsText {
  /** Requirement lines, as PEP 508 strings (URLs turned into their #egg= name where they have one). */
  readonly requirements: readonly string[];
  /** Files it includes with -r, relative to it. */
  readonly includes: readonly string[];
  /** Lines that name no distribution init can see (editable paths, bare URLs), for a warning. */
  readonly unnamed: readonly string[];
}

/**
 * A pip requirements file: one requirement a line, `#` comments, `\` continuations, options (-r includes
 * another file; -c, -i, --hash and the rest say nothing about names).
 */
export function readRequirementsText(text: string): RequirementsText {
  const requirements: string[] = [];
  const includes: string[] = [];
  const unnamed: string[] = [];
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const include = /^(?:-r|--requirement)(?:\s+|=)?(\S+)$/.exec(line);
    if (include !== null) {
      includes.push(include[1] ?? '');
      continue;
    }
    const editable = /^(?:-e|--editable)(?:\s+|=)(\S+)/.exec(line);
    const target = editable === null ? line : (editable[1] ?? '');
    if (editable === null && line.startsWith('-')) continue;
    const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(target);
    if (egg !== null) {
      requirements.push(egg[1] ?? '');
    } else if (/^(?:[a-z+]+:\/\/|\.{0,2}\/)/.test(target) || editable !== null) {
      unnamed.push(line);
    } else {
      requirements.push(target.replace(/\s+--hash=\S+/g, ''));
    }
  }
  return { requirements, includes, unnamed };
}
