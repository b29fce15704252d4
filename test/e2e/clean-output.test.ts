/**
 * Issue #5, clean output. The fixture is the "hello project with two small requirements"
 * (test/fixtures/clean-hello), built four ways: the defaults, --ship-byte-code, --builtin-venv and the
 * dh_virtualenv build system. Each package must name no build path in any file, build bit for bit the same
 * in another directory at another time with another umask, TZ and locale, pass lintian without errors or
 * warnings (the fixtures carry no overrides of their own), keep every RECORD true, and handle byte code
 * so that tracebacks name /opt/venvs/<pkg>, unprivileged users never recompile, and purge leaves nothing.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import {
  LEAK_MARKER,
  ODD_PLACE,
  PLAIN_PLACE,
  buildAt,
  buildPathLeaks,
  buildSpellings,
  byteCodeUse,
  describeDebDifferences,
  lintian,
  memberDates,
  recordProblems,
  reinstallDeb,
  runAsNobody,
  runAsRoot,
  sha256,
  snapshot,
  type BuildAtOptions,
  type PlacedBuild,
} from './clean-output-steps';
import {
  assertNothingLeft,
  extractDeb,
  firstLine,
  installDeb,
  purge,
  purgeAfter,
  startSuite,
  targetPython,
  type Suite,
} from './harness';
import { assertSucceeded, DEV_UV_DIR, fixturePath, sleep } from './processes';

const TIMEOUT = 10 * 60 * 1000;
const { sitePackages: SITE, cacheTag: CACHE_TAG } = targetPython();
/** dpkg-buildpackage exports SOURCE_DATE_EPOCH from the fixtures' debian/changelog, 2024-01-01 00:00 UTC. */
const CHANGELOG_DATE = '2024-01-01 00:00';

interface Variant {
  readonly what: string;
  readonly fixture: string;
  readonly pkg: string;
  readonly byteCode: 'compiled-on-install' | 'shipped';
  /** A directory the build needs on PATH besides the system's and the tool under test's. */
  readonly extraPath?: string;
}

const DEFAULTS: Variant = {
  what: 'defaults',
  fixture: 'clean-hello',
  pkg: 'dhvt-clean-hello',
  byteCode: 'compiled-on-install',
};
const SHIPPED: Variant = {
  what: '--ship-byte-code',
  fixture: 'clean-shipped',
  pkg: 'dhvt-clean-shipped',
  byteCode: 'shipped',
};
const BUILTIN: Variant = {
  what: '--builtin-venv',
  fixture: 'clean-builtin',
  pkg: 'dhvt-clean-builtin',
  byteCode: 'compiled-on-install',
};
const BUILDSYSTEM: Variant = {
  what: 'build system',
  fixture: 'clean-buildsystem',
  pkg: 'dhvt-clean-buildsystem',
  byteCode: 'compiled-on-install',
};
/** The same project installed by uv (--installer uv), which the build finds on PATH. */
const UV: Variant = {
  what: '--installer uv',
  fixture: 'clean-uv',
  pkg: 'dhvt-clean-uv',
  byteCode: 'compiled-on-install',
  extraPath: DEV_UV_DIR,
};
const VARIANTS = [DEFAULTS, SHIPPED, BUILTIN, BUILDSYSTEM, UV];

const venvOf = (variant: Variant): string => `/opt/venvs/${variant.pkg}`;

/** The byte code of the fixture's own module and of both requirements, in an installed or unpacked venv. */
function ourByteCode(venv: string): string[] {
  return [
    `${SITE}/__pycache__/dhvt_clean_hello.${CACHE_TAG}.pyc`,
    `${SITE}/dhvt_greet/__pycache__/__init__.${CACHE_TAG}.pyc`,
    `${SITE}/dhvt_color/__pycache__/__init__.${CACHE_TAG}.pyc`,
  ].map((path) => join(venv, path));
}

