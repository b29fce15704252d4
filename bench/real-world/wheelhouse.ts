/**
 * The bench's download cache: every distribution its rows need, fetched once from PyPI with Debian's pip, so
 * that the package builds run with PIP_NO_INDEX=1 and PIP_FIND_LINKS pointing here.
 *
 *     <root>/wheelhouse/               wheels and sdists, flat (what --find-links reads)
 *     <root>/downloaded/<row>.txt      the requirements last downloaded for a row
 *     <root>/build-requirements/<sdist>.txt   the build requirements fetched for an sdist
 *
 * A row whose requirements match its stamp is not downloaded again; changing a version in the table does.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { hostEnv } from '../../test/e2e/harness';
import { runProcess, SYSTEM_PYTHON, type Env, type ProcessResult } from '../../test/e2e/processes';

/** `$XDG_CACHE_HOME/dh-virtualenv-bench`, or `~/.cache/dh-virtualenv-bench` without it. */
export function defaultCacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(homedir(), '.cache');
  return join(base, 'dh-virtualenv-bench');
}

/**
 * Where pip may fetch from, taken from the caller's environment: a mirror or a proxy is as needed here as in
 * any pip run. Anything else (this machine's own PIP_FIND_LINKS, for one) would change what gets resolved.
 */
const FETCH_SETTINGS = [
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_TRUSTED_HOST',
  'PIP_CERT',
  'PIP_DEFAULT_TIMEOUT',
  'PIP_RETRIES',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
];

function downloadEnv(): Env {
  const passed: Env = {};
  for (const name of FETCH_SETTINGS) {
    const value = process.env[name];
    if (value !== undefined) passed[name] = value;
  }
  return hostEnv(passed);
}

/**
 * Reads an sdist's build requirements as pip would before calling the backend: [build-system] requires of its
 * pyproject.toml, or setuptools and wheel without one. Older setuptools backends ask for wheel on top, so wheel
 * comes along either way.
 */
const BUILD_REQUIRES_SCRIPT = `
import json, sys, tarfile, tomllib, zipfile
path = sys.argv[1]
if path.endswith(".zip"):
    archive = zipfile.ZipFile(path)
    names = archive.namelist()
    read = archive.read
else:
    archive = tarfile.open(path)
    names = [m.name for m in archive.getmembers() if m.isfile()]
    read = lambda name: archive.extractfile(name).read()
top = [n for n in names if n.count("/") == 1 and n.endswith("/pyproject.toml")]
requires = ["setuptools>=40.8.0", "wheel"]
if top:
    system = tomllib.loads(read(top[0]).decode()).get("build-system")
    if system is not None and "requires" in system:
        requires = system["requires"] + ["wheel"]
print(json.dumps(requires))
`;

const SDIST = /\.(tar\.gz|tar\.bz2|tgz|zip)$/;

export class Wheelhouse {
  readonly root: string;
  readonly dir: string;
  private readonly stamps: string;
  private readonly buildStamps: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.dir = join(this.root, 'wheelhouse');
    this.stamps = join(this.root, 'downloaded');
    this.buildStamps = join(this.root, 'build-requirements');
    for (const dir of [this.dir, this.stamps, this.buildStamps]) mkdirSync(dir, { recursive: true });
  }

  private stampOf(name: string): string {
    return join(this.stamps, `${name}.txt`);
  }

  /** Whether `requirements` were downloaded for row `name` before, exactly as they are now. */
  has(name: string, requirements: readonly string[]): boolean {
    const stamp = this.stampOf(name);
    return existsSync(stamp) && readFileSync(stamp, 'utf8') === stampText(requirements);
  }

  /**
   * Downloads `requirements` with their dependencies, then the build requirements of every sdist in the
   * wheelhouse that has none fetched yet (and of the sdists those bring). Returns the failed pip run, if any.
   */
  async download(name: string, requirements: readonly string[]): Promise<ProcessResult | undefined> {
    // pip reads the requirements from the file that becomes the stamp once everything is there.
    const pending = `${this.stampOf(name)}.pending`;
    writeFileSync(pending, stampText(requirements));
    const fetched = await this.pip(['-r', pending]);
    if (fetched.status !== 0) return fetched;
    const failed = await this.fetchBuildRequirements();
    if (failed !== undefined) return failed;
    renameSync(pending, this.stampOf(name));
    return undefined;
  }

  private async fetchBuildRequirements(): Promise<ProcessResult | undefined> {
    for (;;) {
      const pending = readdirSync(this.dir).filter(
        (file) => SDIST.test(file) && !existsSync(join(this.buildStamps, `${file}.txt`)),
      );
      if (pending.length === 0) return undefined;
      for (const file of pending) {
        const read = await runProcess(
          [SYSTEM_PYTHON, '-I', '-c', BUILD_REQUIRES_SCRIPT, join(this.dir, file)],
          {
            env: hostEnv(),
          },
        );
        if (read.status !== 0) return read;
        const requires = JSON.parse(read.stdout) as string[];
        const fetched = await this.pip(requires);
        if (fetched.status !== 0) return fetched;
        writeFileSync(join(this.buildStamps, `${file}.txt`), stampText(requires));
      }
    }
  }

  /**
   * Debian's pip, the interpreter the builds use: it picks the files built for CPython 3.11 on this machine.
   * No pip cache: the wheelhouse is the cache, and a second copy of it in ~/.cache/pip would double the space.
   */
  private pip(args: readonly string[]): Promise<ProcessResult> {
    return runProcess(
      [
        SYSTEM_PYTHON,
        '-m',
        'pip',
        'download',
        '--disable-pip-version-check',
        '--no-input',
        '--progress-bar=off',
        '--no-cache-dir',
        '--dest',
        this.dir,
        ...args,
      ],
      { env: downloadEnv(), cwd: this.root },
    );
  }

  /** What a build needs to install from here alone; pip reads both from the environment. */
  buildEnv(): Env {
    return { PIP_NO_INDEX: '1', PIP_FIND_LINKS: this.dir };
  }
}

function stampText(requirements: readonly string[]): string {
  return `${requirements.join('\n')}\n`;
}
