import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../../../src/core/errors';
import { metadataFromDistInfo, parseCoreMetadata } from '../../../src/init/core-metadata';
import { entryPointNames, iniList, parseIni } from '../../../src/init/ini';
import { homepageOf, parsePerson } from '../../../src/init/metadata';
import { readPoetry } from '../../../src/init/poetry';
import { mergeMetadata, setupPyAddsMetadata } from '../../../src/init/project';
import { expandLicenseGlobs, readPyprojectProject } from '../../../src/init/pyproject';
import { isExtraRequirement, readRequirementsText, requirementName } from '../../../src/init/requirements';
import { readSetupCfg } from '../../../src/init/setup-cfg';
import { literalAssignment, valueOfAttr, versionInFile } from '../../../src/init/static-values';
import { parseToml } from '../../../src/init/toml';
import { tempDir, writeFile } from '../helpers';

/** A project directory with these files. */
function project(files: Record<string, string>): string {
  const dir = tempDir('project');
  for (const [path, content] of Object.entries(files)) writeFile(join(dir, path), content);
  return dir;
}

function pyproject(dir: string, text: string) {
  return readPyprojectProject(dir, parseToml(text, 'pyproject.toml'));
}

describe('pyproject.toml [project] (PEP 621)', () => {
  test('static fields', () => {
    const dir = project({ 'README.md': '# x\n\nHello.\n', 'LICENSES/MIT.txt': 'MIT', LICENSE: 'text' });
    const metadata = pyproject(
      dir,
      `
[build-system]
requires = ["hatchling>=1.20"]
build-backend = "hatchling.build"
[project]
name = "my-app"
version = "1.2"
description = "Does things"
readme = "README.md"
license = "MIT OR Apache-2.0"
license-files = ["LICEN[CS]E*", "LICENSES/*.txt"]
authors = [{ name = "Jane", email = "jane@example.org" }, { email = "Bob <bob@example.org>, team@example.org" }]
dependencies = ["requests>=2", "psycopg2; sys_platform == 'linux'"]
optional-dependencies = { pg = ["asyncpg"] }
classifiers = ["License :: OSI Approved :: MIT License"]
urls = { Documentation = "https://docs.example.org", "Source Code" = "https://git.example.org/my-app" }
scripts = { my-app = "my_app:main", my-admin = "my_app.admin:main" }
gui-scripts = { my-gui = "my_app.gui:main" }
`,
    );
    assert.ok(metadata !== undefined);
    assert.equal(metadata.origin, 'pyproject.toml [project]');
    assert.equal(metadata.name, 'my-app');
    assert.equal(metadata.version, '1.2');
    assert.equal(metadata.summary, 'Does things');
    assert.deepEqual(metadata.readme, { text: '# x\n\nHello.\n', type: 'markdown' });
    assert.deepEqual(metadata.license, {
      expression: 'MIT OR Apache-2.0',
      classifiers: ['License :: OSI Approved :: MIT License'],
      files: ['LICENSE', 'LICENSES/MIT.txt'],
    });
    assert.equal(metadata.homepage, 'https://git.example.org/my-app');
    assert.deepEqual(metadata.authors, [
      { name: 'Jane', email: 'jane@example.org' },
      { name: 'Bob', email: 'bob@example.org' },
      { email: 'team@example.org' },
    ]);
    assert.deepEqual(metadata.requirements, ['requests>=2', "psycopg2; sys_platform == 'linux'"]);
    assert.deepEqual(metadata.scripts, ['my-app', 'my-admin', 'my-gui']);
    assert.deepEqual(metadata.buildRequires, ['hatchling>=1.20']);
    assert.deepEqual(metadata.unresolved, {});
  });

  test('license and readme tables', () => {
    const dir = project({ 'COPYING.txt': 'x', 'docs/intro.rst': 'Intro\n=====\n\nText.\n' });
    const metadata = pyproject(
      dir,
      `[project]
name = "a"
version = "1"
license = { file = "COPYING.txt" }
readme = { file = "docs/intro.rst", content-type = "text/x-rst" }`,
    );
    assert.deepEqual(metadata?.license, { classifiers: [], files: ['COPYING.txt'] });
    assert.deepEqual(metadata?.readme, { text: 'Intro\n=====\n\nText.\n', type: 'rst' });
    const inline = pyproject(
      dir,
      '[project]\nname = "a"\nlicense = { text = "BSD" }\nreadme = { text = "Hi", content-type = "text/plain" }',
    );
    assert.deepEqual(inline?.license, { text: 'BSD', classifiers: [], files: [] });
    assert.deepEqual(inline?.readme, { text: 'Hi', type: 'plain' });
  });

  test('dynamic versions the backend configuration gives statically', () => {
    // [files, pyproject.toml, version, why it is unresolved]
    const cases: [Record<string, string>, string, string | undefined, RegExp | undefined][] = [
      [
        { 'src/pkg/__init__.py': '"""Doc."""\n__version__ = "2.1.0"\n' },
        '[tool.setuptools.dynamic]\nversion = { attr = "pkg.__version__" }',
        '2.1.0',
        undefined,
      ],
      [
        { 'lib/pkg/about.py': "VERSION: str = '0.9'\n" },
        '[tool.setuptools]\npackage-dir = { "" = "lib" }\n[tool.setuptools.dynamic]\nversion = { attr = "pkg.about.VERSION" }',
        '0.9',
        undefined,
      ],
      [
        { VERSION: '3.3.3\n' },
        '[tool.setuptools.dynamic]\nversion = { file = "VERSION" }',
        '3.3.3',
        undefined,
      ],
      [
        { 'pkg/__init__.py': '__version__ = get_version()\n' },
        '[tool.setuptools.dynamic]\nversion = { attr = "pkg.__version__" }',
        undefined,
        /attr: pkg.__version__/,
      ],
      [
        { 'src/app/__about__.py': '__version__ = "0.3.1"\n' },
        '[tool.hatch.version]\npath = "src/app/__about__.py"',
        '0.3.1',
        undefined,
      ],
      [
        { 'app.py': 'MY_VERSION = "v4.2"\n' },
        '[tool.hatch.version]\npath = "app.py"\npattern = "MY_VERSION = \\"v(?P<version>[^\\"]+)\\""',
        '4.2',
        undefined,
      ],
      [{}, '[tool.hatch.version]\nsource = "vcs"', undefined, /vcs source/],
      [
        { 'app/__init__.py': '__version__ = "5.0"\n' },
        '[tool.pdm.version]\nsource = "file"\npath = "app/__init__.py"',
        '5.0',
        undefined,
      ],
      [{}, '[tool.setuptools_scm]', undefined, /setuptools-scm takes it from the git tags/],
      [
        { 'my_app/__init__.py': '"""My app."""\n__version__ = "0.1"\n' },
        '[build-system]\nbuild-backend = "flit_core.buildapi"',
        '0.1',
        undefined,
      ],
      [{}, '', undefined, /"dynamic" and the build backend computes it/],
    ];
    for (const [files, tool, version, why] of cases) {
      const metadata = pyproject(
        project(files),
        `[project]\nname = "my-app"\ndynamic = ["version"]\n${tool}`,
      );
      assert.equal(metadata?.version, version, tool);
      if (why === undefined) assert.equal(metadata?.unresolved.version, undefined, tool);
      else assert.match(metadata?.unresolved.version ?? '', why, tool);
    }
  });

  test('dynamic dependencies and readme from files (setuptools)', () => {
    const dir = project({ 'requirements.in': 'flask>=2 # web\n-r more.txt\n', 'README.rst': 'Text.' });
    const metadata = pyproject(
      dir,
      `[project]
name = "a"
dynamic = ["dependencies", "readme"]
[tool.setuptools.dynamic]
dependencies = { file = ["requirements.in"] }
readme = { file = ["README.rst"] }`,
    );
    assert.deepEqual(metadata?.requirements, ['flask>=2']);
    assert.deepEqual(metadata?.readme, { text: 'Text.', type: 'rst' });
  });

  test('no [project]: undefined, for the next reader', () => {
    assert.equal(pyproject(project({}), '[build-system]\nrequires = ["setuptools"]'), undefined);
  });

  test('TOML that does not parse is an error naming the file, line and column', () => {
    assert.throws(
      () => parseToml('[project]\nname = "a\n', 'pyproject.toml'),
      (error: unknown) =>
        error instanceof ConfigurationError && /^pyproject\.toml:2:\d+: not valid TOML/.test(error.message),
    );
  });

  test('license-files globs match files, not directories', () => {
    const dir = project({ LICENSE: '', 'LICENSE.md': '', 'LICENSES/a.txt': '', 'LICENSES/b.md': '' });
    assert.deepEqual(expandLicenseGlobs(dir, ['LICEN[CS]E*', 'LICENSES/*.txt', 'nothing/*']), [
      'LICENSE',
      'LICENSE.md',
      'LICENSES/a.txt',
    ]);
  });
});

