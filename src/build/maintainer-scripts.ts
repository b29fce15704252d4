import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import postinstTemplate from '../../autoscripts/postinst.sh';
import prermTemplate from '../../autoscripts/prerm.sh';
import { ConfigurationError } from '../core/errors';
import type { Interpreter } from '../core/interpreter';
import type { PackageLayout } from './layout';
import { PLAIN_PATH } from './options';
import { VERSION } from '../core/version';

export type ScriptName = 'postinst' | 'prerm';

/** What one package adds to its maintainer scripts and triggers; gathered first, written once. */
export interface MaintainerAdditions {
  readonly packageName: string;
  readonly snippets: readonly { script: ScriptName; text: string }[];
  readonly triggers: readonly string[];
}

export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/#([A-Z_]+)#/g, (token, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`internal error: template token ${token} has no value`);
    return value;
  });
}

/**
 * The maintainer scripts name the interpreter in single quotes, and the triggers file as a file trigger, whose
 * name ends at the first space (deb-triggers(5)): a path with a space or a quote would break both, so such an
 * interpreter is refused before anything is built. The venv itself runs the real path (/usr/bin/python3.11),
 * so a symbolic link with an odd name to a plain path is fine.
 */
export function checkNameableInScripts(python: Interpreter): void {
  if (PLAIN_PATH.test(python.realPath)) return;
  const resolved = python.realPath === python.path ? '' : ` (${python.realPath})`;
  throw new ConfigurationError(
    `--python ${python.path}${resolved}: the package's triggers and maintainer scripts name the interpreter by ` +
      'its path, which must be letters, digits and ._+@:/- (no space or quote); install it under such a ' +
      'path, or build with --noscripts and add the scripts yourself',
  );
}

/** Where the venv's byte code comes from: compiled by the postinst, or shipped in the package. */
export type ByteCode = 'compiled-on-install' | 'shipped';

export function maintainerAdditions(
  layout: PackageLayout,
  python: Interpreter,
  byteCode: ByteCode,
): MaintainerAdditions {
  const values = { VENV_DIR: layout.finalDir, PYTHON: python.realPath, BYTE_CODE: byteCode };
  return {
    packageName: layout.packageName,
    snippets: [
      { script: 'postinst', text: fillTemplate(postinstTemplate, values) },
      { script: 'prerm', text: fillTemplate(prermTemplate, values) },
    ],
    // dpkg runs the postinst "triggered" when the interpreter file changes, so a python update refreshes
    // copied interpreters without the hand-written debian/<pkg>.triggers upstream needed.
    triggers: [`interest-noawait ${python.realPath}`, 'interest-noawait dh-virtualenv-interpreter-update'],
  };
}

/**
 * Whether a maintainer's own postinst turns away the "triggered" action. dh_make's template, and the many
 * postinsts written from it, end their `case "$1"` with `*) echo "postinst called with unknown argument …"
 * >&2; exit 1` and accept only configure and the abort-* actions. The snippet cannot prevent that (it must not
 * exit: that would cut short the script and the snippets after it, which is why debhelper's own snippets
 * never do), and the triggers dh_virtualenv declares call the postinst with "triggered" when the interpreter is
 * upgraded: such a script fails then, and dpkg leaves the package half-configured.
 */
export function rejectsTriggered(postinst: string): boolean {
  const code = postinst
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .join('\n');
  const rejectsUnknown = /^\s*\*\)(?:(?!;;)[\s\S])*\bexit\s+[1-9]/m.test(code);
  return rejectsUnknown && !/\btriggered\b/.test(code);
}

/**
 * A warning when the package's own postinst (debian/<package>.postinst, or debian/postinst, which
 * dh_installdeb uses for the first package of debian/control) turns away "triggered" (see rejectsTriggered).
 */
export function postinstWarning(debianDir: string, packageName: string): string | undefined {
  const file = [`${packageName}.postinst`, 'postinst'].find((name) => existsSync(join(debianDir, name)));
  if (file === undefined || !rejectsTriggered(readFileSync(join(debianDir, file), 'utf8'))) return undefined;
  return (
    `${packageName}: debian/${file} rejects the actions it does not know, "triggered" among them, which dpkg ` +
    'passes when the interpreter is upgraded (the triggers dh_virtualenv declares), so that upgrade would ' +
    'fail; accept it, for example with a "triggered) ;;" branch in its case'
  );
}

const MARK_START = `# Automatically added by dh_virtualenv/${VERSION}`;
const MARK_END = '# End automatically added section';

/**
 * Adds a snippet the way debhelper's autoscript() does: appended for postinst, prepended for prerm (so removal
 * undoes things in reverse). An identical block already present is not added again, so a rerun is harmless.
 */
export function addSnippet(existing: string, script: ScriptName, text: string): string {
  const block = `${MARK_START}\n${text.endsWith('\n') ? text : text + '\n'}${MARK_END}\n`;
  if (existing.includes(block)) return existing;
  return script === 'prerm' ? block + existing : existing + block;
}

/** Adds `interest-noawait /usr/bin/python3.X` unless the triggers (generated or the user's own) already name it. */
export function addTriggers(existing: string, userTriggers: string, triggers: readonly string[]): string {
  const declared = (text: string, target: string): boolean =>
    text.split('\n').some((line) => line.trim().split(/\s+/)[1] === target);
  const missing = triggers.filter((trigger) => {
    const target = trigger.split(' ')[1] ?? '';
    return !declared(existing, target) && !declared(userTriggers, target);
  });
  if (missing.length === 0) return existing;
  return `${existing}# Triggers added by dh_virtualenv/${VERSION}\n${missing.join('\n')}\n`;
}

function readOr(path: string, fallback: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : fallback;
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.new`, text);
  renameSync(`${path}.new`, path);
}

/** Writes debian/<pkg>.<script>.debhelper and debhelper's generated triggers file; dh_installdeb merges both. */
export function writeMaintainerAdditions(additions: MaintainerAdditions, debianDir: string): void {
  const pkg = additions.packageName;
  for (const { script, text } of additions.snippets) {
    const path = join(debianDir, `${pkg}.${script}.debhelper`);
    const before = readOr(path, '');
    const after = addSnippet(before, script, text);
    if (after !== before) writeAtomically(path, after);
  }
  const triggersPath = join(debianDir, '.debhelper', 'generated', pkg, 'triggers');
  const before = readOr(triggersPath, '');
  const after = addTriggers(before, readOr(join(debianDir, `${pkg}.triggers`), ''), additions.triggers);
  if (after !== before) writeAtomically(triggersPath, after);
}
