import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import postinstTemplate from '../../../autoscripts/postinst.sh';
import prermTemplate from '../../../autoscripts/prerm.sh';
import type { Interpreter } from '../../../src/core/interpreter';
import type { PackageLayout } from '../../../src/build/layout';
import {
  addSnippet,
  addTriggers,
  checkNameableInScripts,
  fillTemplate,
  maintainerAdditions,
  postinstWarning,
  rejectsTriggered,
  writeMaintainerAdditions,
  type ByteCode,
  type MaintainerAdditions,
} from '../../../src/build/maintainer-scripts';
import { ConfigurationError } from '../../../src/core/errors';
import { VERSION } from '../../../src/core/version';
import goldenPostinst from '../golden/dhvt-golden.postinst.sh';
import goldenPrerm from '../golden/dhvt-golden.prerm.sh';
import { tempDir, writeFile } from '../helpers';

const START = `# Automatically added by dh_virtualenv/${VERSION}\n`;
const END = '# End automatically added section\n';
const block = (text: string): string => `${START}${text}${END}`;

function goldenLayout(): PackageLayout {
  return {
    packageName: 'dhvt-golden',
    finalDir: '/opt/venvs/dhvt-golden',
    stagingDir: '/build/dhvt-golden/debian/dhvt-golden/opt/venvs/dhvt-golden',
    packageTree: '/build/dhvt-golden/debian/dhvt-golden',
    sourceDir: '/build/dhvt-golden',
  };
}
const PYTHON311: Interpreter = { path: '/usr/bin/python3', realPath: '/usr/bin/python3.11' };

function goldenAdditions(byteCode: ByteCode = 'compiled-on-install'): MaintainerAdditions {
  return maintainerAdditions(goldenLayout(), PYTHON311, byteCode);
}

function snippet(additions: MaintainerAdditions, script: 'postinst' | 'prerm'): string {
  const found = additions.snippets.find((item) => item.script === script);
  assert.ok(found !== undefined, `no ${script} snippet`);
  return found.text;
}