describe("Poetry's [tool.poetry]", () => {
  test('authors as strings, dependencies as a table without python, optional ones and file scripts left out', () => {
    const dir = project({ 'README.md': 'Hi', 'CHANGES.md': 'Changes' });
    const metadata = readPoetry(
      dir,
      parseToml(
        `[tool.poetry]
name = "my-tool"
version = "0.4.0b2"
description = "A tool"
authors = ["Jane Doe <jane@example.org>", "Bob"]
license = "GPL-3.0-or-later"
readme = ["README.md", "CHANGES.md"]
repository = "https://example.org/my-tool.git"
classifiers = ["Topic :: Utilities"]
[tool.poetry.dependencies]
python = "^3.9"
requests = "^2.28"
psycopg2 = { version = "^2.9", optional = true }
pyyaml = { version = "^6", markers = "sys_platform == 'linux'" }
[tool.poetry.scripts]
my-tool = "my_tool.cli:main"
my-other = { callable = "my_tool.other:main" }
my-file = { reference = "bin/tool.sh", type = "file" }
[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"`,
        'pyproject.toml',
      ),
    );
    assert.ok(metadata !== undefined);
    assert.equal(metadata.origin, 'pyproject.toml [tool.poetry]');
    assert.equal(metadata.version, '0.4.0b2');
    assert.deepEqual(metadata.authors, [{ name: 'Jane Doe', email: 'jane@example.org' }, { name: 'Bob' }]);
    assert.deepEqual(metadata.license, {
      expression: 'GPL-3.0-or-later',
      classifiers: ['Topic :: Utilities'],
      files: [],
    });
    assert.deepEqual(metadata.readme, { text: 'Hi\nChanges', type: 'markdown' });
    assert.equal(metadata.homepage, 'https://example.org/my-tool.git');
    assert.deepEqual(metadata.requirements, ['requests', 'pyyaml']);
    assert.deepEqual(metadata.scripts, ['my-tool', 'my-other']);
    assert.deepEqual(metadata.buildRequires, ['poetry-core>=1.0.0']);
  });

  test('[project] wins and [tool.poetry] fills its gaps (Poetry 2)', () => {
    const toml = parseToml(
      `[project]
name = "both"
version = "2.0"
description = "From [project]"
[tool.poetry]
version = "9.9"
authors = ["Jane <jane@example.org>"]
license = "MIT"
[tool.poetry.scripts]
both = "both:main"`,
      'pyproject.toml',
    );
    const dir = project({});
    const merged = mergeMetadata(readPyprojectProject(dir, toml) ?? assert.fail(), readPoetry(dir, toml));
    assert.equal(merged.origin, 'pyproject.toml [project]');
    assert.equal(merged.version, '2.0');
    assert.equal(merged.summary, 'From [project]');
    assert.deepEqual(merged.scripts, ['both']);
    assert.deepEqual(merged.authors, [{ name: 'Jane', email: 'jane@example.org' }]);
    assert.equal(merged.license.expression, 'MIT');
  });
});