/** Reads .pyc headers (PEP 552 flags) and the file name compiled into each, as Python wrote them. */
async function pycFacts(paths: readonly string[]): Promise<{ flags: number; filename: string }[]> {
  const script =
    'import json, marshal, sys\n' +
    'out = []\n' +
    'for path in sys.argv[1:]:\n' +
    '    data = open(path, "rb").read()\n' +
    '    out.append({"flags": int.from_bytes(data[4:8], "little"), ' +
    '"filename": marshal.loads(data[16:]).co_filename})\n' +
    'print(json.dumps(out))\n';
  const result = await runAsRoot(['/usr/bin/python3', '-c', script, ...paths]);
  assertSucceeded(result, 'reading .pyc headers');
  return JSON.parse(result.stdout) as { flags: number; filename: string }[];
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? allFiles(path) : [path];
  });
}

async function dpkgVerify(pkg: string): Promise<string> {
  const result = await runAsRoot(['dpkg', '--verify', pkg]);
  assertSucceeded(result, `dpkg --verify ${pkg}`);
  return result.stdout;
}

describe('clean output (issue #5)', { concurrency: false }, () => {
  let suite: Suite;
  const oddBuilds = new Map<string, Promise<PlacedBuild>>();
  const placeOptions = (variant: Variant): BuildAtOptions =>
    variant.extraPath === undefined
      ? {}
      : { env: { PATH: `${suite.env().PATH ?? ''}:${variant.extraPath}` } };
  /** Each fixture is built once in the odd place; the tests below share that build. */
  const oddBuild = (variant: Variant): Promise<PlacedBuild> => {
    let build = oddBuilds.get(variant.fixture);
    if (build === undefined) {
      build = buildAt(suite, variant.fixture, ODD_PLACE, placeOptions(variant));
      oddBuilds.set(variant.fixture, build);
    }
    return build;
  };

  before(async () => {
    suite = await startSuite({ projects: ['dhvt-greet', 'dhvt-color'] });
  });
  after(() => suite?.close());

  test('the leak search finds percent-encoded paths, link targets and the staging tree', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'dhvt-clean-leak-search-'));
    try {
      const sourceDir = `/build/first+build,dir@host=x~y/${LEAK_MARKER}/src/clean-hello`;
      const staging = 'debian/dhvt-clean-hello/opt/venvs/dhvt-clean-hello';
      mkdirSync(join(tree, 'a'));
      writeFileSync(join(tree, 'a/direct_url.json'), `{"url": "file:///build/first%2Bbuild/${LEAK_MARKER}"}`);
      writeFileSync(join(tree, 'a/RECORD'), `x,${staging}/bin/x\n`);
      writeFileSync(join(tree, 'a/clean'), '/opt/venvs/dhvt-clean-hello\n');
      symlinkSync(`${sourceDir}/debian/x`, join(tree, 'a/link'));
      assert.deepEqual((await buildPathLeaks(tree, [sourceDir, LEAK_MARKER, staging])).sort(), [
        'contents: a/RECORD',
        'contents: a/direct_url.json',
        `link: a/link -> ${sourceDir}/debian/x`,
      ]);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  for (const variant of VARIANTS) {
    test(
      `${variant.what}: built in a deep, odd directory, the package names no build path`,
      { timeout: TIMEOUT },
      async () => {
        const build = await oddBuild(variant);
        const venv = venvOf(variant);
        assert.ok(
          build.sourceDir.length > 127,
          `the build directory is only ${build.sourceDir.length} bytes`,
        );
        const tree = await extractDeb(build.deb);
        assert.deepEqual(
          await buildPathLeaks(tree, buildSpellings(build, variant.pkg, venv)),
          [],
          `files of ${variant.pkg} that name the build (built in ${build.sourceDir})`,
        );
        assert.equal(firstLine(join(tree, venv, 'bin/dhvt-clean-hello')), `#!${venv}/bin/python`);
        if (variant === BUILTIN) {
          // venv (Python 3.11 and later) records its command line; it names the installed venv.
          assert.match(
            readFileSync(join(tree, venv, 'pyvenv.cfg'), 'utf8'),
            new RegExp(`^command = /usr/bin/python3[.0-9]* -m venv ${venv}$`, 'm'),
          );
        }

        // RECORD stays true: rewritten scripts carry their new hash and size; removed files are not listed.
        const { problems, checked } = recordProblems(join(tree, venv));
        assert.deepEqual(problems, []);
        assert.ok(checked > 100, `only ${checked} RECORD entries checked`);
        if (variant === UV) {
          const installer = join(tree, venv, SITE, 'dhvt_greet-1.0.dist-info', 'INSTALLER');
          assert.equal(readFileSync(installer, 'utf8').trim(), 'uv', 'uv installed the requirements');
        }

        const byteCode = allFiles(join(tree, venv)).filter((path) => path.endsWith('.pyc'));
        if (variant.byteCode === 'compiled-on-install') {
          assert.deepEqual(byteCode, [], 'byte code in the package');
          return;
        }
        // Shipped: compiled for the installed path, hash-checked (flags 3: PEP 552 hash-based, check_source).
        const ours = ourByteCode(join(tree, venv));
        assert.deepEqual(
          ours.filter((path) => !byteCode.includes(path)),
          [],
          'byte code of our modules missing',
        );
        const facts = await pycFacts(byteCode);
        assert.deepEqual(
          [...new Set(facts.map((fact) => fact.flags))],
          [3],
          'every .pyc is hash-based and checked',
        );
        assert.deepEqual(
          facts.filter((fact) => !fact.filename.startsWith(`${venv}/lib/`)).map((fact) => fact.filename),
          [],
        );
      },
    );
  }

  for (const variant of VARIANTS) {
    test(
      `${variant.what}: another directory, time, umask, TZ and locale give a bit-for-bit identical .deb`,
      { timeout: TIMEOUT },
      async () => {
        const first = await oddBuild(variant);
        // At least two seconds apart, whatever happened in between.
        await sleep(Math.max(0, first.finishedAt + 2000 - Date.now()));
        const second = await buildAt(suite, variant.fixture, PLAIN_PLACE, placeOptions(variant));
        assert.notEqual(first.sourceDir, second.sourceDir);
        // Every member is dated SOURCE_DATE_EPOCH (the changelog's date), none by the clock.
        assert.deepEqual([...(await memberDates(second.deb)).keys()], [CHANGELOG_DATE]);
        if (sha256(first.deb) !== sha256(second.deb)) {
          assert.fail(
            `${first.deb} and ${second.deb} differ:\n${await describeDebDifferences(first.deb, second.deb)}`,
          );
        }
      },
    );
  }

  for (const variant of VARIANTS) {
    test(
      `${variant.what}: lintian finds no errors or warnings; each override says why`,
      { timeout: TIMEOUT },
      async () => {
        const debian = fixturePath(variant.fixture, 'debian');
        assert.deepEqual(
          readdirSync(debian).filter((name) => name.includes('lintian')),
          [],
          'the fixture has overrides of its own',
        );
        assert.ok(!existsSync(join(debian, 'source', 'lintian-overrides')));
        const build = await oddBuild(variant);
        const report = await lintian(build.deb, join(build.workDir, 'home'));
        assert.deepEqual(report.errorsAndWarnings, [], report.result.stdout);
        assert.equal(report.result.status, 0, report.result.output);
        assert.deepEqual(report.overridesWithoutReason, [], 'overridden tags without a comment');
        assert.ok(report.overridden > 0, 'the overrides dh_virtualenv installs were not used');
      },
    );
  }

  /**
   * Installs the package, runs its program as nobody and as root, checks where its byte code came from, what
   * a traceback shows, that pip still trusts the venv, and that purge leaves nothing.
   */
  async function installRunAndPurge(t: TestContext, variant: Variant): Promise<void> {
    const build = await oddBuild(variant);
    const venv = venvOf(variant);
    const program = `${venv}/bin/dhvt-clean-hello`;
    await purgeAfter(t, variant.pkg);
    await installDeb(build.deb);
    // The postinst changed none of the package's files (shebangs, shipped byte code).
    assert.equal(await dpkgVerify(variant.pkg), '');
    const ours = ourByteCode(venv);
    assert.deepEqual(
      ours.filter((path) => !existsSync(path)),
      [],
      'byte code missing after installation',
    );
    const facts = await pycFacts(ours);
    // The file name inside the byte code itself (Python corrects it on import, so tracebacks alone cannot
    // show a wrong one).
    assert.deepEqual(
      facts.map((fact) => fact.filename),
      ['dhvt_clean_hello.py', 'dhvt_greet/__init__.py', 'dhvt_color/__init__.py'].map((file) =>
        join(venv, SITE, file),
      ),
    );
    if (variant.byteCode === 'shipped') assert.deepEqual([...new Set(facts.map((fact) => fact.flags))], [3]);

    // An unprivileged user gets every module from byte code; nothing is compiled again.
    const before = snapshot(venv);
    const asNobody = await runAsNobody([program], { PYTHONVERBOSE: '1' });
    assertSucceeded(asNobody, `${program} as nobody`);
    assert.equal(asNobody.stdout.trim(), `dhvt-clean-hello: hello from dhvt-greet, *color* (prefix ${venv})`);
    const use = byteCodeUse(asNobody.stderr, venv);
    assert.deepEqual(use.compiled, [], 'modules compiled from source when nobody ran the program');
    assert.deepEqual(
      ours.filter((path) => !use.fromCache.includes(path)),
      [],
      'modules not loaded from byte code',
    );
    for (let run = 0; run < 2; run++) assertSucceeded(await runAsRoot([program]), `${program} as root`);
    assert.deepEqual(snapshot(venv), before, 'running the program changed files in the venv');

    // A traceback names the installed files.
    const failed = await runAsNobody([program, '--fail']);
    assert.equal(failed.status, 1, failed.output);
    assert.match(
      failed.stderr,
      new RegExp(`^  File "${venv}/${SITE}/dhvt_clean_hello\\.py", line \\d+, in main$`, 'm'),
    );
    assert.match(failed.stderr, /^RuntimeError: dhvt-clean-hello failed on purpose$/m);
    assert.ok(!failed.stderr.includes(build.sourceDir) && !failed.stderr.includes(LEAK_MARKER));

    if (variant.byteCode === 'shipped') {
      // The prerm keeps the package's own byte code on upgrade (needed again if the upgrade fails) …
      const prerm = await runAsRoot([`/var/lib/dpkg/info/${variant.pkg}.prerm`, 'upgrade', '1.0']);
      assertSucceeded(prerm, 'prerm upgrade');
      assert.equal(await dpkgVerify(variant.pkg), '', 'prerm upgrade removed shipped files');
      // … and a reinstallation (an upgrade to the same version) leaves it intact.
      await reinstallDeb(build.deb);
      assert.equal(await dpkgVerify(variant.pkg), '');
    }

    // pip inside the venv trusts its metadata: check passes, uninstall removes what RECORD lists.
    assertSucceeded(await runAsRoot([`${venv}/bin/python`, '-m', 'pip', 'check']), 'pip check');
    const uninstall = await runAsRoot([`${venv}/bin/python`, '-m', 'pip', 'uninstall', '-y', 'dhvt-greet']);
    assertSucceeded(uninstall, 'pip uninstall dhvt-greet');
    assert.ok(!existsSync(join(venv, SITE, 'dhvt_greet')), 'pip uninstall left dhvt_greet behind');

    // Byte code Python writes by itself (here for -O) is not the package's; purge removes it as well.
    assertSucceeded(await runAsRoot([`${venv}/bin/python`, '-O', '-c', 'import dhvt_color']), 'python -O');
    assert.ok(existsSync(join(venv, SITE, `dhvt_color/__pycache__/__init__.${CACHE_TAG}.opt-1.pyc`)));
    await purge(variant.pkg);
    assertNothingLeft(venv);
  }

  for (const variant of VARIANTS) {
    const how =
      variant.byteCode === 'shipped'
        ? 'byte code shipped in the package stays untouched'
        : 'the postinst compiles byte code';
    test(
      `${variant.what}: ${how}; nobody recompiles; tracebacks name ${venvOf(variant)}; purge leaves nothing`,
      { timeout: TIMEOUT },
      async (t) => {
        await installRunAndPurge(t, variant);
      },
    );
  }
});
