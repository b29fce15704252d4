/**
 * PEP 508 environment markers (`python_version >= "3.9" and sys_platform == "linux"`), evaluated for the
 * venv's interpreter, so a lock file gives exactly what that interpreter on this platform needs. Versions
 * compare as PEP 440 versions where both sides are versions, names as strings otherwise. PEP 751's `extras`
 * and `dependency_groups` (sets, for `"x" in extras`) are supported beside `extra`.
 */
import { ConfigurationError } from '../core/errors';
import { normalizeName } from '../init/requirements';

/** The marker variables, as the venv's python reports them (MARKER_ENVIRONMENT_PROBE). */
export type MarkerEnvironment = Readonly<Record<string, string>>;

/** What a marker is evaluated with: the interpreter's variables, and the extras and groups asked for. */
export interface MarkerContext {
  readonly environment: MarkerEnvironment;
  readonly extras: readonly string[];
  readonly groups: readonly string[];
}

/** Prints the PEP 508 marker variables of the running interpreter as JSON. */
export const MARKER_ENVIRONMENT_PROBE = `
import json, os, platform, sys
impl = sys.implementation
v = impl.version
version = "%d.%d.%d" % (v.major, v.minor, v.micro)
if v.releaselevel != "final":
    version += v.releaselevel[0] + str(v.serial)
print(json.dumps({
    "implementation_name": impl.name,
    "implementation_version": version,
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "platform_python_implementation": platform.python_implementation(),
    "python_version": ".".join(platform.python_version_tuple()[:2]),
    "sys_platform": sys.platform,
}, sort_keys=True))
`;

type Token =
  { kind: 'string'; value: string } | { kind: 'word'; value: string } | { kind: 'op'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(["'])(.*?)\1|(===|==|!=|<=|>=|~=|<|>|\(|\))|([A-Za-z_][A-Za-z0-9_.]*))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (match === null)
      throw new ConfigurationError(`marker "${text}": cannot read "${text.slice(at).trim()}"`);
    at = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'string', value: match[2] ?? '' });
    else if (match[3] !== undefined) tokens.push({ kind: 'op', value: match[3] });
    else tokens.push({ kind: 'word', value: match[4] ?? '' });
  }
  return tokens;
}

/** A PEP 440 version as comparable parts, or undefined if the text is not one. */
function parseVersion(text: string): number[] | undefined {
  const match =
    /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[a-z0-9.]+)?$/i.exec(
      text.trim(),
    );
  if (match === null) return undefined;
  const release = (match[2] ?? '0').split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const preKind = (match[3] ?? '').toLowerCase();
  const pre =
    preKind === '' ? [Infinity, 0] : [{ a: 0, alpha: 0, b: 1, beta: 1 }[preKind] ?? 2, Number(match[4] || 0)];
  const postText = match[5] ?? match[6];
  const post = postText === undefined ? -1 : Number(postText || 0);
  const dev = match[7] === undefined ? Infinity : Number(match[7] || 0);
  // A dev release of a final version sorts before its pre-releases (1.0.dev1 < 1.0a1).
  const preKey = preKind === '' && match[7] !== undefined && postText === undefined ? [-1, 0] : pre;
  return [Number(match[1] ?? 0), release.length, ...release, ...preKey, post, dev];
}