describe('setup.cfg', () => {
  test('[metadata], [options] and entry points, with attr: and file: resolved without importing', () => {
    const dir = project({
      'src/pkg/__init__.py': '__version__ = "1.5"\n',
      'README.rst': 'Readme.',
      'CHANGES.rst': 'Changes.',
      'requirements.txt': 'click\n',
    });
    const metadata = readSetupCfg(
      dir,
      `[metadata]
name = my-cfg
version = attr: pkg.__version__
description = A cfg project
long-description = file: README.rst, CHANGES.rst
long_description_content_type = text/x-rst
license = MIT
license_files =
    LICENSE
    NOTICE
url = https://example.org/my-cfg
project_urls =
    Source = https://git.example.org/my-cfg
author = Jane Doe
author_email = jane@example.org
classifiers =
    License :: OSI Approved :: MIT License

[options]
package_dir =
    =src
install_requires =
    requests>=2
    psycopg2; python_version>"3.8"

[options.entry_points]
console_scripts =
    my-cfg = pkg:main
    my-cfg-admin = pkg.admin:main
gui_scripts = my-cfg-gui = pkg.gui:main
`,
      ['setuptools'],
    );
    assert.ok(metadata !== undefined);
    assert.equal(metadata.version, '1.5');
    assert.equal(metadata.summary, 'A cfg project');
    assert.deepEqual(metadata.readme, { text: 'Readme.\nChanges.', type: 'rst' });
    assert.deepEqual(metadata.license, {
      text: 'MIT',
      classifiers: ['License :: OSI Approved :: MIT License'],
      files: ['LICENSE', 'NOTICE'],
    });
    assert.equal(metadata.homepage, 'https://example.org/my-cfg');
    assert.deepEqual(metadata.authors, [{ name: 'Jane Doe', email: 'jane@example.org' }]);
    assert.deepEqual(metadata.requirements, ['requests>=2', 'psycopg2; python_version>"3.8"']);
    assert.deepEqual(metadata.scripts, ['my-cfg', 'my-cfg-admin', 'my-cfg-gui']);
    assert.deepEqual(metadata.buildRequires, ['setuptools']);

    const fromFile = readSetupCfg(
      dir,
      '[metadata]\nname = x\nversion = attr: pkg.missing\n[options]\ninstall_requires = file: requirements.txt\n',
      [],
    );
    assert.deepEqual(fromFile?.requirements, ['click']);
    assert.equal(fromFile?.version, undefined);
    assert.match(fromFile?.unresolved.version ?? '', /attr: pkg.missing/);
  });

  test('without a [metadata] name it is not a metadata source', () => {
    assert.equal(readSetupCfg(project({}), '[flake8]\nmax-line-length = 100\n', []), undefined);
  });

  test('a setup.py that passes arguments to setup() adds metadata; a bare setup() does not', () => {
    const cases: [string, boolean][] = [
      ['from setuptools import setup\nsetup()\n', false],
      ['import setuptools\nsetuptools.setup( )  # all in setup.cfg\n', false],
      ['from setuptools import setup\nsetup(\n    entry_points={"console_scripts": ["a=b:c"]},\n)\n', true],
      ['from setuptools import setup\nsetup(name="x")\n', true],
      ['print("no setup call")\n', true],
    ];
    for (const [text, expected] of cases) assert.equal(setupPyAddsMetadata(text), expected, text);
  });
});

