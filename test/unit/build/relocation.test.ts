import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PackageLayout } from '../../../src/build/layout';
import { recordHash } from '../../../src/build/record';
import {
  relocate,
  relocateShebang,
  relocateText,
  removeWorkingCopyFiles,
  requoteVenvPath,
} from '../../../src/build/relocation';
import { tempDir, writeFile } from '../helpers';

const FINAL = '/opt/venvs/hello';
const BUILD = '/build/hello-1.0/debian/hello/opt/venvs/hello';

describe('relocateShebang', () => {
  // [what, header lines, expected header lines or null for "leave the file alone", final dir if not FINAL]
  const cases: [string, string[], string[] | null, string?][] = [
    [
      "pip's shebang with the build path",
      [`#!${BUILD}/bin/python`, '# -*- coding: utf-8 -*-'],
      [`#!${FINAL}/bin/python`, '# -*- coding: utf-8 -*-'],
    ],
    ['the build path with a version', [`#!${BUILD}/bin/python3.11`], [`#!${FINAL}/bin/python3.11`]],
    ['/usr/bin/python3', ['#!/usr/bin/python3', 'import sys'], [`#!${FINAL}/bin/python3`, 'import sys']],
    ['/usr/bin/env python3', ['#!/usr/bin/env python3'], [`#!${FINAL}/bin/python3`]],
    ['/usr/bin/env python', ['#!/usr/bin/env python'], [`#!${FINAL}/bin/python`]],
    ['/usr/bin/python2.7 after "#! "', ['#! /usr/bin/python2.7'], [`#!${FINAL}/bin/python2.7`]],
    ['interpreter arguments are kept', ['#!/usr/local/bin/python3.11 -u'], [`#!${FINAL}/bin/python3.11 -u`]],
    ['a quoted interpreter path', [`#!"${BUILD}/bin/python"`], [`#!${FINAL}/bin/python`]],
    ['a CRLF line keeps its CR', ['#!/usr/bin/python3\r', 'x\r'], [`#!${FINAL}/bin/python3\r`, 'x\r']],
    ['pypy3 becomes the venv python3 (as upstream)', ['#!/usr/bin/pypy3'], [`#!${FINAL}/bin/python3`]],
    ['jython (as upstream)', ['#!/usr/bin/jython'], [`#!${FINAL}/bin/python`]],
    [
      "pip's sh wrapper for a path longer than the shebang limit becomes a plain shebang again",
      ['#!/bin/sh', `'''exec' ${BUILD}/bin/python "$0" "$@"`, "' '''", 'import sys'],
      [`#!${FINAL}/bin/python`, 'import sys'],
    ],
    [
      'the wrapper with a quoted interpreter',
      ['#!/bin/sh', `'''exec' "${BUILD}/bin/python3" "$0" "$@"`, "' '''"],
      [`#!${FINAL}/bin/python3`],
    ],
    [
      "uv's wrapper, whose interpreter is always in single quotes",
      ['#!/bin/sh', `'''exec' '${BUILD}/bin/python' "$0" "$@"`, "' '''", '# -*- coding: utf-8 -*-'],
      [`#!${FINAL}/bin/python`, '# -*- coding: utf-8 -*-'],
    ],
    [
      'the wrapper is kept when even the installed path is too long for a shebang',
      ['#!/bin/sh', `'''exec' ${BUILD}/bin/python "$0" "$@"`, "' '''"],
      ['#!/bin/sh', `'''exec' /opt/${'d'.repeat(120)}/bin/python "$0" "$@"`, "' '''"],
      `/opt/${'d'.repeat(120)}`,
    ],
    [
      'an exec line without the closing line is rewritten in place',
      ['#!/bin/sh', `'''exec' ${BUILD}/bin/python "$0" "$@"`, 'x'],
      ['#!/bin/sh', `'''exec' ${FINAL}/bin/python "$0" "$@"`, 'x'],
    ],
    ['already the installed python', [`#!${FINAL}/bin/python`, 'import sys'], null],
    ['already the installed python3, with arguments', [`#!${FINAL}/bin/python3 -u`], null],
    ['the two-line form already installed', ['#!/bin/sh', `'''exec' ${FINAL}/bin/python "$0" "$@"`], null],
    ['#!/bin/sh alone', ['#!/bin/sh'], null],
    ['a shell script', ['#!/bin/sh', 'exec "$@"'], null],
    [
      'bash, even with an exec line (pip only writes /bin/sh)',
      ['#!/bin/bash', `'''exec' ${BUILD}/bin/python`],
      null,
    ],
    ['perl', ['#!/usr/bin/perl -w'], null],
    ['env node', ['#!/usr/bin/env node'], null],
    // Upstream's sed ("#!.*bin/\(env \)\?python") would write #!/opt/venvs/hello/bin/pythonista, a file the venv
    // does not have; a different program is not the venv's python, so it is left alone.
    [
      'pythonista is another program, left alone (upstream would rewrite it)',
      ['#!/usr/bin/pythonista'],
      null,
    ],
    ['ipython3 is not ipy (upstream would make it bin/pythonthon3)', ['#!/usr/bin/ipython3'], null],
    ['python3-config is not python', ['#!/usr/bin/python3-config'], null],
    // Upstream left these alone, so the script ran /usr/bin/python3 without the venv's packages.
    [
      'env -S: only the interpreter word is replaced, every option stays a word of its own',
      ['#!/usr/bin/env -S python3 -u -W ignore', 'import sys'],
      [`#!/usr/bin/env -S ${FINAL}/bin/python3 -u -W ignore`, 'import sys'],
    ],
    [
      'env -S with an interpreter path',
      ['#!/bin/env -S /usr/bin/python3.11 -u'],
      [`#!/bin/env -S ${FINAL}/bin/python3.11 -u`],
    ],
    ['env -S already pointing at the venv', [`#!/usr/bin/env -S ${FINAL}/bin/python3 -u`], null],
    ['env -S of another program', ['#!/usr/bin/env -S node --harmony'], null],
    ['env of a custom interpreter name', ['#!/usr/bin/env mypython'], null],
    ['a python shebang on the second line only', ['# comment', '#!/usr/bin/python3'], null],
    ['no shebang', ['import sys'], null],
    ['an empty first line', [''], null],
    ['an empty header', [], null],
  ];
  for (const [what, header, expected, finalDir] of cases) {
    test(what, () => assert.deepEqual(relocateShebang(header, finalDir ?? FINAL), expected));
  }

  test("pip's shebang for a wheel's #!python script, with a build path holding a space and quotes", () => {
    const odd = `/home/me/my "odd" project's dir/hello/debian/hello${FINAL}`;
    assert.deepEqual(relocateShebang([`#!${odd}/bin/python`, 'import sys'], FINAL, [odd]), [
      `#!${FINAL}/bin/python`,
      'import sys',
    ]);
    assert.deepEqual(relocateShebang([`#!${odd}/bin/python3.11 -u`], FINAL, ['/elsewhere', odd]), [
      `#!${FINAL}/bin/python3.11 -u`,
    ]);
    // distlib's wrapper for a console script puts the path in "…", though it holds a " itself.
    assert.deepEqual(
      relocateShebang(['#!/bin/sh', `'''exec' "${odd}/bin/python" "$0" "$@"`, "' '''", 'import sys'], FINAL, [
        odd,
      ]),
      [`#!${FINAL}/bin/python`, 'import sys'],
    );
    // Not the venv's interpreter, and not a build path given: left alone, as before.
    assert.equal(relocateShebang([`#!${odd}/bin/pythonista`], FINAL, [odd]), null);
    assert.equal(relocateShebang([`#!${odd}/bin/python`], FINAL), null);
  });

  // distlib quotes the interpreter only when its path has a space, so this is the quoted form pip really
  // writes for such a build directory.
  test('the two-line form for a build directory with a space', () => {
    const header = [
      '#!/bin/sh',
      `'''exec' "/home/me/my pkgs/hello/debian/hello${FINAL}/bin/python" "$0" "$@"`,
    ];
    assert.deepEqual(relocateShebang(header, FINAL), ['#!/bin/sh', `'''exec' ${FINAL}/bin/python "$0" "$@"`]);
  });
});

