import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/log';

/** Overrides of one tag and the reason for them, written as comment lines above the first. */
interface OverrideGroup {
  readonly why: readonly string[];
  readonly tag: string;
  /** What follows the tag on each line: an optional hint pattern and the [path] context. */
  readonly contexts: readonly string[];
}

/** What the venv holds that some overrides depend on: they are written only where they apply. */
export interface VenvContents {
  /** --ship-byte-code: compiled byte code is in the package. */
  readonly byteCode?: boolean;
  /** ELF files under site-packages (binary wheels, extensions compiled from sdists). */
  readonly binaries?: boolean;
  /**
   * Modules under lib/ that start with "#!" (pip, setuptools and many PyPI projects have some). False with
   * --without-pip and a project without them: overrides for them would be lintian's unused-override and
   * mismatched-override. Unknown (undefined) counts as true.
   */
  readonly moduleShebangs?: boolean;
  /** gzip files under lib/ (data files of wheels); unknown counts as false. */
  readonly gzipFiles?: boolean;
}

/**
 * Lintian tags that describe what a venv package is by design. Each is overridden only for the venv's own
 * directory and carries the reason; anything else lintian finds is left to be fixed, not hidden.
 */
export function lintianOverrides(packageName: string, finalDir: string, contents: VenvContents = {}): string {
  const dir = finalDir.replace(/^\//, '');
  const parts = dir.split('/');
  // The venv and the directories above it up to /opt, e.g. [opt/venvs/] for /opt/venvs/hello.
  const optDirs =
    parts[0] === 'opt'
      ? Array.from({ length: parts.length - 2 }, (_, k) => parts.slice(0, k + 2).join('/') + '/')
      : [];
  const groups: OverrideGroup[] = [
    ...(parts[0] === 'opt'
      ? [
          {
            why: [
              `Added by dh_virtualenv: the package installs a self-contained virtualenv under ${finalDir}.`,
              'An application tree outside /usr is what /opt is for (FHS 3.13, add-on application software).',
            ],
            tag: 'dir-or-file-in-opt',
            contexts: [...optDirs.map((parent) => `[${parent}]`), `[${dir}/*]`],
          },
        ]
      : []),
    {
      why: [
        "Added by dh_virtualenv: console scripts run the venv's own interpreter;",
        'that is the point of the venv.',
      ],
      tag: 'unusual-interpreter',
      contexts: [`${finalDir}/bin/python* [${dir}/bin/*]`],
    },
    ...(contents.moduleShebangs === false
      ? []
      : [
          {
            why: [
              'Added by dh_virtualenv: modules of PyPI projects may start with a "#!" line',
              'although they are imported, not run.',
            ],
            tag: 'script-not-executable',
            contexts: [`[${dir}/lib/*]`],
          },
          {
            why: [
              'Added by dh_virtualenv: the "#!" line of a module that is imported, not run,',
              'names whatever interpreter its authors used; it is never used.',
            ],
            tag: 'unusual-interpreter',
            contexts: [`* [${dir}/lib/*]`],
          },
          {
            why: [
              'Added by dh_virtualenv: a module with a python3 "#!" line is imported, not run, and the venv',
              'depends on its exact interpreter (python3.X), which is what that python3 means.',
            ],
            tag: 'python3-script-but-no-python3-dep',
            contexts: [`* [${dir}/lib/*]`],
          },
        ]),
    ...(contents.gzipFiles === true
      ? [
          {
            why: [
              'Added by dh_virtualenv: files of wheels ship byte for byte as pip installed them (RECORD',
              "hashes); the gzip timestamp is upstream's and the same in every build.",
            ],
            tag: 'package-contains-timestamped-gzip',
            contexts: [`* [${dir}/lib/python3*/site-packages/*]`],
          },
        ]
      : []),
    ...(contents.binaries === true ? binaryOverrides(dir, parts[0] === 'usr') : []),
    ...(contents.byteCode === true
      ? [
          {
            why: [
              'Added by dh_virtualenv: with --ship-byte-code, byte code compiled at build time for this',
              'path (hash-checked, reproducible) ships on purpose, so the postinst need not compile it.',
            ],
            tag: 'package-installs-python-pycache-dir',
            contexts: [`[${dir}/lib/*]`],
          },
        ]
      : []),
  ];
  // Lintian attaches the comment lines to the override right below them, and carries the comment over to
  // the following lines only while the tag stays the same: so one comment per group, one tag per group.
  return groups
    .flatMap(({ why, tag, contexts }) => [
      ...why.map((line) => `# ${line}`),
      ...contexts.map((context) => `${packageName}: ${tag} ${context}`),
    ])
    .concat('')
    .join('\n');
}

/**
 * What lintian says of the compiled files of binary wheels, which are shipped as pip installed them
 * (docs/native.md), and of where build-system mode puts them by default.
 */
function binaryOverrides(dir: string, underUsr: boolean): OverrideGroup[] {
  const sitePackages = `[${dir}/lib/python3*/site-packages/*]`;
  return [
    {
      why: [
        'Added by dh_virtualenv: binary wheels ship byte for byte as pip installed them (RECORD hashes);',
        'strip corrupts the libraries auditwheel patched, so the sequence keeps dh_strip away from them.',
      ],
      tag: 'unstripped-binary-or-object',
      contexts: [sitePackages],
    },
    {
      why: [
        'Added by dh_virtualenv: binary wheels bundle the libraries they were built with (auditwheel), found',
        'by their own RPATH and private to the wheel; dh_virtualenv_shlibdeps adds what they need to Depends.',
      ],
      tag: 'embedded-library',
      contexts: [`* ${sitePackages}`],
    },
    {
      why: ['Added by dh_virtualenv: compiled files of wheels are linked as upstream built them.'],
      tag: 'library-not-linked-against-libc',
      contexts: [sitePackages],
    },
    {
      why: ['Added by dh_virtualenv: compiled files of wheels are linked as upstream built them.'],
      tag: 'shared-library-lacks-prerequisites',
      contexts: [sitePackages],
    },
    {
      why: [
        'Added by dh_virtualenv: search paths of wheels are as upstream built them; $ORIGIN ones find the',
        "bundled libraries, others name the wheel builder's directories and find nothing here.",
      ],
      tag: 'custom-library-search-path',
      contexts: [`* ${sitePackages}`],
    },
    ...(underUsr
      ? [
          {
            why: [
              `Added by dh_virtualenv: the venv is installed under /${dir}, upstream dh-virtualenv's`,
              'build-system default, and a venv holds its compiled modules beside its Python ones.',
            ],
            tag: 'arch-dependent-file-in-usr-share',
            contexts: [sitePackages],
          },
        ]
      : []),
  ];
}

/**
 * Installs the overrides into the package tree. dh_lintian, which runs later, replaces the file with
 * debian/<pkg>.lintian-overrides when the user has one, so then the user is told which lines to add.
 */
export function installLintianOverrides(
  debianDir: string,
  packageName: string,
  finalDir: string,
  logger: Logger,
  contents: VenvContents = {},
): void {
  const venvLib = join(debianDir, packageName, finalDir, 'lib');
  const seen = (test: (path: string, name: string) => boolean): boolean | undefined =>
    existsSync(venvLib) ? hasFile(venvLib, test) : undefined;
  const moduleShebangs = contents.moduleShebangs ?? seen(startsWithShebang);
  const gzipFiles = contents.gzipFiles ?? seen((_path, name) => name.endsWith('.gz'));
  const text = lintianOverrides(packageName, finalDir, {
    ...contents,
    ...(moduleShebangs === undefined ? {} : { moduleShebangs }),
    ...(gzipFiles === undefined ? {} : { gzipFiles }),
  });
  if (existsSync(join(debianDir, `${packageName}.lintian-overrides`))) {
    logger.log({
      kind: 'warning',
      message:
        `debian/${packageName}.lintian-overrides replaces dh_virtualenv's overrides; add these lines to it:\n` +
        text,
    });
    return;
  }
  const dir = join(debianDir, packageName, 'usr/share/lintian/overrides');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, packageName), text);
}

/** Whether a regular file under `dir` passes `test`. */
function hasFile(dir: string, test: (path: string, name: string) => boolean): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? hasFile(path, test) : entry.isFile() && test(path, entry.name)) return true;
  }
  return false;
}

/** Whether a file starts with "#!" (two bytes read). */
function startsWithShebang(path: string): boolean {
  const head = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  try {
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
  } finally {
    closeSync(fd);
  }
}