describe('core metadata (METADATA, entry_points.txt), as the setup.py path reads it', () => {
  const METADATA = `Metadata-Version: 2.1
Name: dhvt-setuppy
Version: 1.2.3
Summary: Prints the date
Home-page: https://example.org/dhvt-setuppy
Author: Py Tester
Author-email: py@example.org
License: MIT
Project-URL: Source, https://git.example.org/x
Classifier: License :: OSI Approved :: MIT License
Classifier: Programming Language :: Python :: 3
Requires-Dist: requests (>=2)
Requires-Dist: pytest ; extra == 'test'
Description-Content-Type: text/markdown
License-File: LICENSE

# dhvt-setuppy

Prints the date.
`;

  test('headers, repeated headers and the body', () => {
    const parsed = parseCoreMetadata(METADATA);
    assert.deepEqual(parsed.headers.get('classifier'), [
      'License :: OSI Approved :: MIT License',
      'Programming Language :: Python :: 3',
    ]);
    assert.equal(parsed.body, '# dhvt-setuppy\n\nPrints the date.');
  });

  test('what init needs of them', () => {
    const metadata = metadataFromDistInfo(
      METADATA,
      '[console_scripts]\ndhvt-setuppy = dhvt_setuppy:main\n\n[gui_scripts]\ndhvt-gui = x:y\n',
      ['setuptools>=40.8.0'],
    );
    assert.equal(metadata.name, 'dhvt-setuppy');
    assert.equal(metadata.version, '1.2.3');
    assert.equal(metadata.homepage, 'https://example.org/dhvt-setuppy');
    assert.deepEqual(metadata.authors, [{ name: 'Py Tester', email: 'py@example.org' }]);
    assert.deepEqual(metadata.license, {
      text: 'MIT',
      classifiers: ['License :: OSI Approved :: MIT License', 'Programming Language :: Python :: 3'],
      files: ['LICENSE'],
    });
    assert.deepEqual(metadata.requirements, ['requests (>=2)'], 'requirements of extras are left out');
    assert.deepEqual(metadata.scripts, ['dhvt-setuppy', 'dhvt-gui']);
    assert.deepEqual(metadata.readme, { text: '# dhvt-setuppy\n\nPrints the date.', type: 'markdown' });
  });

  test('metadata 1.x: the description as an indented header, UNKNOWN as nothing', () => {
    const old =
      'Metadata-Version: 1.1\nName: old\nVersion: 0.1\nSummary: UNKNOWN\nDescription: First line\n        second line\n       |third line\nPlatform: UNKNOWN\n';
    const metadata = metadataFromDistInfo(old, undefined, []);
    assert.equal(metadata.summary, undefined);
    assert.equal(metadata.readme?.text, 'First line\nsecond line\nthird line');
    assert.deepEqual(metadata.scripts, []);
  });
});

