/**
 * pip's configuration files on the build host (/etc/pip.conf, ~/.config/pip/pip.conf, the file PIP_CONFIG_FILE
 * names, …) change what pip does as much as its PIP_* variables: `target`, `prefix`, `root` or `user` there
 * make pip install outside the venv, `require-virtualenv` or `no-binary` change or stop the build. So pip
 * reads no configuration file at all (child-environment.ts gives every child PIP_CONFIG_FILE=/dev/null), and
 * of the settings those files make for `pip install`, the ones that say where and how to fetch (the same ones
 * child-environment.ts lets through as variables: index URLs, find-links, trusted hosts, certificates,
 * proxies, timeouts, the cache) are handed to pip as PIP_* variables instead. A variable the host sets wins,
 * as it does in pip. The other settings are named in the verbose log. uv gets the index settings under its own
 * names, as for pip's variables.
 *
 * The files are read as pip 23.0 (Debian 12) and 25.1 (Debian 13) read them (pip/_internal/configuration.py):
 * global files, then the user's, then PIP_CONFIG_FILE, a later file's value winning; within them, `[install]`
 * wins over `[global]` for `pip install`; PIP_CONFIG_FILE=/dev/null means no file at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPassedToPython, NO_CONFIG_FILE } from './child-environment';
import { ConfigurationError } from '../core/errors';
import type { Logger } from '../core/log';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The files pip reads, lowest priority first: $XDG_CONFIG_DIRS/pip/pip.conf (/etc/xdg/pip/pip.conf) and
 * /etc/pip.conf; then, unless PIP_CONFIG_FILE names a file that exists, ~/.pip/pip.conf and
 * $XDG_CONFIG_HOME/pip/pip.conf (~/.config/pip/pip.conf); then PIP_CONFIG_FILE. (pip's "site" file, in the
 * venv, cannot exist in a venv just created.)
 */
export function pipConfigFiles(env: Env, exists: (path: string) => boolean): string[] {
  const configFile = env.PIP_CONFIG_FILE;
  if (configFile === NO_CONFIG_FILE) return [];
  const nonBlank = (value: string | undefined): string | undefined =>
    value === undefined || value.trim() === '' ? undefined : value;
  const home = env.HOME ?? '';
  const globalDirs = (nonBlank(env.XDG_CONFIG_DIRS) ?? '/etc/xdg').split(':').filter(Boolean);
  const files = [...globalDirs.map((dir) => join(dir, 'pip', 'pip.conf')), '/etc/pip.conf'];
  if (configFile === undefined || configFile === '' || !exists(configFile)) {
    files.push(join(home, '.pip', 'pip.conf'));
    files.push(join(nonBlank(env.XDG_CONFIG_HOME) ?? join(home, '.config'), 'pip', 'pip.conf'));
  }
  if (configFile !== undefined && configFile !== '') files.push(configFile);
  return files;
}

/** pip's name for a key, whether from a file or a variable: lower case, "-" for "_", no leading "--". */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/_/g, '-').replace(/^--/, '');
}

/**
 * One file's settings as "section.key" -> value, as Python's RawConfigParser reads it: `key = value` or
 * `key: value` under a `[section]`, indented lines continuing the value before them, whole-line comments
 * with # or ;. Throws, naming the line, where RawConfigParser (and so pip) would refuse the file.
 */
export function parsePipConfig(text: string, file: string): Map<string, string> {
  const settings = new Map<string, string>();
  let section: string | undefined;
  let last: string | undefined;
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (/^\s/.test(line) && last !== undefined) {
      settings.set(last, `${settings.get(last) ?? ''}\n${trimmed}`);
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header !== null) {
      section = header[1];
      last = undefined;
      return;
    }
    const refuse = (why: string): never => {
      throw new ConfigurationError(
        `${file}, line ${index + 1}: ${why}, so pip cannot read the file; fix it, or point PIP_CONFIG_FILE ` +
          'at another one',
      );
    };
    if (section === undefined) refuse('a setting before the first [section]');
    const separator = /[=:]/.exec(line);
    if (separator === null) refuse(`"${trimmed}" is neither "key = value" nor a [section]`);
    const at = separator?.index ?? 0;
    last = `${section ?? ''}.${normalizeKey(line.slice(0, at).trim())}`;
    settings.set(last, line.slice(at + 1).trim());
  });
  return settings;
}

/** What pip's `install` command gets from the files: a value and the file it came from, per key. */
export type PipSettings = ReadonlyMap<string, { readonly value: string; readonly file: string }>;

/** The files' settings for `pip install`: a later file wins per "section.key", then [install] over [global]. */
export function installSettings(files: readonly { path: string; text: string }[]): PipSettings {
  const merged = new Map<string, { value: string; file: string }>();
  for (const { path, text } of files) {
    for (const [key, value] of parsePipConfig(text, path)) merged.set(key, { value, file: path });
  }
  const result = new Map<string, { value: string; file: string }>();
  for (const section of ['global', 'install']) {
    for (const [key, setting] of merged) {
      if (key.startsWith(`${section}.`)) result.set(key.slice(section.length + 1), setting);
    }
  }
  return result;
}

/** The variable pip reads for a key: index-url is PIP_INDEX_URL. */
export function variableOf(key: string): string {
  return `PIP_${key.toUpperCase().replace(/-/g, '_')}`;
}

export interface PipConfiguration {
  /** The host environment with the files' fetch settings added as PIP_* variables. */
  readonly env: Env;
  /** "key (file)" for each setting that does not reach pip. */
  readonly heldBack: readonly string[];
}

/** Decides which of the files' settings reach pip (see the top of this file). */
export function pipConfiguration(hostEnv: Env, settings: PipSettings): PipConfiguration {
  const env: Record<string, string | undefined> = { ...hostEnv };
  const heldBack: string[] = [];
  for (const [key, { value, file }] of settings) {
    const variable = variableOf(key);
    if (!isPassedToPython(variable)) heldBack.push(`${key} (${file})`);
    else if (env[variable] === undefined) env[variable] = value;
  }
  return { env, heldBack: heldBack.sort() };
}

/** pipConfiguration() for the files on this machine; a file that is not there is skipped, as pip does. */
export function withPipConfiguration(hostEnv: Env): PipConfiguration {
  const files = pipConfigFiles(hostEnv, existsSync)
    .filter((path) => existsSync(path))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  return pipConfiguration(hostEnv, installSettings(files));
}

/**
 * The host environment every command hands to its steps: withPipConfiguration()'s, with the settings held
 * back named in the verbose log.
 */
export function withPipConfigurationLogged(hostEnv: Env, logger: Logger): Env {
  const { env, heldBack } = withPipConfiguration(hostEnv);
  if (heldBack.length > 0) {
    logger.log({
      kind: 'detail',
      message: `not passed to pip from its configuration files: ${heldBack.join(', ')}`,
    });
  }
  return env;
}
