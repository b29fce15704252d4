/**
 * Merging two Depends lists, as needed when dh_virtualenv_shlibdeps adds what the venv's binaries need to the
 * ${shlibs:Depends} dh_shlibdeps already wrote: one entry per package, the higher minimum version winning.
 */

/** Orders the non-digit parts of a Debian version: "~" sorts before everything, even the end of the part. */
function characterOrder(char: string | undefined): number {
  if (char === undefined) return 0;
  if (char === '~') return -1;
  if (/[A-Za-z]/.test(char)) return char.charCodeAt(0);
  return char.charCodeAt(0) + 256;
}

function compareNonDigits(a: string, b: string): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = characterOrder(a[i]) - characterOrder(b[i]);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** dpkg's comparison of an upstream version or a revision (deb-version(7)): non-digit, digit, … runs. */
function compareFragment(a: string, b: string): number {
  const runs = (text: string): string[] => text.match(/\D+|\d+/g) ?? [];
  const left = runs(a);
  const right = runs(b);
  // Both lists start with a non-digit run; a version starting with a digit gets an empty one first.
  if (/^\d/.test(a)) left.unshift('');
  if (/^\d/.test(b)) right.unshift('');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    const difference = i % 2 === 0 ? compareNonDigits(x, y) : Number(x || '0') - Number(y || '0');
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** Splits "epoch:upstream-revision"; the epoch defaults to 0 and the revision to "". */
function versionParts(version: string): [number, string, string] {
  const colon = version.indexOf(':');
  const epoch = colon === -1 ? 0 : Number(version.slice(0, colon));
  const rest = colon === -1 ? version : version.slice(colon + 1);
  const dash = rest.lastIndexOf('-');
  return dash === -1 ? [epoch, rest, ''] : [epoch, rest.slice(0, dash), rest.slice(dash + 1)];
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`, as `dpkg --compare-versions`. */
export function compareDebianVersions(a: string, b: string): number {
  const [epochA, upstreamA, revisionA] = versionParts(a);
  const [epochB, upstreamB, revisionB] = versionParts(b);
  if (epochA !== epochB) return Math.sign(epochA - epochB);
  return compareFragment(upstreamA, upstreamB) || compareFragment(revisionA, revisionB);
}

/** "libc6 (>= 2.34)" as name and minimum version; undefined for alternatives and other relations. */
function minimumOf(entry: string): { name: string; minimum: string | undefined } | undefined {
  const match = /^([a-z0-9][a-z0-9+.-]*(?::[a-z0-9-]+)?)(?:\s*\(>=\s*([^)\s]+)\s*\))?$/.exec(entry);
  if (match === null) return undefined;
  return { name: match[1] ?? '', minimum: match[2] };
}

export function splitDependencies(field: string): string[] {
  return field
    .split(',')
    .map((entry) => entry.trim().replace(/\s+/g, ' '))
    .filter((entry) => entry !== '');
}

/**
 * The union of two Depends lists. Plain entries ("pkg" or "pkg (>= v)") of one package become one entry with
 * the highest minimum; anything else (alternatives, other relations) is kept as written, once. Sorted like
 * dpkg-shlibdeps sorts its output.
 */
export function mergeDependencies(existing: string, added: string): string {
  const minimums = new Map<string, string | undefined>();
  const others = new Set<string>();
  for (const entry of [...splitDependencies(existing), ...splitDependencies(added)]) {
    const plain = minimumOf(entry);
    if (plain === undefined) {
      others.add(entry);
      continue;
    }
    const known = minimums.get(plain.name);
    const stronger =
      known === undefined || (plain.minimum !== undefined && compareDebianVersions(plain.minimum, known) > 0);
    if (!minimums.has(plain.name) || stronger) minimums.set(plain.name, plain.minimum);
  }
  const entries = [
    ...[...minimums].map(([name, minimum]) => (minimum === undefined ? name : `${name} (>= ${minimum})`)),
    ...others,
  ];
  return [...new Set(entries)].sort().join(', ');
}
