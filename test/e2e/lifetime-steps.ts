/**
 * Steps the lifetime tests (lifetime*.test.ts) need beyond harness.ts: dpkg runs whose output is the thing
 * under test (installDeb and purge only say whether dpkg succeeded), the package's dpkg state, an installed
 * package rebuilt as a .deb, a temporary unprivileged user, and looks at the byte code inside an installed
 * venv.
 */
import { existsSync, lstatSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { dpkgRun, hostEnv, targetPython } from './harness';
import { assertSucceeded, hermeticEnv, runProcess, type Env, type ProcessResult } from './processes';

export { dpkgRun, hostEnv };

/** dpkgRun that fails the test unless the command succeeded; returns its output. */
export async function dpkgOk(argv: readonly string[], env: Env = {}): Promise<string> {
  const result = await dpkgRun(argv, env);
  assertSucceeded(result, argv.join(' '));
  return result.output;
}

/** dpkg's own progress lines; everything else in its output was printed by a maintainer script. */
const DPKG_PROGRESS = [
  /^\(Reading database \.\.\. /,
  /^Selecting previously unselected package /,
  /^Preparing to unpack /,
  /^Unpacking /,
  /^Setting up /,
  /^Removing /,
  /^Purging configuration files for /,
  /^Processing triggers for /,
  /^dpkg: warning: downgrading /,
  // dpkg's own warning; notEmptyWarnings() picks out those about the venv.
  /^dpkg: warning: while removing \S+, directory '.*' not empty so not removed$/,
];

/** The lines of dpkg's output that dpkg itself did not print. */
export function scriptOutput(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '' && !DPKG_PROGRESS.some((pattern) => pattern.test(line)));
}

/**
 * dpkg's warnings about directories at or under `dir` that it could not remove because they still held files
 * it did not install ("directory '…' not empty so not removed", "unable to delete old directory '…'"). Those
 * about parents such as /opt are left out: what else lives there is the machine's business.
 */
export function notEmptyWarnings(output: string, dir: string): string[] {
  return output
    .split('\n')
    .filter((line) => /not empty|unable to delete old directory/i.test(line))
    .filter((line) => line.includes(`'${dir}'`) || line.includes(`'${dir}/`));
}

/** `dpkg-query -W` fields of one package, e.g. "${db:Status-Status} ${Triggers-Pending}". */
export async function dpkgQuery(packageName: string, format: string): Promise<string> {
  const result = await runProcess(['dpkg-query', '-W', '-f', format, packageName], { env: hostEnv() });
  assertSucceeded(result, `dpkg-query -W ${packageName}`);
  return result.stdout;
}

/** `dpkg-query -s`: the package's entry in dpkg's status database, every field. */
export async function dpkgStatusEntry(packageName: string): Promise<string> {
  const result = await runProcess(['dpkg-query', '-s', packageName], { env: hostEnv() });
  assertSucceeded(result, `dpkg-query -s ${packageName}`);
  return result.stdout;
}

/** Fields dpkg adds to a package's status entry; the others come from the package's control file. */
const STATUS_ONLY_FIELDS = new Set([
  'Status',
  'Config-Version',
  'Conffiles',
  'Triggers-Pending',
  'Triggers-Awaited',
]);

/**
 * An installed package rebuilt as a .deb in `dir`, for reinstalling the very version that is installed when
 * no archive has it any more: dpkg-repack lays out its files, maintainer scripts and md5sums as installed,
 * and the control file is the one dpkg recorded (`dpkg-query -s` without the status fields). dpkg-repack's
 * own would not do: it adds a "Repackaged on …" line to the Description and drops the fields libdpkg-perl
 * does not know (python3.X-minimal's Cnf-Visible-Pkgname), and dpkg -i would write both into the status
 * database. Returns undefined when dpkg-repack is not installed.
 */
export async function repackInstalled(packageName: string, dir: string): Promise<string | undefined> {
  const generate = await runProcess(['dpkg-repack', '--generate', packageName], { env: hostEnv(), cwd: dir });
  if (generate.status === null && generate.signal === null) return undefined;
  assertSucceeded(generate, `dpkg-repack --generate ${packageName}`);
  const tree = readdirSync(dir).find((name) => name.startsWith(`dpkg-repack.${packageName}.`));
  if (tree === undefined) throw new Error(`dpkg-repack --generate ${packageName} made no tree in ${dir}`);

  // One field a chunk: a line that starts a field, with the continuation lines (" …") after it.
  const fields = (await dpkgStatusEntry(packageName)).trimEnd().split(/\n(?=\S)/);
  const control = fields.filter((field) => !STATUS_ONLY_FIELDS.has(field.split(':')[0] ?? ''));
  writeFileSync(join(dir, tree, 'DEBIAN', 'control'), `${control.join('\n')}\n`);

  const before = new Set(readdirSync(dir));
  assertSucceeded(
    await runProcess(['dpkg-deb', '--build', join(dir, tree), dir], { env: hostEnv() }),
    `dpkg-deb --build ${join(dir, tree)}`,
  );
  const built = readdirSync(dir).filter((name) => !before.has(name) && name.endsWith('.deb'));
  if (built.length !== 1) throw new Error(`dpkg-deb --build made ${built.join(', ') || 'no .deb'} in ${dir}`);
  return join(dir, built[0] ?? '');
}

/** "installed", "half-configured", "triggers-pending", "not-installed", ... */
export async function dpkgStatus(packageName: string): Promise<string> {
  const result = await runProcess(['dpkg-query', '-W', '-f', '${db:Status-Status}', packageName], {
    env: hostEnv(),
  });
  return result.status === 0 ? result.stdout : 'not-installed';
}

/** The maintainer script dpkg keeps for an installed package, e.g. /var/lib/dpkg/info/<pkg>.postinst. */
function installedScript(packageName: string, script: 'postinst' | 'prerm'): string {
  return `/var/lib/dpkg/info/${packageName}.${script}`;
}

/** Runs an installed maintainer script by hand, as dpkg would (same argument conventions, sh). */
export function runMaintainerScript(
  packageName: string,
  script: 'postinst' | 'prerm',
  args: readonly string[],
  env: Env = {},
): Promise<ProcessResult> {
  return runProcess([installedScript(packageName, script), ...args], {
    env: hostEnv({ DPKG_MAINTSCRIPT_PACKAGE: packageName, DPKG_MAINTSCRIPT_NAME: script, ...env }),
    cwd: '/',
  });
}

/**
 * Creates a system user for the test (no home directory, no login shell) and deletes it when the test
 * ends, however it ends. A user left by a crashed earlier run is deleted first.
 */
export async function temporaryUser(t: TestContext, name: string): Promise<string> {
  const remove = async (): Promise<void> => {
    const exists = await runProcess(['getent', 'passwd', name], { env: hostEnv() });
    if (exists.status !== 0) return;
    assertSucceeded(await runProcess(['userdel', name], { env: hostEnv() }), `userdel ${name}`);
  };
  await remove();
  t.after(remove);
  assertSucceeded(
    await runProcess(
      [
        'useradd',
        '--system',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
        name,
      ],
      { env: hostEnv() },
    ),
    `useradd ${name}`,
  );
  return name;
}

/** Runs a program as `user` (setpriv: no PAM session, no login shell), in a clean environment. */
export async function runAsUser(
  user: string,
  command: string,
  args: readonly string[] = [],
): Promise<string> {
  const result = await runProcess(
    ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', command, ...args],
    { env: hermeticEnv({ HOME: '/nonexistent', USER: user, LOGNAME: user }), cwd: '/' },
  );
  assertSucceeded(result, `running ${command} as ${user}`);
  return result.stdout;
}

/** Every path under `dir` (directories with a trailing slash) with its size and mtime: to compare states. */
export function treeState(dir: string): Map<string, string> {
  const state = new Map<string, string>();
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      const stat = lstatSync(path);
      state.set(entry.isDirectory() ? `${path}/` : path, `${stat.size} ${stat.mtimeMs}`);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return state;
}

/** What differs between two treeState()s: added, removed and changed paths. */
export function treeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [path, state] of after) {
    if (!before.has(path)) changes.push(`added ${path}`);
    else if (before.get(path) !== state) changes.push(`changed ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push(`removed ${path}`);
  return changes.sort();
}

/** All paths under `dir` (see treeState) that match `pattern`. */
export function pathsMatching(dir: string, pattern: RegExp): string[] {
  return [...treeState(dir).keys()].filter((path) => pattern.test(path)).sort();
}

/**
 * Byte code without its source: <dir>/__pycache__/<module>.<tag>.pyc where <dir>/<module>.py is gone, and
 * __pycache__ directories whose package directory holds no source at all.
 */
export function staleByteCode(dir: string): string[] {
  return pathsMatching(dir, /\/__pycache__\/[^/]+\.pyc$/).filter((pyc) => {
    const module = basename(pyc).split('.')[0] ?? '';
    return !existsSync(join(dirname(dirname(pyc)), `${module}.py`));
  });
}

/** The byte code the postinst should have compiled for `source` (a .py file), for the running interpreter. */
export function byteCodeOf(source: string, cacheTag = targetPython().cacheTag): string {
  return join(dirname(source), '__pycache__', `${basename(source, '.py')}.${cacheTag}.pyc`);
}
