import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  findLockFile,
  lockedDistributions,
  lockFormatOf,
  requirementsText,
  type LockFile,
} from '../../../src/build/lock-files';
import { packageLayout } from '../../../src/build/layout';
import type { MarkerContext } from '../../../src/build/markers';
import { optionsFrom, tempDir, writeFile } from '../helpers';

const H = (c: string): string => c.repeat(64);

const ENVIRONMENT = {
  implementation_name: 'cpython',
  implementation_version: '3.11.2',
  os_name: 'posix',
  platform_machine: 'x86_64',
  platform_release: '6.1.0',
  platform_system: 'Linux',
  platform_version: '#1',
  python_full_version: '3.11.2',
  platform_python_implementation: 'CPython',
  python_version: '3.11',
  sys_platform: 'linux',
};

function context(extras: string[] = [], groups: string[] = []): MarkerContext {
  return { environment: ENVIRONMENT, extras, groups };
}

function pins(format: LockFile['format'], text: string, ctx: MarkerContext): string[] {
  return lockedDistributions({ path: format, format, label: format }, text, ctx).map(
    (d) => `${d.name}==${d.version} ${d.hashes.join(' ')}`,
  );
}

const PYLOCK = `
lock-version = "1.0"
created-by = "pip"
requires-python = ">=3.9"
default-groups = ["default"]

[[packages]]
name = "dhvt-greet"
version = "1.0"
wheels = [{ name = "dhvt_greet-1.0-py3-none-any.whl", url = "https://idx/dhvt_greet-1.0-py3-none-any.whl", hashes = { sha256 = "${H('a')}" } }]

[[packages]]
name = "dhvt-color"
version = "2.0"
marker = "'color' in extras"
sdist = { url = "https://idx/dhvt_color-2.0.tar.gz", hashes = { sha256 = "${H('b')}" } }

[[packages]]
name = "windows-only"
version = "1"
marker = "sys_platform == 'win32'"
wheels = [{ url = "https://idx/w.whl", hashes = { sha256 = "${H('c')}" } }]

[[packages]]
name = "app"
directory = { path = ".", editable = false }
`;

test('pylock.toml: packages whose marker holds (extras and groups included), directories left to pip install .', () => {
  assert.deepEqual(pins('pylock.toml', PYLOCK, context()), [`dhvt-greet==1.0 sha256:${H('a')}`]);
  assert.deepEqual(pins('pylock.toml', PYLOCK, context(['color'])), [
    `dhvt-color==2.0 sha256:${H('b')}`,
    `dhvt-greet==1.0 sha256:${H('a')}`,
  ]);
});

const UV_LOCK = `
version = 1
requires-python = ">=3.9"

[[package]]
name = "app"
version = "1.0"
source = { editable = "." }
dependencies = [
    { name = "dhvt-greet" },
    { name = "pywin32", marker = "sys_platform == 'win32'" },
]

[package.optional-dependencies]
color = [{ name = "dhvt-color" }]

[package.dev-dependencies]
test = [{ name = "pytest-ish" }]

[[package]]
name = "dhvt-greet"
version = "1.0"
source = { registry = "https://idx/simple" }
wheels = [{ url = "https://idx/dhvt_greet-1.0-py3-none-any.whl", hash = "sha256:${H('a')}", size = 1 }]

[[package]]
name = "dhvt-color"
version = "2.0"
source = { registry = "https://idx/simple" }
sdist = { url = "https://idx/dhvt_color-2.0.tar.gz", hash = "sha256:${H('b')}", size = 1 }
wheels = [{ url = "https://idx/dhvt_color-2.0-py3-none-any.whl", hash = "sha256:${H('d')}", size = 1 }]

[[package]]
name = "pywin32"
version = "306"
source = { registry = "https://idx/simple" }
wheels = [{ url = "https://idx/pywin32.whl", hash = "sha256:${H('c')}", size = 1 }]

[[package]]
name = "pytest-ish"
version = "8.0"
source = { registry = "https://idx/simple" }
wheels = [{ url = "https://idx/p.whl", hash = "sha256:${H('e')}", size = 1 }]
`;

