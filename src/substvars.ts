import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Adds `value` to a comma-separated substvar the way debhelper's addsubstvar() does: the items of an existing
 * line are kept, the new one added once, the list sorted; other lines are left alone.
 */
export function addSubstvar(existing: string, name: string, value: string): string {
  const lines = existing === '' ? [] : existing.replace(/\n$/, '').split('\n');
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([?]?=)(.*)$`);
  let found = false;
  const updated = lines.map((line) => {
    const match = pattern.exec(line);
    if (match === null) return line;
    found = true;
    const items = new Set((match[2] ?? '').split(', ').filter(Boolean));
    items.add(value);
    return `${name}${match[1] ?? '='}${[...items].sort().join(', ')}`;
  });
  if (!found) updated.push(`${name}=${value}`);
  return updated.join('\n') + '\n';
}

/** Writes debian/<pkg>.substvars with `name` extended by each value. */
export function writeSubstvars(
  debianDir: string,
  packageName: string,
  name: string,
  values: readonly string[],
): void {
  const path = join(debianDir, `${packageName}.substvars`);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const after = values.reduce((text, value) => addSubstvar(text, name, value), before);
  if (after === before) return;
  writeFileSync(`${path}.new`, after);
  renameSync(`${path}.new`, path);
}
