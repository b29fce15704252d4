/**
 * The INI dialect of Python's configparser, as setuptools reads setup.cfg and pip reads a wheel's
 * entry_points.txt: `[section]`, `key = value` or `key: value`, indented lines continue the value above,
 * whole-line `#` and `;` comments. Keys keep their case (setuptools sets optionxform to str).
 */
export type Ini = ReadonlyMap<string, ReadonlyMap<string, string>>;

export function parseIni(text: string): Ini {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  let key: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(line)) continue;
    if (line.trim() === '') continue;
    if (/^\s/.test(line) && section !== undefined && key !== undefined) {
      const previous = section.get(key) ?? '';
      section.set(key, previous === '' ? line.trim() : `${previous}\n${line.trim()}`);
      continue;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(line);
    if (header !== null) {
      const name = (header[1] ?? '').trim();
      section = sections.get(name) ?? new Map<string, string>();
      sections.set(name, section);
      key = undefined;
      continue;
    }
    const assignment = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (assignment !== null && section !== undefined) {
      key = (assignment[1] ?? '').trim();
      section.set(key, (assignment[2] ?? '').trim());
    }
  }
  return sections;
}

/**
 * setuptools' list values: one item a line when the value spans lines ("dangling list"), else comma-separated.
 */
export function iniList(value: string | undefined): string[] {
  if (value === undefined) return [];
  const items = value.includes('\n') ? value.split('\n') : value.split(',');
  return items.map((item) => item.trim()).filter((item) => item !== '' && !item.startsWith('#'));
}

/** `name = target` lines of an entry point group: the names (console script names, for console_scripts). */
export function entryPointNames(value: string | undefined): string[] {
  return iniList(value)
    .map((line) => (line.split('=')[0] ?? '').trim())
    .filter(Boolean);
}