test('uv.lock: the graph from the project, edges whose markers hold, extras and dev groups asked for', () => {
  assert.deepEqual(pins('uv.lock', UV_LOCK, context()), [`dhvt-greet==1.0 sha256:${H('a')}`]);
  assert.deepEqual(pins('uv.lock', UV_LOCK, context(['color'], ['test'])), [
    `dhvt-color==2.0 sha256:${H('b')} sha256:${H('d')}`,
    `dhvt-greet==1.0 sha256:${H('a')}`,
    `pytest-ish==8.0 sha256:${H('e')}`,
  ]);
});

const POETRY_LOCK = `
[[package]]
name = "dhvt-greet"
version = "1.0"
description = ""
optional = false
python-versions = "*"
groups = ["main"]
files = [{ file = "dhvt_greet-1.0-py3-none-any.whl", hash = "sha256:${H('a')}" }]

[[package]]
name = "dhvt-color"
version = "2.0"
optional = true
python-versions = "*"
groups = ["main"]
files = [{ file = "dhvt_color-2.0.tar.gz", hash = "sha256:${H('b')}" }]

[[package]]
name = "old-python-only"
version = "1"
optional = false
python-versions = "*"
groups = ["main"]
markers = "python_version < \\"3.8\\""
files = [{ file = "o.whl", hash = "sha256:${H('c')}" }]

[[package]]
name = "pytest-ish"
version = "8.0"
optional = false
python-versions = "*"
category = "dev"
files = [{ file = "p.whl", hash = "sha256:${H('e')}" }]

[extras]
color = ["dhvt-color"]

[metadata]
lock-version = "2.1"
python-versions = "^3.9"
content-hash = "x"
`;

test('poetry.lock: the main group (or those asked for), markers that hold, optional packages of extras asked for', () => {
  assert.deepEqual(pins('poetry.lock', POETRY_LOCK, context()), [`dhvt-greet==1.0 sha256:${H('a')}`]);
  assert.deepEqual(pins('poetry.lock', POETRY_LOCK, context(['color'], ['main', 'dev'])), [
    `dhvt-color==2.0 sha256:${H('b')}`,
    `dhvt-greet==1.0 sha256:${H('a')}`,
    `pytest-ish==8.0 sha256:${H('e')}`,
  ]);
});

test('the requirements written: one pin per distribution with every hash, hash-checked by pip', () => {
  const lock: LockFile = { path: 'uv.lock', format: 'uv.lock', label: 'uv.lock' };
  assert.equal(
    requirementsText(lock, [
      { name: 'Dhvt_Color', version: '2.0', hashes: [`sha256:${H('b')}`, `sha256:${H('d')}`] },
    ]),
    `# Written by dh_virtualenv from uv.lock; do not edit.\ndhvt-color==2.0 \\\n    --hash=sha256:${H('b')} \\\n    --hash=sha256:${H('d')}\n`,
  );
});

test('which lock file: --lock-file, else pylock.toml, uv.lock, poetry.lock unless --requirements is given', () => {
  const cwd = tempDir('locks');
  const find = (argv: string[]): string | undefined => {
    const options = optionsFrom(argv);
    return findLockFile(packageLayout('hello', options, cwd), options)?.label;
  };
  assert.equal(find([]), undefined);
  writeFile(join(cwd, 'poetry.lock'), '');
  writeFile(join(cwd, 'uv.lock'), '');
  assert.equal(find([]), 'uv.lock');
  assert.equal(find(['--lock-file', 'poetry.lock']), 'poetry.lock');
  assert.equal(find(['--lock-file', 'none']), undefined);
  assert.equal(find(['--requirements', 'requirements.txt']), undefined);
  assert.throws(() => find(['--lock-file', 'Pipfile.lock']), /not a lock file/);
  assert.throws(() => find(['--lock-file', 'pylock.toml']), /does not exist/);
  assert.equal(lockFormatOf('/x/pylock.prod.toml'), 'pylock.toml');
});