function compareVersionParts(a: number[], b: number[]): number {
  // Release segments differ in length: compare them padded, then the rest.
  const [epochA = 0, lengthA = 0] = a;
  const [epochB = 0, lengthB = 0] = b;
  if (epochA !== epochB) return epochA - epochB;
  const releaseA = a.slice(2, 2 + lengthA);
  const releaseB = b.slice(2, 2 + lengthB);
  for (let i = 0; i < Math.max(releaseA.length, releaseB.length); i++) {
    const diff = (releaseA[i] ?? 0) - (releaseB[i] ?? 0);
    if (diff !== 0) return diff;
  }
  const restA = a.slice(2 + lengthA);
  const restB = b.slice(2 + lengthB);
  for (let i = 0; i < restA.length; i++) {
    const x = restA[i] ?? 0;
    const y = restB[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Compares two PEP 440 versions; undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const left = parseVersion(a);
  const right = parseVersion(b);
  return left === undefined || right === undefined ? undefined : compareVersionParts(left, right);
}

function compare(left: string, op: string, right: string): boolean {
  // "== 3.11.*": the release starts with 3.11 (PEP 440 prefix matching).
  if ((op === '==' || op === '!=') && right.endsWith('.*') && compareVersions(left, '0') !== undefined) {
    const prefix = right.slice(0, -2).split('.');
    const release = left.split('.').slice(0, prefix.length);
    const matches = prefix.every((part, i) => compareVersions(release[i] ?? '0', part) === 0);
    return op === '==' ? matches : !matches;
  }
  const order = op === '===' ? undefined : compareVersions(left, right);
  if (order !== undefined) {
    switch (op) {
      case '==':
        return order === 0;
      case '!=':
        return order !== 0;
      case '<':
        return order < 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      case '>=':
        return order >= 0;
      case '~=': {
        // ~=X.Y means >=X.Y and ==X.*.
        const prefix = right.split('.').slice(0, -1);
        return order >= 0 && left.split('.').slice(0, prefix.length).join('.') === prefix.join('.');
      }
    }
  }
  switch (op) {
    case '==':
    case '===':
      return left === right;
    case '!=':
      return left !== right;
    case 'in':
      return right.includes(left);
    case 'not in':
      return !right.includes(left);
  }
  // PEP 508: an ordering that is not between versions is an error; as a lock's marker it selects nothing.
  return false;
}

/** Evaluates a marker for the context; an unreadable marker is an error naming it. */
export function evaluateMarker(marker: string, context: MarkerContext): boolean {
  const tokens = tokenize(marker);
  let at = 0;
  const fail = (why: string): never => {
    throw new ConfigurationError(`marker "${marker}": ${why}`);
  };
  const peekWord = (word: string): boolean => tokens[at]?.kind === 'word' && tokens[at]?.value === word;

  /** A side of a comparison: its value, or for `extras`/`dependency_groups` the set (a string never matches). */
  const operand = (): { value: string; set?: readonly string[]; variable?: string } => {
    const token = tokens[at++];
    if (token === undefined) return fail('it ends too early');
    if (token.kind === 'string') return { value: token.value };
    if (token.kind !== 'word') return fail(`"${token.value}" where a value was expected`);
    if (token.value === 'extra') return { value: '', variable: 'extra' };
    if (token.value === 'extras') return { value: '', set: context.extras.map(normalizeName) };
    if (token.value === 'dependency_groups') return { value: '', set: context.groups.map(normalizeName) };
    const value = context.environment[token.value];
    if (value === undefined) return fail(`unknown variable ${token.value}`);
    return { value, variable: token.value };
  };

  const comparison = (): boolean => {
    if (tokens[at]?.kind === 'op' && tokens[at]?.value === '(') {
      at++;
      const inner = disjunction();
      if (tokens[at++]?.value !== ')') fail('a parenthesis is not closed');
      return inner;
    }
    const left = operand();
    let op: string;
    if (peekWord('not') && tokens[at + 1]?.value === 'in') {
      op = 'not in';
      at += 2;
    } else if (peekWord('in')) {
      op = 'in';
      at++;
    } else {
      const token = tokens[at++];
      if (token?.kind !== 'op') return fail('a comparison operator was expected');
      op = token.value;
    }
    const right = operand();
    // `extra == "x"`: true if x is one of the extras asked for (a lock's markers name the extra of an edge).
    if (left.variable === 'extra' || right.variable === 'extra') {
      const name = normalizeName(left.variable === 'extra' ? right.value : left.value);
      const asked = context.extras.map(normalizeName).includes(name);
      return op === '!=' ? !asked : asked;
    }
    if (right.set !== undefined) {
      const member = right.set.includes(normalizeName(left.value));
      return op === 'not in' ? !member : member;
    }
    return compare(left.value, op, right.value);
  };
  const conjunction = (): boolean => {
    let value = comparison();
    while (peekWord('and')) {
      at++;
      value = comparison() && value;
    }
    return value;
  };
  const disjunction = (): boolean => {
    let value = conjunction();
    while (peekWord('or')) {
      at++;
      value = conjunction() || value;
    }
    return value;
  };
  const result = disjunction();
  if (at !== tokens.length) fail(`unexpected "${tokens[at]?.value ?? ''}"`);
  return result;
}