describe('fillTemplate', () => {
  const cases: [string, Record<string, string>, string][] = [
    ["dir='#VENV_DIR#'", { VENV_DIR: '/opt/venvs/a' }, "dir='/opt/venvs/a'"],
    ['#A# #B# #A#', { A: '1', B: '2' }, '1 2 1'],
    ['${x##*/} ## #lower# # PYTHON #', {}, '${x##*/} ## #lower# # PYTHON #'],
    ['#A#B#', { A: 'x' }, 'xB#'],
  ];
  for (const [template, values, filled] of cases) {
    test(`${template} -> ${filled}`, () => assert.equal(fillTemplate(template, values), filled));
  }

  test('a token without a value is an internal error naming it', () => {
    assert.throws(
      () => fillTemplate('a #VENV_DIR# #PYTHON#', { VENV_DIR: '/x' }),
      /template token #PYTHON# has no value/,
    );
  });

  test('the shipped templates use only VENV_DIR, PYTHON and BYTE_CODE', () => {
    const known = new Set(['VENV_DIR', 'PYTHON', 'BYTE_CODE']);
    for (const template of [postinstTemplate, prermTemplate]) {
      const tokens = new Set([...template.matchAll(/#([A-Z_]+)#/g)].map((match) => match[1] ?? ''));
      assert.deepEqual(
        [...tokens].filter((token) => !known.has(token)),
        [],
      );
    }
  });
});

describe('maintainerAdditions', () => {
  test('fills both snippets for the installed venv and the real interpreter; golden files', () => {
    const additions = goldenAdditions();
    assert.equal(additions.packageName, 'dhvt-golden');
    assert.deepEqual(
      additions.snippets.map((item) => item.script),
      ['postinst', 'prerm'],
    );
    assert.equal(snippet(additions, 'postinst'), goldenPostinst);
    assert.equal(snippet(additions, 'prerm'), goldenPrerm);
    assert.deepEqual(additions.triggers, [
      'interest-noawait /usr/bin/python3.11',
      'interest-noawait dh-virtualenv-interpreter-update',
    ]);
  });

  test('--ship-byte-code only changes which byte code the snippets handle', () => {
    const shipped = goldenAdditions('shipped');
    const byteCodeLine = (value: string): string => `dh_venv_byte_code='${value}'`;
    for (const [script, golden] of [
      ['postinst', goldenPostinst],
      ['prerm', goldenPrerm],
    ] as const) {
      assert.ok(golden.includes(byteCodeLine('compiled-on-install')), script);
      assert.equal(
        snippet(shipped, script),
        golden.replace(byteCodeLine('compiled-on-install'), byteCodeLine('shipped')),
      );
    }
  });

  test('the filled snippets are valid POSIX shell (dash -n, sh -n, shellcheck -s sh)', (t) => {
    const dir = tempDir('syntax');
    const scripts = (['compiled-on-install', 'shipped'] as const).flatMap((byteCode) =>
      (['postinst', 'prerm'] as const).map((script) =>
        writeFile(
          join(dir, `${script}-${byteCode}`),
          `#!/bin/sh\nset -e\n${snippet(goldenAdditions(byteCode), script)}`,
          0o755,
        ),
      ),
    );
    for (const path of scripts) {
      for (const shell of ['dash', 'sh']) {
        const result = spawnSync(shell, ['-n', path], { encoding: 'utf8' });
        assert.equal(result.status, 0, `${shell} -n ${path}: ${result.stderr}`);
      }
    }
    const probe = spawnSync('shellcheck', ['--version']);
    if (probe.error !== undefined) {
      t.skip('shellcheck is not installed');
      return;
    }
    for (const path of scripts) {
      const result = spawnSync('shellcheck', ['-s', 'sh', path], { encoding: 'utf8' });
      assert.equal(result.status, 0, `shellcheck ${path}:\n${result.stdout}`);
    }
  });
});

describe('addSnippet', () => {
  test('postinst appends, prerm prepends, each between the debhelper-style markers', () => {
    const other = '# Automatically added by dh_python3\nfoo\n# End automatically added section\n';
    assert.equal(addSnippet(other, 'postinst', 'ours\n'), other + block('ours\n'));
    assert.equal(addSnippet(other, 'prerm', 'ours\n'), block('ours\n') + other);
    assert.equal(addSnippet('', 'postinst', 'ours'), block('ours\n'), 'a missing final newline is added');
  });

  test('an identical block is not added twice; a different one is', () => {
    for (const script of ['postinst', 'prerm'] as const) {
      const once = addSnippet('', script, 'ours\n');
      assert.equal(addSnippet(once, script, 'ours\n'), once);
      assert.equal(addSnippet(once, script, 'ours'), once);
      assert.notEqual(addSnippet(once, script, 'theirs\n'), once);
    }
  });
});

describe('addTriggers', () => {
  const trigger = 'interest-noawait /usr/bin/python3.11';
  const added = `# Triggers added by dh_virtualenv/${VERSION}\n${trigger}\n`;
  // [what, generated triggers so far, the user's debian/<pkg>.triggers, expected generated triggers]
  const cases: [string, string, string, string][] = [
    ['nothing yet: added', '', '', added],
    [
      'after what other tools generated',
      'activate-noawait ldconfig\n',
      '',
      `activate-noawait ldconfig\n${added}`,
    ],
    ['already generated: unchanged', added, '', added],
    [
      'generated with another interest type: unchanged',
      'interest /usr/bin/python3.11\n',
      '',
      'interest /usr/bin/python3.11\n',
    ],
    ["in the user's file as interest: skipped", '', 'interest /usr/bin/python3.11\n', ''],
    [
      "in the user's file as interest-await, spaced out: skipped",
      '',
      '  interest-await   /usr/bin/python3.11  \n',
      '',
    ],
    ["the user's file names another interpreter: added", '', 'interest /usr/bin/python3.12\n', added],
    ["the user's file names a longer path: added", '', 'interest /usr/bin/python3.11-dbg\n', added],
    ["a comment in the user's file does not count", '', '# interest /usr/bin/python3.11\n', added],
  ];
  for (const [what, existing, user, expected] of cases) {
    test(what, () => assert.equal(addTriggers(existing, user, [trigger]), expected));
  }
});

describe('writeMaintainerAdditions', () => {
  function files(debianDir: string): Record<string, string> {
    const read = (path: string): string => readFileSync(join(debianDir, path), 'utf8');
    const result: Record<string, string> = {};
    for (const path of [
      'dhvt-golden.postinst.debhelper',
      'dhvt-golden.prerm.debhelper',
      '.debhelper/generated/dhvt-golden/triggers',
    ]) {
      if (existsSync(join(debianDir, path))) result[path] = read(path);
    }
    return result;
  }

  test('writes debhelper-named files; a rerun changes nothing and leaves no temporary files', () => {
    const debianDir = join(tempDir('debian'), 'debian');
    writeMaintainerAdditions(goldenAdditions(), debianDir);
    const first = files(debianDir);
    assert.deepEqual(first, {
      'dhvt-golden.postinst.debhelper': block(goldenPostinst),
      'dhvt-golden.prerm.debhelper': block(goldenPrerm),
      '.debhelper/generated/dhvt-golden/triggers':
        `# Triggers added by dh_virtualenv/${VERSION}\ninterest-noawait /usr/bin/python3.11\n` +
        'interest-noawait dh-virtualenv-interpreter-update\n',
    });
    writeMaintainerAdditions(goldenAdditions(), debianDir);
    assert.deepEqual(files(debianDir), first);
    const leftovers = [
      ...readdirSync(debianDir),
      ...readdirSync(join(debianDir, '.debhelper/generated/dhvt-golden')),
    ].filter((name) => name.endsWith('.new'));
    assert.deepEqual(leftovers, []);
  });

  test("keeps other tools' snippets and honours the user's own triggers file", () => {
    const debianDir = join(tempDir('debian'), 'debian');
    const other =
      '# Automatically added by dh_installsystemd/13\nsystemd\n# End automatically added section\n';
    writeFile(join(debianDir, 'dhvt-golden.postinst.debhelper'), other);
    writeFile(join(debianDir, 'dhvt-golden.prerm.debhelper'), other);
    writeFile(join(debianDir, 'dhvt-golden.triggers'), 'interest-noawait /usr/bin/python3.11\n');
    writeMaintainerAdditions(goldenAdditions(), debianDir);
    assert.deepEqual(files(debianDir), {
      'dhvt-golden.postinst.debhelper': other + block(goldenPostinst),
      'dhvt-golden.prerm.debhelper': block(goldenPrerm) + other,
      '.debhelper/generated/dhvt-golden/triggers': `# Triggers added by dh_virtualenv/${VERSION}\ninterest-noawait dh-virtualenv-interpreter-update\n`,
    });
  });
});

/** Runs a filled snippet the way dpkg would run a maintainer script holding it. */
function runScript(text: string, args: readonly string[], env: Record<string, string> = {}) {
  const path = writeFile(join(tempDir('script'), 'script'), `#!/bin/sh\nset -e\n${text}`, 0o755);
  return spawnSync('dash', ['-e', path, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
}

const OLD = '#!/bin/sh\n# the interpreter as built\nexit 0\n';
const NEW = '#!/bin/sh\n# the interpreter after a python update\nexit 0\n';
const NEWER = '#!/bin/sh\n# the interpreter after a second update\nexit 0\n';

/** An installed venv whose bin/python is a copy (virtualenv --always-copy) or a symlink of the interpreter. */
function installedVenv(kind: 'copy' | 'symlink', byteCode: ByteCode = 'compiled-on-install') {
  const root = tempDir('installed');
  const venv = join(root, 'opt/venvs/hello');
  const python = writeFile(join(root, 'usr/bin/python3.11'), NEW, 0o755);
  const bin = (name: string): string => join(venv, 'bin', name);
  if (kind === 'copy') {
    writeFile(bin('python'), OLD, 0o755);
    copyFileSync(bin('python'), bin('python3.11'));
    symlinkSync('python', bin('python3'));
  } else {
    writeFile(join(venv, 'lib/python3.11/site-packages/hello.py'), '');
    mkdirSync(join(venv, 'bin'));
    symlinkSync(python, bin('python'));
    symlinkSync('python', bin('python3'));
  }
  const layout: PackageLayout = { ...goldenLayout(), packageName: 'hello', finalDir: venv };
  const additions = maintainerAdditions(layout, { path: python, realPath: python }, byteCode);
  return {
    venv,
    python,
    bin,
    read: (name: string): string => readFileSync(bin(name), 'utf8'),
    postinst: (args: readonly string[], env: Record<string, string> = {}) =>
      runScript(snippet(additions, 'postinst'), args, env),
    prerm: (args: readonly string[]) => runScript(snippet(additions, 'prerm'), args),
  };
}

function assertQuietSuccess(result: ReturnType<typeof runScript>): void {
  assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', '']);
}

describe('the postinst snippet, run by dash', () => {
  test('configure replaces a copied interpreter that differs, keeping the first original once', () => {
    const installed = installedVenv('copy');
    assertQuietSuccess(installed.postinst(['configure', '1.0']));
    assert.equal(installed.read('python'), NEW);
    assert.equal(installed.read('python3.11'), NEW);
    assert.equal(installed.read('python,orig'), OLD);
    assert.equal(installed.read('python3.11,orig'), OLD);
    assert.equal(readlinkSync(installed.bin('python3')), 'python', 'the python3 symlink is left alone');
    assert.ok(!existsSync(installed.bin('python3,orig')));
    assert.ok(!existsSync(installed.bin('python,new')));

    writeFile(installed.python, NEWER, 0o755);
    assertQuietSuccess(installed.postinst(['configure', '1.0']));
    assert.equal(installed.read('python'), NEWER);
    assert.equal(installed.read('python,orig'), OLD, 'the backup is the interpreter as first installed');

    assertQuietSuccess(installed.postinst(['configure', '1.0']));
    assert.equal(installed.read('python'), NEWER);
  });

  test('with DH_VERBOSE=1 it says what it refreshed', () => {
    const installed = installedVenv('copy');
    const result = installed.postinst(['configure', ''], { DH_VERBOSE: '1' });
    assert.equal(result.status, 0);
    assert.equal(
      result.stdout,
      `dh_virtualenv: refreshed ${installed.bin('python')} from ${installed.python}\n` +
        `dh_virtualenv: refreshed ${installed.bin('python3.11')} from ${installed.python}\n`,
    );
    assert.equal(result.stderr, '');
  });

  test('a symlinked interpreter is left untouched', () => {
    const installed = installedVenv('symlink');
    assertQuietSuccess(installed.postinst(['configure', '1.0']));
    assert.equal(readlinkSync(installed.bin('python')), installed.python);
    assert.deepEqual(readdirSync(join(installed.venv, 'bin')).sort(), ['python', 'python3']);
  });

  test('the interpreter being gone is not an error', () => {
    const installed = installedVenv('copy');
    writeFile(installed.python, NEW, 0o644);
    assertQuietSuccess(installed.postinst(['configure', '1.0']));
    assert.equal(installed.read('python'), OLD);
  });

  test('triggered by /usr/bin/python3.11 (alone or among other triggers) refreshes', () => {
    for (const triggers of ['/usr/bin/python3.11', '/usr/share/doc /usr/bin/python3.11']) {
      const installed = installedVenv('copy');
      assertQuietSuccess(installed.postinst(['triggered', triggers]));
      assert.equal(installed.read('python'), NEW, triggers);
    }
  });

  test('triggered by something else, or run with an argument it does not handle, does nothing', () => {
    const cases: string[][] = [
      ['triggered', '/usr/share/doc'],
      ['abort-upgrade', '1.0'],
      ['abort-remove'],
      [],
    ];
    for (const args of cases) {
      const installed = installedVenv('copy');
      assertQuietSuccess(installed.postinst(args));
      assert.equal(installed.read('python'), OLD, args.join(' '));
      assert.ok(!existsSync(installed.bin('python,orig')));
    }
  });

  // maintainerAdditions registers "interest-noawait <python.realPath>", so dpkg passes that path to
  // "postinst triggered"; the case in autoscripts/postinst.sh only matches /usr/bin/python*, which misses
  // e.g. Debian's pypy3 (/usr/lib/pypy3/bin/pypy3) or any --python outside /usr/bin.
  test('triggered by the interpreter path it registered interest in (outside /usr/bin) refreshes', () => {
    const installed = installedVenv('copy');
    assertQuietSuccess(installed.postinst(['triggered', installed.python]));
    assert.equal(installed.read('python'), NEW);
  });
});

describe('byte code in the postinst, run by dash', () => {
  /** A venv whose bin/python only notes how it was called. */
  function recordingVenv(byteCode: ByteCode) {
    const root = tempDir('compile');
    const venv = join(root, 'opt/venvs/hello');
    const calls = join(root, 'calls');
    writeFile(join(venv, 'bin/python'), `#!/bin/sh\necho "$*" >> '${calls}'\n`, 0o755);
    const layout: PackageLayout = { ...goldenLayout(), packageName: 'hello', finalDir: venv };
    // An interpreter that is not there, so the postinst's interpreter refresh leaves bin/python alone.
    const gone = join(root, 'usr/bin/python3.11');
    const additions = maintainerAdditions(layout, { path: gone, realPath: gone }, byteCode);
    return {
      venv,
      postinst: (args: readonly string[]) => runScript(snippet(additions, 'postinst'), args),
      calls: (): string => (existsSync(calls) ? readFileSync(calls, 'utf8') : ''),
    };
  }

  test('configure, and an aborted upgrade or removal (after the prerm removed it), compile the venv', () => {
    for (const action of ['configure', 'reconfigure', 'abort-upgrade', 'abort-remove', 'abort-deconfigure']) {
      const installed = recordingVenv('compiled-on-install');
      assertQuietSuccess(installed.postinst([action, '1.0']));
      assert.equal(installed.calls(), `-m compileall -q -j 0 ${installed.venv}/lib\n`, action);
    }
  });

  test('with --ship-byte-code it compiles nothing: the package brought the byte code', () => {
    const installed = recordingVenv('shipped');
    assertQuietSuccess(installed.postinst(['configure', '1.0']));
    assert.equal(installed.calls(), '');
  });
});

describe('the prerm snippet, run by dash', () => {
  function withLeftovers(byteCode: ByteCode = 'compiled-on-install') {
    const installed = installedVenv('copy', byteCode);
    const lib = join(installed.venv, 'lib/python3.11/site-packages');
    writeFile(installed.bin('python,orig'), OLD);
    writeFile(installed.bin('python3.11,orig'), OLD);
    writeFile(join(lib, 'hello/__init__.py'), '');
    writeFile(join(lib, 'hello/__pycache__/__init__.cpython-311.pyc'), 'x');
    writeFile(join(lib, 'hello/sub/__pycache__/mod.cpython-311.pyc'), 'x');
    writeFile(join(installed.venv, 'lib/python3.11/__pycache__/site.cpython-311.pyc'), 'x');
    writeFile(join(lib, 'hello/data,orig'), 'kept: only bin/*,orig are backups of ours');
    const remaining = (): string[] => {
      const walk = (dir: string, prefix: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory()
            ? walk(join(dir, entry.name), `${prefix}${entry.name}/`)
            : [`${prefix}${entry.name}`],
        );
      return walk(installed.venv, '').sort();
    };
    return { ...installed, remaining };
  }

  const CLEAN = [
    'bin/python',
    'bin/python3',
    'bin/python3.11',
    'lib/python3.11/site-packages/hello/__init__.py',
    'lib/python3.11/site-packages/hello/data,orig',
  ];

  for (const action of ['remove', 'upgrade', 'deconfigure']) {
    test(`${action} deletes __pycache__ directories and the interpreter backups`, () => {
      const installed = withLeftovers();
      assertQuietSuccess(installed.prerm([action, '1.0']));
      assert.deepEqual(installed.remaining(), CLEAN);
    });
  }

  // The package's own byte code must survive a failed upgrade or a deconfigure; what Python wrote besides
  // (other optimization levels) goes on removal, so purge leaves nothing.
  for (const action of ['upgrade', 'deconfigure']) {
    test(`with --ship-byte-code, ${action} keeps __pycache__ and deletes the interpreter backups`, () => {
      const installed = withLeftovers('shipped');
      const byteCode = installed.remaining().filter((path) => path.includes('__pycache__/'));
      assertQuietSuccess(installed.prerm([action, '1.0']));
      assert.deepEqual(installed.remaining(), [...CLEAN, ...byteCode].sort());
    });
  }

  test('with --ship-byte-code, remove deletes __pycache__ directories too', () => {
    const installed = withLeftovers('shipped');
    assertQuietSuccess(installed.prerm(['remove']));
    assert.deepEqual(installed.remaining(), CLEAN);
  });

  test('failed-upgrade leaves everything alone', () => {
    const installed = withLeftovers();
    const before = installed.remaining();
    assertQuietSuccess(installed.prerm(['failed-upgrade', '1.0']));
    assert.deepEqual(installed.remaining(), before);
  });

  test('remove when the venv directory is already gone exits 0', () => {
    const root = tempDir('gone');
    const layout: PackageLayout = { ...goldenLayout(), finalDir: join(root, 'opt/venvs/gone') };
    const additions = maintainerAdditions(layout, PYTHON311, 'compiled-on-install');
    assertQuietSuccess(runScript(snippet(additions, 'prerm'), ['remove']));
  });
});

/**
 * dh_make's debian/postinst.ex, as most hand-written postinsts start: its case turns away every action it does
 * not list (Debian policy 6.5 lists the actions dpkg passes), before #DEBHELPER#.
 */
const DH_MAKE_POSTINST = `#!/bin/sh
# postinst script for hello
set -e

case "$1" in
    configure)
    ;;

    abort-upgrade|abort-remove|abort-deconfigure)
    ;;

    *)
        echo "postinst called with unknown argument \\\`$1'" >&2
        exit 1
    ;;
esac

#DEBHELPER#

exit 0
`;

describe('unknown actions', () => {
  // What dh_installdeb writes: the maintainer's script with #DEBHELPER# replaced, or, without one, the
  // snippets after "#!/bin/sh" and "set -e".
  const merged = (postinst: string | undefined): string => {
    const text = block(snippet(goldenAdditions(), 'postinst'));
    return postinst === undefined ? `#!/bin/sh\nset -e\n${text}` : postinst.replace('#DEBHELPER#', text);
  };
  const run = (script: string, args: readonly string[]) => {
    const path = writeFile(join(tempDir('script'), 'postinst'), script, 0o755);
    return spawnSync('dash', [path, ...args], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  };

  test('the snippet passes an action it does not know, as debhelper snippets do: exit 0, nothing done', () => {
    const result = run(merged(undefined), ['no-such-action', '1.0']);
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', '']);
  });

  test("merged into dh_make's postinst, the maintainer's case rejects it, as policy's examples do", () => {
    const result = run(merged(DH_MAKE_POSTINST), ['no-such-action', '1.0']);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, "postinst called with unknown argument `no-such-action'\n");
    // ... and "triggered" too, which is why dh_virtualenv warns about such a script.
    assert.equal(run(merged(DH_MAKE_POSTINST), ['triggered', '/usr/bin/python3.11']).status, 1);
    const fixed = DH_MAKE_POSTINST.replace('    configure)\n', '    configure)\n    ;;\n\n    triggered)\n');
    assert.equal(run(merged(fixed), ['triggered', '/usr/bin/python3.11']).status, 0);
  });

  test('rejectsTriggered finds a postinst that turns "triggered" away', () => {
    const cases: [string, string, boolean][] = [
      ["dh_make's template", DH_MAKE_POSTINST, true],
      [
        'the template accepting triggered',
        DH_MAKE_POSTINST.replace('configure)', 'configure|triggered)'),
        false,
      ],
      ['a catch-all that only warns', DH_MAKE_POSTINST.replace('exit 1', 'true'), false],
      ['no case at all', '#!/bin/sh\nset -e\n#DEBHELPER#\n', false],
      [
        '"triggered" only in a comment',
        DH_MAKE_POSTINST.replace('set -e', 'set -e\n# triggered: see below'),
        true,
      ],
    ];
    for (const [what, text, expected] of cases) assert.equal(rejectsTriggered(text), expected, what);
  });

  test('postinstWarning reads debian/<package>.postinst, else debian/postinst', () => {
    const debianDir = tempDir('debian');
    assert.equal(postinstWarning(debianDir, 'hello'), undefined);
    writeFile(join(debianDir, 'postinst'), DH_MAKE_POSTINST);
    assert.match(
      postinstWarning(debianDir, 'hello') ?? '',
      /^hello: debian\/postinst rejects the actions it does not know, "triggered" among them, .*"triggered\) ;;"/,
    );
    writeFile(join(debianDir, 'hello.postinst'), '#!/bin/sh\n#DEBHELPER#\n');
    assert.equal(postinstWarning(debianDir, 'hello'), undefined);
  });
});

describe('checkNameableInScripts', () => {
  test('an interpreter path the scripts and triggers can name passes, whatever the link to it is called', () => {
    checkNameableInScripts({ path: "/tmp/my python's dir/python3", realPath: '/usr/bin/python3.11' });
    checkNameableInScripts({
      path: '/opt/py-3.12+local/bin/python3',
      realPath: '/opt/py-3.12+local/bin/python3',
    });
  });

  test('a space or a quote in the real path is refused, naming it', () => {
    for (const realPath of ['/opt/my python/bin/python3', "/opt/it's/python3", '/opt/"q"/python3']) {
      assert.throws(
        () => checkNameableInScripts({ path: '/usr/local/bin/py', realPath }),
        (error: unknown) =>
          error instanceof ConfigurationError &&
          error.message.startsWith(`--python /usr/local/bin/py (${realPath}): the package's triggers`),
      );
    }
  });
});