test('INI as configparser reads it: continuation lines, both separators, comments, case kept', () => {
  const ini = parseIni(
    '# comment\n[Section]\nKey = value\nother: a\n  b\n\n  c\n; comment\n[console_scripts]\nMyTool = pkg:main\n',
  );
  assert.equal(ini.get('Section')?.get('Key'), 'value');
  assert.equal(ini.get('Section')?.get('other'), 'a\nb\nc');
  assert.deepEqual([...(ini.get('console_scripts')?.keys() ?? [])], ['MyTool']);
  assert.deepEqual(iniList('a, b ,c'), ['a', 'b', 'c']);
  assert.deepEqual(iniList('\na\n# not this\nb'), ['a', 'b']);
  assert.deepEqual(entryPointNames('\ntool = pkg:main\ntool-admin = pkg.admin:main [extra]'), [
    'tool',
    'tool-admin',
  ]);
});

test('requirement names, extras and requirements files', () => {
  const names: [string, string | undefined][] = [
    ['psycopg2>=2.9', 'psycopg2'],
    ['Psycopg2[pool] >= 2.9 ; python_version > "3.8"', 'psycopg2'],
    ['python_ldap', 'python-ldap'],
    ['MySQLclient', 'mysqlclient'],
    ['zope.interface', 'zope-interface'],
    ['pkg @ https://example.org/pkg.whl', 'pkg'],
    ['', undefined],
  ];
  for (const [requirement, name] of names) assert.equal(requirementName(requirement), name, requirement);
  assert.equal(isExtraRequirement('pytest ; extra == "test"'), true);
  assert.equal(isExtraRequirement('pytest; python_version < "3.9" and extra=="test"'), true);
  assert.equal(isExtraRequirement('pytest; python_version < "3.9"'), false);

  const text = readRequirementsText(
    [
      '# pinned',
      'flask==3.0.0 \\',
      '    --hash=sha256:abc',
      '-r base.txt',
      '--requirement=other.txt',
      '-c constraints.txt',
      '--index-url https://pypi.example.org/simple',
      '-e git+https://example.org/lib.git#egg=mylib',
      '-e ./local-dir',
      'git+https://example.org/other.git',
      'psycopg2 # for postgres',
      '',
    ].join('\n'),
  );
  assert.deepEqual(text.requirements, ['flask==3.0.0', 'mylib', 'psycopg2']);
  assert.deepEqual(text.includes, ['base.txt', 'other.txt']);
  assert.deepEqual(text.unnamed, ['-e ./local-dir', 'git+https://example.org/other.git']);
});

test('static values: literal assignments only', () => {
  const cases: [string, string, string | undefined][] = [
    ['__version__ = "1.0"', '__version__', '1.0'],
    ["__version__: str = '1.0'  # bumped by CI", '__version__', '1.0'],
    ['VERSION = (1, 2, 3)', 'VERSION', '1.2.3'],
    ['__version__ = version("pkg")', '__version__', undefined],
    ['x = 1\n__version__ = "2.0"\n', '__version__', '2.0'],
    ['my__version__ = "9"', '__version__', undefined],
  ];
  for (const [source, name, expected] of cases)
    assert.equal(literalAssignment(source, name), expected, source);
  const dir = project({ 'pkg/sub/__init__.py': 'V = "3"', 'single.py': '__version__ = "4"' });
  assert.equal(valueOfAttr(dir, 'pkg.sub.V'), '3');
  assert.equal(valueOfAttr(dir, 'single.__version__'), '4');
  assert.equal(valueOfAttr(dir, 'nothing.__version__'), undefined);
  assert.equal(valueOfAttr(dir, '__version__'), undefined);
  assert.equal(versionInFile(dir, 'single.py'), '4');
  assert.equal(versionInFile(dir, 'missing.py'), undefined);
});

test('people and home pages', () => {
  assert.deepEqual(parsePerson('Jane Doe <jane@example.org>'), {
    name: 'Jane Doe',
    email: 'jane@example.org',
  });
  assert.deepEqual(parsePerson('"Doe, Jane" <jane@example.org>'), {
    name: 'Doe, Jane',
    email: 'jane@example.org',
  });
  assert.deepEqual(parsePerson('jane@example.org'), { email: 'jane@example.org' });
  assert.deepEqual(parsePerson('Jane'), { name: 'Jane' });
  assert.equal(parsePerson('  '), undefined);
  assert.equal(homepageOf({ Documentation: 'https://docs', 'Home-Page': 'https://home' }), 'https://home');
  assert.equal(homepageOf({ Repository: 'https://repo', Tracker: 'https://bugs' }), 'https://repo');
  assert.equal(homepageOf({ Homepage: 'ftp://old', Source: 'https://src' }), 'https://src');
  assert.equal(homepageOf({ Tracker: 'https://bugs' }), undefined);
});
