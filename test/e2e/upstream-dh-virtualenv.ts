/**
 * Debian's own dh-virtualenv 1.2.2, runnable from a private directory without installing it over ours:
 *
 *     const upstream = await fetchUpstream(dir);          // apt-get download + dpkg-deb -x
 *     if ('skip' in upstream) return t.skip(upstream.skip);
 *     await suite.buildPackage('diff-hello', { env: upstream.env });
 *
 * Upstream's dh_virtualenv is a Python script importing the dh_virtualenv module from the system's
 * dist-packages; its debhelper sequence is a Perl module; it runs `virtualenv` from PATH and reads its
 * maintainer-script templates from <module>/../autoscripts/. The unpacked copy is wired up accordingly: a
 * private bin/ first on PATH (dh_virtualenv and virtualenv wrappers), PERL5LIB at its perl5/, its templates
 * copied next to the module.
 */
import { chmodSync, cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hermeticEnv, runProcess, SYSTEM_PATH, SYSTEM_PYTHON, tail, type Env } from './processes';

/** The release we are a drop-in replacement for; Debian 12 ships it as 1.2.2-1.3. */
export const UPSTREAM_VERSION = '1.2.2';

export interface UpstreamTool {
  /** Debian's version of the package that was unpacked, e.g. 1.2.2-1.3. */
  readonly debianVersion: string;
  /** Where the .deb was unpacked (dpkg-deb -x). */
  readonly root: string;
  /** PATH and PERL5LIB for a build with upstream: its dh_virtualenv and sequence instead of ours. */
  readonly env: Env;
}

/** Why the test cannot run here (no archive, no network), to be shown as the skip reason. */
export interface UpstreamUnavailable {
  readonly skip: string;
}

/** `apt-cache madison` lines: "dh-virtualenv |  1.2.2-1.3 | http://deb.debian.org/debian bookworm/main …". */
function upstreamVersions(madison: string): string[] {
  return madison
    .split('\n')
    .map((line) => (line.split('|')[1] ?? '').trim())
    .filter((version) => version.startsWith(`${UPSTREAM_VERSION}-`));
}

/**
 * `/usr/bin/dh_virtualenv` of the .deb, run with the module's directory first on sys.path. PYTHONPATH would do
 * the same, but would also reach virtualenv and pip (upstream passes its whole environment on), and put the
 * dh_virtualenv module into the venv's view; an installed upstream has it in the system's dist-packages, which
 * the venv does not see.
 */
function dhVirtualenvWrapper(root: string): string {
  const distPackages = join(root, 'usr/lib/python3/dist-packages');
  return [
    `#!${SYSTEM_PYTHON}`,
    'import runpy, sys',
    `sys.path.insert(0, ${JSON.stringify(distPackages)})`,
    `runpy.run_path(${JSON.stringify(join(root, 'usr/bin/dh_virtualenv'))}, run_name="__main__")`,
    '',
  ].join('\n');
}

/** Upstream runs the first `virtualenv` on PATH; Debian's python3-virtualenv has no such command. */
const VIRTUALENV_WRAPPER = `#!/bin/sh\nexec ${SYSTEM_PYTHON} -m virtualenv "$@"\n`;

/**
 * Downloads Debian's dh-virtualenv 1.2.2 into `dir` and unpacks it there. Returns why not when the archive
 * has no such version or cannot be reached; every other failure is an error.
 */
export async function fetchUpstream(dir: string): Promise<UpstreamTool | UpstreamUnavailable> {
  const env = hermeticEnv({ HOME: dir });
  const madison = await runProcess(['apt-cache', 'madison', 'dh-virtualenv'], { env });
  const debianVersion = upstreamVersions(madison.stdout)[0];
  if (debianVersion === undefined) {
    return {
      skip:
        `apt-cache knows no dh-virtualenv ${UPSTREAM_VERSION} (is Debian 12's archive in sources.list, ` +
        `and "apt-get update" run?): ${tail(madison.output, 5)}`,
    };
  }
  // mkdtemp's 0700 directory is closed to apt's _apt user; download as root rather than warn about it.
  const download = await runProcess(
    ['apt-get', 'download', '-o', 'APT::Sandbox::User=root', `dh-virtualenv=${debianVersion}`],
    { env, cwd: dir },
  );
  const deb = readdirSync(dir).find((name) => name.startsWith('dh-virtualenv_') && name.endsWith('.deb'));
  if (download.status !== 0 || deb === undefined) {
    return {
      skip: `could not download dh-virtualenv ${debianVersion} from Debian's archive: ${tail(download.output, 5)}`,
    };
  }

  const root = join(dir, 'root');
  const unpack = await runProcess(['dpkg-deb', '-x', join(dir, deb), root], { env });
  if (unpack.status !== 0) throw new Error(`dpkg-deb -x ${deb} failed: ${tail(unpack.output)}`);
  // debhelper.py looks for its templates next to the module before /usr/share/debhelper/autoscripts/.
  const distPackages = join(root, 'usr/lib/python3/dist-packages');
  cpSync(join(root, 'usr/share/debhelper/autoscripts'), join(distPackages, 'autoscripts'), {
    recursive: true,
  });
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const [name, text] of [
    ['dh_virtualenv', dhVirtualenvWrapper(root)],
    ['virtualenv', VIRTUALENV_WRAPPER],
  ] as const) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  return {
    debianVersion,
    root,
    env: { PATH: `${bin}:${SYSTEM_PATH}`, PERL5LIB: join(root, 'usr/share/perl5') },
  };
}
