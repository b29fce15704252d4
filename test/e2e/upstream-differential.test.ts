/**
 * Differential test: one source package (test/fixtures/diff-hello, compat 11, `dh $@ --with python-virtualenv`)
 * built once with Debian's dh-virtualenv 1.2.2 (downloaded and unpacked privately, see upstream-dh-virtualenv.ts)
 * and once with ours, in the same clean environment against the same local index. The two .debs must hold the
 * same files, with the same modes, link targets and contents, except for the differences docs/differences.md
 * lists under "Files in the package". Each of those is encoded below, and each must still be seen, so the
 * table cannot go stale in either direction.
 *
 * Needs Debian's archive (apt-get download); without it the test is skipped, saying why.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  debDepends,
  extractDeb,
  firstLine,
  startSuite,
  targetPython,
  type Build,
  type Suite,
} from './harness';
import { fetchUpstream } from './upstream-dh-virtualenv';
import { compareTrees, treeEntries } from './upstream-trees';

const TIMEOUT = 10 * 60 * 1000;
const FIXTURE = 'diff-hello';
const PKG = 'dhvt-diff-hello';
const VENV = `/opt/venvs/${PKG}`;
const SITE_PACKAGES = `${VENV}/${targetPython().sitePackages}`;

type Side = 'upstream' | 'ours';

/** A path only one of the two packages holds. */
interface ExtraFile {
  /** As the row of docs/differences.md says it. */
  readonly what: string;
  readonly onlyIn: Side;
  readonly matches: (path: string) => boolean;
}

/** docs/differences.md, "Files in the package": files one package has and the other lacks. */
const EXTRA_FILES: readonly ExtraFile[] = [
  {
    what: 'no __pycache__/*.pyc (upstream ships byte code; our postinst compiles it)',
    onlyIn: 'upstream',
    matches: (path) => path.split('/').includes('__pycache__'),
  },
  {
    what: 'no direct_url.json naming the build directory',
    onlyIn: 'upstream',
    matches: (path) => path === `${SITE_PACKAGES}/dhvt_diff_hello-1.0.dist-info/direct_url.json`,
  },
  {
    what: "no virtualenv's .gitignore or CACHEDIR.TAG (the latter from virtualenv 20.31, Debian 13)",
    onlyIn: 'upstream',
    matches: (path) => path === `${VENV}/.gitignore` || path === `${VENV}/CACHEDIR.TAG`,
  },
  {
    what: 'lintian overrides in /usr/share/lintian/overrides/<package>',
    onlyIn: 'ours',
    matches: (path) => path === '/usr/share/lintian' || path.startsWith('/usr/share/lintian/'),
  },
  {
    what: 'the bill of materials, /usr/share/doc/<package>/sbom.cdx.json',
    onlyIn: 'ours',
    matches: (path) => path === `/usr/share/doc/${PKG}/sbom.cdx.json`,
  },
];

function isExtra(path: string, side: Side): boolean {
  return EXTRA_FILES.some((rule) => rule.onlyIn === side && rule.matches(path));
}

/** A RECORD hash field (the wheel spec): sha256, urlsafe base64 without padding. */
function recordHash(bytes: Buffer): string {
  return 'sha256=' + createHash('sha256').update(bytes).digest('base64url');
}

/**
 * RECORD: upstream's lists the byte code and direct_url.json it ships, and keeps, for scripts whose shebang
 * was rewritten, the hash and size of the script pip wrote with the build path; ours is refreshed. Ours is
 * also sorted (virtualenv's seed packages come in an order that depends on its cache path). Returns
 * upstream's text as ours would be (line ends kept: pip writes "\r\n").
 */
