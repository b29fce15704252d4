/**
 * --build-constraints FILE: pins for what is installed to *build* sdists and the project (PEP 517
 * `build-system.requires`: setuptools, wheel, hatchling, ...), which pip otherwise fetches unpinned into each
 * isolated build environment.
 *
 * pip 23.0 (Debian 12) and 25.1 (Debian 13) have no option for that (`--build-constraint` came in pip 25.3);
 * the one way in is PIP_CONSTRAINT, which the pip that sets up a build environment inherits. It has two
 * consequences, both checked with those versions:
 * - a constraints file with `--hash` options switches the build environment's pip into hash-checking mode,
 *   where every build requirement must itself be pinned with `==` ("setuptools>=40" is refused) and the
 *   project's own install fails ("Can't verify hashes for these file:// requirements because they point to
 *   directories"); so pip gets a copy without the hashes, and the versions are pinned but not hash-checked;
 * - the constraints also apply to the installs themselves: a distribution both built with and installed
 *   into the venv (setuptools) must have the same version in both.
 * uv has its own option, `--build-constraints`, and checks the hashes such a file gives.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigurationError } from '../core/errors';
import type { BuildFiles } from './installs';
import type { PackageLayout } from './layout';
import type { Options } from './options';

/**
 * A requirements-format text with every `--hash=…` / `--hash …` option removed. Continued lines (`\` at the
 * end, as pip-compile writes one hash a line) are joined first, as pip itself reads them.
 */
export function withoutHashOptions(text: string): string {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s*--hash(?:=|\s+)\S+/g, '').trimEnd())
    .join('\n');
}

/** The constraints file the option names, absolute; an error naming the option when it does not exist. */
export function buildConstraintsPath(layout: PackageLayout, options: Options): string | undefined {
  if (options.buildConstraints === undefined) return undefined;
  const path = join(layout.sourceDir, options.buildConstraints);
  if (!existsSync(path)) {
    throw new ConfigurationError(
      `--build-constraints ${options.buildConstraints}: ${path} does not exist; fix the path (it is relative ` +
        'to the source directory, -D) or drop the option',
    );
  }
  return path;
}

/**
 * The build constraints for the installer runs: the file as given, and pip's copy without hashes, written into
 * `dir`; undefined without --build-constraints.
 */
export function buildConstraintFiles(
  layout: PackageLayout,
  options: Options,
  dir: string,
): BuildFiles['buildConstraints'] {
  const given = buildConstraintsPath(layout, options);
  if (given === undefined) return undefined;
  const forPip = join(dir, 'build-constraints.txt');
  mkdirSync(dirname(forPip), { recursive: true });
  writeFileSync(forPip, withoutHashOptions(readFileSync(given, 'utf8')));
  return { given, forPip };
}
