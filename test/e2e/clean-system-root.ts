/**
 * A throw-away Debian root for the clean-system test: a release (Debian 12, 13) bootstrapped from Debian's
 * archive with mmdebstrap, and commands run inside it with its own dpkg database, so the test never takes the
 * host's dpkg lock and sees what a user's fresh machine would.
 *
 *     const root = await bootstrapRoot(join(workDir, 'trixie'), { log, codename: 'trixie', cacheDir });
 *     await root.apt('install', '/tmp/dh-virtualenv_2.0.0_all.deb');
 *     const out = await root.run(['clean-system-hello'], { user: 'nobody' });
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { assertSucceeded, runProcess, SYSTEM_PATH, type Env, type ProcessResult } from './processes';

/** Every command's full output, in order, for reading after a failure (assertions only show the tail). */
export class CommandLog {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
  }

  add(result: ProcessResult, where = ''): void {
    const how = result.signal === null ? `exit code ${result.status ?? 'none'}` : `signal ${result.signal}`;
    appendFileSync(this.path, `\n$ ${where}${result.argv.join(' ')}\n${result.output}[${how}]\n`);
  }

  /** A file another program wrote (sbuild's build log), under a heading naming it. */
  addFile(heading: string, text: string): void {
    appendFileSync(
      this.path,
      `\n=== ${heading}\n${text}${text.endsWith('\n') ? '' : '\n'}=== end of ${heading}\n`,
    );
  }
}

/** Runs a command on the host, logs it, and fails with the tail of its output; returns its stdout. */
export async function hostRun(
  log: CommandLog,
  argv: readonly string[],
  env: Env,
  cwd?: string,
): Promise<string> {
  const result = await runProcess(argv, { env, ...(cwd === undefined ? {} : { cwd }) });
  log.add(result, cwd === undefined ? '' : `(cd ${cwd}) `);
  assertSucceeded(result, argv.join(' '));
  return result.stdout;
}

const DEBIAN_ARCHIVE = /^https?:\/\/[^ ]*\/debian(-security)?\/?$/;

/**
 * The host's apt sources that point at Debian's archive, as deb822 stanzas, for release `codename`: the test
 * root uses the same mirror as the host (and nothing else: other repositories, such as nodesource's, must not
 * leak into the "clean" system). The host's suites are renamed for the release (bookworm-updates becomes
 * trixie-updates), and those that are not the host's release by name (stable, sid) are left out. Undefined if
 * nothing is left; mmdebstrap then uses deb.debian.org.
 */
export function debianArchiveSources(codename: string, aptDir = '/etc/apt'): string | undefined {
  const host = hostCodename(aptDir);
  const files = [join(aptDir, 'sources.list')];
  const partsDir = join(aptDir, 'sources.list.d');
  if (existsSync(partsDir))
    files.push(
      ...readdirSync(partsDir)
        .sort()
        .map((name) => join(partsDir, name)),
    );
  const stanzas: string[] = [];
  for (const file of files.filter(existsSync)) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.sources')) stanzas.push(...deb822Stanzas(text));
    else if (file.endsWith('.list')) stanzas.push(...oneLineStanzas(text));
  }
  const forRelease = stanzas
    .map((stanza) => renameSuites(stanza, host, codename))
    .filter((stanza): stanza is string => stanza !== undefined);
  return forRelease.length === 0 ? undefined : forRelease.join('\n');
}

/** The stanza with its suites of release `from` renamed for release `to`; undefined when none is left. */
function renameSuites(stanza: string, from: string, to: string): string | undefined {
  const lines = stanza.split('\n');
  const index = lines.findIndex((line) => /^suites:/i.test(line));
  const suites = (lines[index]?.replace(/^[^:]*:\s*/, '') ?? '')
    .split(/\s+/)
    .filter((suite) => suite === from || suite.startsWith(`${from}-`))
    .map((suite) => to + suite.slice(from.length));
  if (suites.length === 0) return undefined;
  lines[index] = `Suites: ${suites.join(' ')}`;
  return lines.join('\n');
}

function deb822Stanzas(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((stanza) => stanza.split('\n').filter((line) => !line.startsWith('#') && line.trim() !== ''))
    .filter((lines) => {
      const field = (name: string): string =>
        lines
          .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
          ?.replace(/^[^:]*:\s*/, '') ?? '';
      return (
        field('Types').split(/\s+/).includes('deb') &&
        field('Enabled').toLowerCase() !== 'no' &&
        field('URIs')
          .split(/\s+/)
          .some((uri) => DEBIAN_ARCHIVE.test(uri))
      );
    })
    .map((lines) => lines.join('\n') + '\n');
}

function oneLineStanzas(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .map((line) => /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && DEBIAN_ARCHIVE.test(match[1] ?? ''))
    .map((match) => `Types: deb\nURIs: ${match[1]}\nSuites: ${match[2]}\nComponents: ${match[3]}\n`);
}