function asOurRecord(theirTree: string, record: string, seen: Set<string>): string {
  const site = dirname(dirname(record));
  const lines = readFileSync(join(theirTree, record), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .flatMap((line) => {
      const end = line.endsWith('\r') ? '\r' : '';
      const fields = line.slice(0, line.length - end.length).split(',');
      if (fields.length < 3) return [line];
      // The hash and size never hold a comma; a file name that does is quoted (CSV).
      const [size, hash] = [fields.pop(), fields.pop()];
      const name = fields
        .join(',')
        .replace(/^"(.*)"$/, '$1')
        .replace(/""/g, '"');
      const path = join(site, name);
      // Ours lists no byte code at all, also not the entries virtualenv writes for its seeds (some of them
      // name .pyc files outside any __pycache__).
      if (isExtra(path, 'upstream') || path.endsWith('.pyc')) return [];
      if (hash === '') return [line];
      const bytes = readFileSync(join(theirTree, path));
      const actual = `${recordHash(bytes)},${bytes.length}`;
      if (`${hash},${size}` === actual) return [line];
      seen.add('stale RECORD entry');
      return [`${fields.join(',')},${actual}${end}`];
    });
  const sorted = [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.some((line, i) => line !== lines[i])) seen.add('RECORD order');
  return sorted.map((line) => line + '\n').join('');
}

/**
 * activate scripts: upstream rewrote the VIRTUAL_ENV line of activate, .csh and .fish with double quotes and
 * left the build path in the others (activate.nu); we replace the path wherever it is, and in the shells'
 * scripts write it as a shell word, quoted only if it must be (here not). Returns upstream's text as ours
 * would be, noting which differences were seen.
 */
function asOurActivate(text: string, buildVenv: string, seen: Set<string>): string {
  const quoted = text.split(`"${VENV}"`).join(VENV);
  if (quoted !== text) seen.add('activate quoting');
  const relocated = quoted.split(buildVenv).join(VENV);
  if (relocated !== quoted) seen.add('activate build path');
  return relocated;
}

/**
 * The interpreter: our bin/python links to the real path of the one the venv was made with
 * (/usr/bin/python3.X), upstream's to the /usr/bin/python3 it was given; pyvenv.cfg's base-executable says
 * the same. Returns whether upstream's entry, so changed, is ours.
 */
function sameInterpreter(theirTree: string, ourTree: string, path: string, seen: Set<string>): boolean {
  const same =
    path === `${VENV}/bin/python`
      ? readlinkSync(join(ourTree, path)) === realpathSync(readlinkSync(join(theirTree, path)))
      : readFileSync(join(theirTree, path), 'utf8').replace(
          /^(base-executable = )(.*)$/m,
          (_, key: string, value: string) => key + realpathSync(value),
        ) === readFileSync(join(ourTree, path), 'utf8');
  if (same) seen.add('interpreter real path');
  return same;
}

/**
 * Paths both packages hold whose entries differ, and that no documented difference explains: only activate
 * scripts, RECORDs, bin/python and pyvenv.cfg may differ, and only as described above.
 */
function unexplainedChanges(
  theirTree: string,
  ourTree: string,
  changed: readonly string[],
  buildVenv: string,
  seen: Set<string>,
): string[] {
  return changed.flatMap((path) => {
    if ([`${VENV}/bin/python`, `${VENV}/pyvenv.cfg`].includes(path)) {
      return sameInterpreter(theirTree, ourTree, path, seen) ? [] : [path];
    }
    const read = (tree: string): string => readFileSync(join(tree, path), 'utf8');
    if (
      path.startsWith(`${VENV}/bin/activate`) &&
      asOurActivate(read(theirTree), buildVenv, seen) === read(ourTree)
    ) {
      return [];
    }
    if (basename(path) === 'RECORD' && asOurRecord(theirTree, path, seen) === read(ourTree)) return [];
    return [path];
  });
}

describe('differential test against upstream dh-virtualenv 1.2.2', { concurrency: false }, () => {
  let suite: Suite;
  let workDir: string;
  before(async () => {
    suite = await startSuite({ projects: ['dhvt-greet'] });
    workDir = mkdtempSync(join(tmpdir(), 'dhvt-upstream-'));
  });
  after(async () => {
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
    await suite?.close();
  });

  test(
    'the same source built by upstream and by us differs only as docs/differences.md says',
    { timeout: TIMEOUT },
    async (t) => {
      const upstream = await fetchUpstream(workDir);
      if ('skip' in upstream) {
        t.skip(upstream.skip);
        return;
      }
      t.diagnostic(`upstream: Debian's dh-virtualenv ${upstream.debianVersion}`);
      const theirs = await suite.buildPackage(FIXTURE, { env: upstream.env });
      const ours = await suite.buildPackage(FIXTURE);
      const theirTree = await extractDeb(theirs.deb(PKG));
      const ourTree = await extractDeb(ours.deb(PKG));
      // Each build used its own tool: upstream's debhelper.py marks its snippets as dh_python2's.
      const postinst = (tree: string): string => readFileSync(join(tree, 'DEBIAN/postinst'), 'utf8');
      assert.match(postinst(theirTree), /^# Automatically added by dh_python2:/m);
      assert.match(postinst(ourTree), /^# Automatically added by dh_virtualenv\//m);

      // The same members, in the whole package (not only the venv), but for the documented extra files.
      const theirFiles = treeEntries(theirTree, ['DEBIAN']);
      const ourFiles = treeEntries(ourTree, ['DEBIAN']);
      const difference = compareTrees(theirFiles, ourFiles);
      assert.deepEqual(
        {
          onlyInUpstream: difference.onlyInFirst.filter((path) => !isExtra(path, 'upstream')),
          onlyInOurs: difference.onlyInSecond.filter((path) => !isExtra(path, 'ours')),
        },
        { onlyInUpstream: [], onlyInOurs: [] },
        'files in only one package that docs/differences.md does not list',
      );
      for (const rule of EXTRA_FILES) {
        const paths = rule.onlyIn === 'upstream' ? difference.onlyInFirst : difference.onlyInSecond;
        assert.ok(
          paths.some(rule.matches),
          `docs/differences.md says "${rule.what}", but the packages do not differ there`,
        );
      }

      // The files both hold: same type, mode, link target and contents, but for activate scripts and RECORDs.
      const seen = new Set<string>();
      const buildVenv = join(realpathSync(theirs.sourceDir), 'debian', PKG, VENV);
      assert.deepEqual(
        unexplainedChanges(theirTree, ourTree, difference.changed, buildVenv, seen),
        [],
        'files whose type, mode or contents differ in a way docs/differences.md does not list',
      );
      assert.deepEqual(
        [...seen].sort(),
        [
          'RECORD order',
          'activate build path',
          'activate quoting',
          'interpreter real path',
          'stale RECORD entry',
        ],
        'every documented content difference still occurs',
      );
      // Spelled out, what the comparison allowed for: the same console script, the same VIRTUAL_ENV.
      const script = join(VENV, 'bin', PKG);
      assert.equal(firstLine(join(theirTree, script)), `#!${VENV}/bin/python`);
      assert.equal(firstLine(join(ourTree, script)), `#!${VENV}/bin/python`);
      const virtualEnv = (tree: string): string | undefined =>
        /^VIRTUAL_ENV=(["']?)([^"']*)\1$/m.exec(readFileSync(join(tree, VENV, 'bin/activate'), 'utf8'))?.[2];
      assert.equal(virtualEnv(theirTree), VENV);
      assert.equal(virtualEnv(ourTree), VENV);

      // The control area: ours adds the triggers file, and the interpreter to Depends.
      const controlFiles = (tree: string): string[] => readdirSync(join(tree, 'DEBIAN')).sort();
      assert.deepEqual(controlFiles(ourTree), [...controlFiles(theirTree), 'triggers'].sort());
      const depends = async (build: Build): Promise<string[]> => (await debDepends(build.deb(PKG))).sort();
      assert.deepEqual(await depends(ours), [...(await depends(theirs)), targetPython().packageName].sort());
    },
  );
});