describe('relocateText', () => {
  const cases: [string, string, string[], string][] = [
    [
      'one spelling, every occurrence',
      `A='${BUILD}'\nB="${BUILD}/bin"\n`,
      [BUILD],
      `A='${FINAL}'\nB="${FINAL}/bin"\n`,
    ],
    [
      'a symlinked and a real spelling, longest first',
      `x=/b/link/v y=/b/realdir/v`,
      ['/b/realdir/v', '/b/link/v'],
      `x=${FINAL} y=${FINAL}`,
    ],
    [
      'a spelling that is a prefix of the other, longest first',
      '/srv/build/venv2 /srv/build/venv',
      ['/srv/build/venv2', '/srv/build/venv'],
      `${FINAL} ${FINAL}`,
    ],
    ['text without the path is unchanged', 'VIRTUAL_ENV=/elsewhere\n', [BUILD], 'VIRTUAL_ENV=/elsewhere\n'],
    ['no spellings', `${BUILD}\n`, [], `${BUILD}\n`],
  ];
  for (const [what, text, spellings, expected] of cases) {
    test(what, () => assert.equal(relocateText(text, spellings, FINAL), expected));
  }
});

describe('relocate on a staging venv', () => {
  /** A venv as virtualenv and pip leave it, reached through a symlinked build directory. */
  function stagingVenv(): { layout: PackageLayout; realStaging: string } {
    const root = tempDir('relocate');
    mkdirSync(join(root, 'real'));
    symlinkSync('real', join(root, 'link'));
    const packageTree = join(root, 'link', 'debian', 'hello');
    const layout: PackageLayout = {
      packageName: 'hello',
      finalDir: FINAL,
      stagingDir: join(packageTree, FINAL),
      packageTree,
      sourceDir: join(root, 'link'),
    };
    const realStaging = join(root, 'real', 'debian', 'hello', FINAL);
    mkdirSync(realStaging, { recursive: true });
    return { layout, realStaging };
  }

  test('rewrites Python shebangs, activate files and local symlinks; leaves everything else byte-identical', () => {
    const { layout, realStaging } = stagingVenv();
    const staging = layout.stagingDir;
    const bin = (name: string): string => join(realStaging, 'bin', name);
    const notUtf8 = Buffer.from([0xff, 0xfe, 0x80, 0x0a, 0xc3, 0x28, 0x0a]);

    writeFile(bin('hello'), `#!${staging}/bin/python\n# -*- coding: utf-8 -*-\nimport hello\n`, 0o755);
    writeFile(
      bin('latin'),
      Buffer.concat([Buffer.from(`#!${realStaging}/bin/python3\n# \xe9\n`, 'latin1'), notUtf8]),
    );
    writeFile(bin('long'), `#!/bin/sh\n'''exec' ${staging}/bin/python "$0" "$@"\n' '''\nimport sys\n`, 0o755);
    const elf = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
      Buffer.from(`#!${staging}/bin/python`),
    ]);
    writeFile(bin('python'), elf, 0o755);
    writeFile(bin('tool'), `#!/bin/sh\nexec ${staging}/bin/python "$@"\n`, 0o755);
    writeFile(bin('perl-tool'), `#!/usr/bin/perl\n# ${staging}\n`, 0o755);
    symlinkSync('python', bin('python3'));
    symlinkSync(`${staging}/bin/python`, bin('python3.11'));
    writeFile(bin('activate'), `VIRTUAL_ENV='${staging}'\nexport VIRTUAL_ENV\n# ${realStaging}\n`);
    writeFile(bin('activate.csh'), `setenv VIRTUAL_ENV '${staging}'\n`);
    writeFile(bin('activate.fish'), `set -gx VIRTUAL_ENV '${realStaging}'\n`);
    writeFile(bin('activate_this.py'), `base = '${staging}'\n`);
    writeFile(join(realStaging, 'lib/python3.11/site-packages/hello/__init__.py'), '');
    writeFile(
      join(realStaging, 'lib/python3.11/site-packages/hello/__pycache__/__init__.cpython-311.pyc'),
      'x',
    );
    const distInfo = join(realStaging, 'lib/python3.11/site-packages/hello-1.0.dist-info');
    const record = [
      '../../../bin/hello,sha256=stale,10',
      'hello/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0',
      'hello-1.0.dist-info/direct_url.json,sha256=x,60',
      'hello-1.0.dist-info/RECORD,,',
      '',
    ];
    writeFile(join(distInfo, 'RECORD'), record.join('\n'));
    writeFile(join(distInfo, 'direct_url.json'), `{"dir_info": {}, "url": "file://${layout.sourceDir}"}`);
    mkdirSync(join(realStaging, 'local'));
    symlinkSync(`${staging}/bin`, join(realStaging, 'local', 'bin'));
    symlinkSync(`${staging}/lib`, join(realStaging, 'local', 'lib'));
    symlinkSync('../include', join(realStaging, 'local', 'include'));

    const untouched = ['python', 'tool', 'perl-tool'].map((name) => [name, readFileSync(bin(name))] as const);

    const report = relocate(layout);

    const stagingBin = join(staging, 'bin');
    assert.deepEqual(
      report.scripts,
      ['hello', 'latin', 'long'].map((name) => join(stagingBin, name)),
    );
    assert.deepEqual(
      report.activateFiles,
      ['activate', 'activate.csh', 'activate.fish', 'activate_this.py'].map((name) => join(stagingBin, name)),
    );
    assert.deepEqual(
      report.symlinks,
      ['bin', 'lib'].map((name) => join(staging, 'local', name)),
    );
    assert.deepEqual(report.byteCodeDirs, [join(staging, 'lib/python3.11/site-packages/hello/__pycache__')]);
    assert.deepEqual(report.directUrls, [
      join(staging, 'lib/python3.11/site-packages/hello-1.0.dist-info/direct_url.json'),
    ]);
    assert.equal(report.records, 1);

    assert.equal(
      readFileSync(bin('hello'), 'utf8'),
      `#!${FINAL}/bin/python\n# -*- coding: utf-8 -*-\nimport hello\n`,
    );
    assert.deepEqual(
      readFileSync(bin('latin')),
      Buffer.concat([Buffer.from(`#!${FINAL}/bin/python3\n# \xe9\n`, 'latin1'), notUtf8]),
    );
    assert.equal(readFileSync(bin('long'), 'utf8'), `#!${FINAL}/bin/python\nimport sys\n`);
    assert.equal(lstatSync(bin('hello')).mode & 0o777, 0o755);
    for (const [name, bytes] of untouched) assert.deepEqual(readFileSync(bin(name)), bytes, name);
    assert.equal(readlinkSync(bin('python3')), 'python');
    assert.equal(readlinkSync(bin('python3.11')), `${staging}/bin/python`);

    // The shells' scripts get the installed path quoted only as far as the shell needs (here not at all).
    assert.equal(
      readFileSync(bin('activate'), 'utf8'),
      `VIRTUAL_ENV=${FINAL}\nexport VIRTUAL_ENV\n# ${FINAL}\n`,
    );
    assert.equal(readFileSync(bin('activate.csh'), 'utf8'), `setenv VIRTUAL_ENV ${FINAL}\n`);
    assert.equal(readFileSync(bin('activate.fish'), 'utf8'), `set -gx VIRTUAL_ENV ${FINAL}\n`);
    assert.equal(readFileSync(bin('activate_this.py'), 'utf8'), `base = '${FINAL}'\n`);

    assert.equal(readlinkSync(join(realStaging, 'local', 'bin')), '../bin');
    assert.equal(readlinkSync(join(realStaging, 'local', 'lib')), '../lib');
    assert.equal(readlinkSync(join(realStaging, 'local', 'include')), '../include');
    assert.ok(existsSync(join(realStaging, 'lib/python3.11/site-packages/hello/__init__.py')));
    assert.ok(!existsSync(join(realStaging, 'lib/python3.11/site-packages/hello/__pycache__')));
    assert.ok(!existsSync(join(distInfo, 'direct_url.json')));
    const hello = readFileSync(bin('hello'));
    assert.equal(
      readFileSync(join(distInfo, 'RECORD'), 'utf8'),
      // Sorted as pip sorts it: "hello-1.0.dist-info/" before "hello/".
      [`../../../bin/hello,${recordHash(hello)},${hello.length}`, record[3], record[1], ''].join('\n'),
    );

    const before = ['hello', 'latin', 'long', 'activate'].map((name) => readFileSync(bin(name)));
    const again = relocate(layout);
    assert.deepEqual(
      [again.scripts, again.activateFiles, again.symlinks, again.byteCodeDirs],
      [[], [], [], []],
    );
    assert.deepEqual(
      ['hello', 'latin', 'long', 'activate'].map((name) => readFileSync(bin(name))),
      before,
      'a second run changes nothing',
    );
  });

  test('local/ that is itself an absolute symlink to the venv becomes "."', () => {
    const { layout, realStaging } = stagingVenv();
    mkdirSync(join(realStaging, 'bin'));
    symlinkSync(layout.stagingDir, join(realStaging, 'local'));
    assert.deepEqual(relocate(layout).symlinks, [join(layout.stagingDir, 'local')]);
    assert.equal(readlinkSync(join(realStaging, 'local')), '.');
  });

  test('a dangling local/ symlink, or one to elsewhere, is left as it is: not an error', () => {
    for (const target of ['/nonexistent/venv', '../elsewhere', 'missing']) {
      const { layout, realStaging } = stagingVenv();
      symlinkSync(target, join(realStaging, 'local'));
      assert.deepEqual(relocate(layout).symlinks, [], target);
      assert.equal(readlinkSync(join(realStaging, 'local')), target);
    }
  });

  test('a venv without bin/ or local/ is not an error', () => {
    const { layout } = stagingVenv();
    assert.deepEqual(relocate(layout), {
      scripts: [],
      activateFiles: [],
      symlinks: [],
      byteCodeDirs: [],
      directUrls: [],
      pyvenvCfg: false,
      records: 0,
    });
  });

  test("pyvenv.cfg: venv's command = line names the installed path; virtualenv's file stays as it is", () => {
    const { layout, realStaging } = stagingVenv();
    const cfg = join(realStaging, 'pyvenv.cfg');
    const venvCfg = (dir: string): string =>
      `home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n` +
      `executable = /usr/bin/python3.11\ncommand = /usr/bin/python3 -m venv ${dir}\n`;
    writeFile(cfg, venvCfg(realStaging));
    assert.equal(relocate(layout).pyvenvCfg, true);
    assert.equal(readFileSync(cfg, 'utf8'), venvCfg(FINAL));
    assert.equal(relocate(layout).pyvenvCfg, false, 'a second run changes nothing');

    const virtualenvCfg = 'home = /usr/bin\nimplementation = CPython\nvirtualenv = 20.17.1+ds\n';
    writeFile(cfg, virtualenvCfg);
    assert.equal(relocate(layout).pyvenvCfg, false);
    assert.equal(readFileSync(cfg, 'utf8'), virtualenvCfg);
  });

  test('the activate scripts are the same whether the build path needed shell quoting or not', () => {
    // What each creator writes for a build path with a space (quoted by all of them) and for a plain one.
    const plain = '/build/hello/debian/hello/opt/venvs/hello';
    const spaced = '/build/my hello/debian/hello/opt/venvs/hello';
    const creators: [string, (path: string) => string][] = [
      [
        'virtualenv 20.31 and venv since CVE-2024-9287 (shlex.quote)',
        (path) => (path.includes(' ') ? `'${path}'` : path),
      ],
      ['virtualenv 20.17 (quotes in its template)', (path) => `'${path}'`],
    ];
    for (const [creator, quote] of creators) {
      const results = [plain, spaced].map((builtAt) => {
        const { layout, realStaging } = stagingVenv();
        for (const [name, line] of [
          ['activate', 'VIRTUAL_ENV=PATH'],
          ['activate.csh', 'setenv VIRTUAL_ENV PATH'],
          ['activate.fish', 'set -gx VIRTUAL_ENV PATH'],
        ] as const) {
          writeFile(join(realStaging, 'bin', name), `${line.replace('PATH', quote(builtAt))}\n`);
        }
        // Nushell's quoting is its own, whatever the path: left as it is.
        writeFile(join(realStaging, 'bin', 'activate.nu'), `let virtual_env = r#'${builtAt}'#\n`);
        relocate(layout, builtAt);
        return ['activate', 'activate.csh', 'activate.fish', 'activate.nu'].map((name) =>
          readFileSync(join(realStaging, 'bin', name), 'utf8'),
        );
      });
      assert.deepEqual(results[1], results[0], creator);
      assert.deepEqual(results[0], [
        `VIRTUAL_ENV=${FINAL}\n`,
        `setenv VIRTUAL_ENV ${FINAL}\n`,
        `set -gx VIRTUAL_ENV ${FINAL}\n`,
        `let virtual_env = r#'${FINAL}'#\n`,
      ]);
    }
    // An installed path that needs quoting keeps it; other quoted words are left alone.
    assert.equal(requoteVenvPath("V='/opt/my venvs/x'\n", '/opt/my venvs/x'), "V='/opt/my venvs/x'\n");
    assert.equal(requoteVenvPath("V='/opt/venvs/x/bin'\n", '/opt/venvs/x'), "V='/opt/venvs/x/bin'\n");
  });

  test("the creators' files for a working copy go (Debian 12 and 13 write different ones); others stay", () => {
    // [what, file name, contents as the creator writes them, removed?]
    const cases: [string, string, string, boolean][] = [
      ["virtualenv's .gitignore", '.gitignore', '# created by virtualenv automatically\n*\n', true],
      [
        "Python 3.13 venv's .gitignore",
        '.gitignore',
        '# Created by venv; see https://docs.python.org/3/library/venv.html\n*\n',
        true,
      ],
      ["the project's own .gitignore", '.gitignore', '*.log\n', false],
      [
        "virtualenv 20.31's CACHEDIR.TAG",
        'CACHEDIR.TAG',
        'Signature: 8a477f597d28d172789f06886806bc55\n' +
          '# This file is a cache directory tag created by Python virtualenv.\n' +
          '# For information about cache directory tags, see:\n' +
          '#   https://bford.info/cachedir/',
        true,
      ],
      [
        'a cache tag of some other program',
        'CACHEDIR.TAG',
        'Signature: 8a477f597d28d172789f06886806bc55\n# created by another tool\n',
        false,
      ],
    ];
    for (const [what, name, contents, removed] of cases) {
      const { layout, realStaging } = stagingVenv();
      writeFile(join(realStaging, name), contents);
      writeFile(join(realStaging, 'lib', name), contents);
      assert.deepEqual(removeWorkingCopyFiles(layout), removed ? [join(layout.stagingDir, name)] : [], what);
      assert.equal(existsSync(join(realStaging, name)), !removed, what);
      assert.ok(existsSync(join(realStaging, 'lib', name)), `${what}: only the venv's top is looked at`);
    }
    const { layout, realStaging } = stagingVenv();
    writeFile(join(realStaging, '.gitignore'), '# Created by venv; see …\n*\n');
    relocate(layout);
    assert.ok(!existsSync(join(realStaging, '.gitignore')), 'relocate removes them');
  });

  test('a venv copied from where it was built (build-system mode) loses the build path too', () => {
    const { layout, realStaging } = stagingVenv();
    const builtAt = join(layout.sourceDir, 'obj-x86_64-linux-gnu', FINAL);
    writeFile(join(realStaging, 'bin/hello'), `#!${builtAt}/bin/python\n`, 0o755);
    writeFile(join(realStaging, 'bin/activate'), `VIRTUAL_ENV='${builtAt}'\n`);
    const distInfo = join(realStaging, 'lib/python3.11/site-packages/hello-1.0.dist-info');
    writeFile(join(distInfo, 'direct_url.json'), `{"url": "file://${builtAt}/src"}`);
    writeFile(join(distInfo, 'METADATA'), 'Name: hello\n');
    const report = relocate(layout, builtAt);
    assert.equal(readFileSync(join(realStaging, 'bin/hello'), 'utf8'), `#!${FINAL}/bin/python\n`);
    assert.equal(readFileSync(join(realStaging, 'bin/activate'), 'utf8'), `VIRTUAL_ENV=${FINAL}\n`);
    assert.deepEqual(report.directUrls, [
      join(layout.stagingDir, 'lib/python3.11/site-packages/hello-1.0.dist-info/direct_url.json'),
    ]);
    assert.ok(existsSync(join(distInfo, 'METADATA')));
    assert.equal(report.records, 0, 'no RECORD to update');
    writeFile(join(realStaging, 'pyvenv.cfg'), `command = /usr/bin/python3 -m venv ${builtAt}\n`);
    assert.equal(relocate(layout, builtAt).pyvenvCfg, true);
    assert.equal(
      readFileSync(join(realStaging, 'pyvenv.cfg'), 'utf8'),
      `command = /usr/bin/python3 -m venv ${FINAL}\n`,
    );
  });
});