/** The host's release codename (bookworm on Debian 12), whose suites the host's apt sources name. */
function hostCodename(aptDir: string): string {
  const osRelease = join(dirname(aptDir), 'os-release');
  const codename = /^VERSION_CODENAME=(.*)$/m.exec(readFileSync(osRelease, 'utf8'))?.[1];
  assert.ok(codename !== undefined && codename !== '', `${osRelease} has no VERSION_CODENAME`);
  return codename.replace(/"/g, '');
}

/**
 * In the root: no Recommends, so the Depends of what we install must be enough by themselves; no pty for
 * dpkg (the root has no /dev/pts); retries for a flaky mirror.
 */
const APT_CONFIG = 'APT::Install-Recommends "false";\nDpkg::Use-Pty "false";\nAcquire::Retries "3";\n';

/** What a command in the root gets: nothing of the host's environment. */
const ROOT_ENV: Env = {
  PATH: SYSTEM_PATH,
  HOME: '/root',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  DEBIAN_FRONTEND: 'noninteractive',
};

/**
 * Paths whose contents change by merely using apt and dpkg, or that the test itself writes: left out when
 * comparing the root before installing a package and after purging it.
 */
const SCRATCH = ['proc', 'tmp', 'build', 'root', 'var/log', 'var/cache', 'var/lib/apt'];

/** Where and as whom a command runs in the root: by default in / as root. */
export interface InRoot {
  readonly cwd?: string;
  /** A user of the root's own passwd, e.g. nobody (in nogroup); HOME is then /nonexistent. */
  readonly user?: string;
}

export interface CleanRoot {
  readonly dir: string;
  readonly codename: string;
  /** Runs `argv` inside the root; fails with the tail of its output; returns stdout. */
  run(argv: readonly string[], where?: InRoot): Promise<string>;
  /** Like run, but returns the result whatever happened. */
  tryRun(argv: readonly string[], where?: InRoot): Promise<ProcessResult>;
  /** `apt-get -y <args>`. */
  apt(...args: string[]): Promise<string>;
  /** Copies a host file or directory into the root; returns its path as seen inside. */
  copyIn(hostPath: string, pathInside: string): string;
  /** Every path in the root (relative, sorted), apart from SCRATCH. */
  files(): string[];
}

/**
 * Bootstraps a minimal root of release `codename` (essential packages and apt; no build tools, no Python, no
 * Node) with mmdebstrap. With `cacheDir`, the bootstrap is kept there as <codename>.tar and reused by later
 * runs (apt still updates from the mirror).
 */
export async function bootstrapRoot(
  dir: string,
  options: { log: CommandLog; codename: string; cacheDir?: string | undefined },
): Promise<CleanRoot> {
  const { log, codename, cacheDir } = options;
  const cacheTarball = cacheDir === undefined ? undefined : join(cacheDir, `${codename}.tar`);
  const hostEnv: Env = { PATH: SYSTEM_PATH, HOME: '/root', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  const sources = debianArchiveSources(codename);
  const sourcesFile = `${dir}.sources`;
  if (sources !== undefined) writeFileSync(sourcesFile, sources);
  const mmdebstrap = (target: string): string[] => [
    'mmdebstrap',
    '--variant=apt',
    '--mode=root',
    codename,
    target,
    ...(sources === undefined ? [] : [sourcesFile]),
  ];

  if (cacheTarball === undefined) {
    await hostRun(log, mmdebstrap(dir), hostEnv);
  } else {
    if (!existsSync(cacheTarball)) {
      mkdirSync(dirname(cacheTarball), { recursive: true });
      await hostRun(log, mmdebstrap(cacheTarball), hostEnv);
    }
    mkdirSync(dir, { recursive: true });
    await hostRun(log, ['tar', '-C', dir, '--numeric-owner', '-xpf', cacheTarball], hostEnv);
  }
  writeFileSync(join(dir, 'etc/apt/apt.conf.d/90dh-virtualenv-test'), APT_CONFIG);
  // Name resolution for apt inside the root, as on the host.
  cpSync('/etc/resolv.conf', join(dir, 'etc/resolv.conf'), { dereference: true });

  const tryRun = async (argv: readonly string[], where: InRoot = {}): Promise<ProcessResult> => {
    const { cwd, user } = where;
    // A private mount and PID namespace: /proc is mounted for the root's programs only, and it (with any
    // process a package left running) goes away when the command ends, even if the test is killed.
    const chroot = user === undefined ? ['chroot'] : ['chroot', `--userspec=${user}:nogroup`];
    const env = user === undefined ? [] : ['env', 'HOME=/nonexistent'];
    const inside = cwd === undefined ? argv : ['env', `--chdir=${cwd}`, ...argv];
    const result = await runProcess(
      ['unshare', '--fork', '--pid', `--mount-proc=${join(dir, 'proc')}`, ...chroot, dir, ...env, ...inside],
      { env: ROOT_ENV },
    );
    const label = [
      codename,
      ...(user === undefined ? [] : [`as ${user}`]),
      ...(cwd === undefined ? [] : [cwd]),
    ];
    log.add({ ...result, argv }, `[${label.join(' ')}] `);
    return { ...result, argv };
  };
  const run = async (argv: readonly string[], where?: InRoot): Promise<string> => {
    const result = await tryRun(argv, where);
    assertSucceeded(result, `${argv.join(' ')} (in the clean ${codename} root)`);
    return result.stdout;
  };
  const root: CleanRoot = {
    dir,
    codename,
    run,
    tryRun,
    apt: (...args) => run(['apt-get', '-y', ...args]),
    copyIn(hostPath, pathInside) {
      mkdirSync(dirname(join(dir, pathInside)), { recursive: true });
      cpSync(hostPath, join(dir, pathInside), { recursive: true });
      return pathInside;
    },
    files: () => treeOf(dir),
  };
  await root.apt('update');
  return root;
}

function treeOf(top: string): string[] {
  const paths: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(top, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (SCRATCH.includes(path)) continue;
      paths.push(path);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk('');
  return paths.sort();
}

/** Fields of a control file (`dpkg-deb -f` output or `dpkg -s`), continuation lines joined. */
export function controlFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    const field = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (field !== null) {
      last = field[1] ?? '';
      fields.set(last, field[2] ?? '');
    } else if (/^\s/.test(line) && last !== undefined) {
      fields.set(last, `${fields.get(last) ?? ''}\n${line.trim()}`);
    }
  }
  return fields;
}
