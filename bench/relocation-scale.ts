/**
 * How the fix-up steps scale (issue: "relocation of a venv with 20,000 files takes well under a second, no
 * subprocess per file"): lays out a venv of the given size in a temporary directory, as pip leaves one in the
 * build tree, then times relocate() (shebangs, activate scripts, pyvenv.cfg, symlinks, byte code, RECORDs) and
 * venvBinaries() (the ELF scan behind dh_virtualenv_shlibdeps and the lintian overrides), in this process,
 * and prints the peak memory of the process. Not part of `npm test`.
 *
 *     npm run bench:relocation                    # 20,000 files
 *     npm run bench:relocation -- --files 60000
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PackageLayout } from '../src/build/layout';
import { recordHash } from '../src/build/record';
import { relocate } from '../src/build/relocation';
import { venvBinaries } from '../src/build/shlibdeps';

const FILES_PER_DISTRIBUTION = 100;
/** One file in ten is a compiled module, of this size: reading whole files would show. */
const SHARED_OBJECT_BYTES = 256 * 1024;

function filesWanted(argv: readonly string[]): number {
  const at = argv.indexOf('--files');
  const value = at === -1 ? 20000 : Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < FILES_PER_DISTRIBUTION) {
    throw new Error(`--files needs a whole number of at least ${FILES_PER_DISTRIBUTION}`);
  }
  return value;
}

function sharedObject(): Buffer {
  const bytes = Buffer.alloc(SHARED_OBJECT_BYTES);
  bytes.write('\x7fELF', 0, 'latin1');
  bytes[4] = 2;
  bytes[5] = 1;
  bytes.writeUInt16LE(3, 16);
  return bytes;
}

/** A venv of `files` files at `staging`: distributions of 100 files each, with RECORDs and a little byte code. */
function layOutVenv(staging: string, files: number): number {
  const site = join(staging, 'lib', 'python3.11', 'site-packages');
  const bin = join(staging, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(staging, 'pyvenv.cfg'),
    `home = /usr/bin\ncommand = /usr/bin/python3 -m venv ${staging}\n`,
  );
  writeFileSync(join(bin, 'activate'), `VIRTUAL_ENV="${staging}"\nexport VIRTUAL_ENV\n`);
  const elf = sharedObject();
  let written = 2;
  for (let dist = 0; written < files; dist++) {
    const name = `dist${dist}`;
    const pkg = join(site, name);
    const cache = join(pkg, '__pycache__');
    // pip runs with --no-compile and PYTHONDONTWRITEBYTECODE: byte code is left only where something
    // imported modules during the build (setup.py test, a --pip-tool), here one distribution in twenty.
    const withByteCode = dist % 20 === 0;
    mkdirSync(withByteCode ? cache : pkg, { recursive: true });
    const record: string[] = [];
    for (let i = 0; i < FILES_PER_DISTRIBUTION - 3 && written < files; i++, written++) {
      const compiled = i % 10 === 9;
      const file = compiled ? `mod${i}.cpython-311-x86_64-linux-gnu.so` : `mod${i}.py`;
      const bytes = compiled ? elf : Buffer.from(`def f${i}():\n    return ${i}\n`);
      writeFileSync(join(pkg, file), bytes);
      record.push(`${name}/${file},${recordHash(bytes)},${bytes.length}`);
      if (!compiled && withByteCode) writeFileSync(join(cache, `mod${i}.cpython-311.pyc`), 'byte code');
    }
    const script = `#!${staging}/bin/python\nfrom ${name} import main\nmain()\n`;
    writeFileSync(join(bin, name), script, { mode: 0o755 });
    const distInfo = join(site, `${name}-1.0.dist-info`);
    mkdirSync(distInfo);
    writeFileSync(join(distInfo, 'METADATA'), `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n`);
    record.push(`../../../bin/${name},${recordHash(Buffer.from(script))},${script.length}`);
    record.push(`${name}-1.0.dist-info/RECORD,,`);
    writeFileSync(join(distInfo, 'RECORD'), record.join('\n') + '\n');
    written += 3;
  }
  return written;
}

function timed<T>(action: () => T): [T, number] {
  const started = performance.now();
  const result = action();
  return [result, performance.now() - started];
}

function main(): void {
  const files = filesWanted(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'dhvt-bench-relocation-'));
  try {
    const packageTree = join(work, 'debian', 'app');
    const layout: PackageLayout = {
      packageName: 'app',
      finalDir: '/opt/venvs/app',
      stagingDir: join(packageTree, 'opt', 'venvs', 'app'),
      packageTree,
      sourceDir: work,
    };
    const made = layOutVenv(layout.stagingDir, files);
    const rssBefore = process.resourceUsage().maxRSS;
    const [report, relocateMs] = timed(() => relocate(layout));
    const [binaries, scanMs] = timed(() => venvBinaries(packageTree));
    const rssAfter = process.resourceUsage().maxRSS;
    console.log(`| measure | value |`);
    console.log(`| --- | ---: |`);
    console.log(`| files in the venv | ${made} |`);
    console.log(
      `| relocate(): scripts, activate, pyvenv.cfg, byte code, RECORDs | ${relocateMs.toFixed(0)} ms |`,
    );
    console.log(
      `|   scripts rewritten / __pycache__ removed / RECORDs | ${report.scripts.length} / ${report.byteCodeDirs.length} / ${report.records} |`,
    );
    console.log(
      `| venvBinaries(): ELF scan of site-packages | ${scanMs.toFixed(0)} ms (${binaries.length} found) |`,
    );
    console.log(
      `| peak memory of this process | ${(rssAfter / 1024).toFixed(0)} MiB (${(rssBefore / 1024).toFixed(0)} MiB before) |`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
