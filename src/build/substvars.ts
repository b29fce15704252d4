import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeDependencies } from './dependency-merge';

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

/**
 * Sets a Depends-like substvar to the union of its current value and `value` (see mergeDependencies), leaving
 * other lines alone.
 */
export function mergeDependsSubstvar(existing: string, name: string, value: string): string {
  const lines = existing === '' ? [] : existing.replace(/\n$/, '').split('\n');
  const index = lines.findIndex((line) => line.startsWith(`${name}=`));
  const current = index === -1 ? '' : (lines[index] ?? '').slice(name.length + 1);
  const line = `${name}=${mergeDependencies(current, value)}`;
  if (index === -1) lines.push(line);
  else lines[index] = line;
  return lines.join('\n') + '\n';
}

/** Rewrites debian/<pkg>.substvars through `change`, atomically, and only when something changed. */
function updateSubstvars(debianDir: string, packageName: string, change: (text: string) => string): void {
  const path = join(debianDir, `${packageName}.substvars`);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const after = change(before);
  if (after === before) return;
  writeFileSync(`${path}.new`, after);
  renameSync(`${path}.new`, path);
}

/** Writes debian/<pkg>.substvars with `name` extended by each value. */
export function writeSubstvars(
  debianDir: string,
  packageName: string,
  name: string,
  values: readonly string[],
): void {
  updateSubstvars(debianDir, packageName, (text) =>
    values.reduce((current, value) => addSubstvar(current, name, value), text),
  );
}

/** Merges a Depends list into debian/<pkg>.substvars (see mergeDependsSubstvar). */
export function mergeSubstvar(debianDir: string, packageName: string, name: string, value: string): void {
  updateSubstvars(debianDir, packageName, (text) => mergeDependsSubstvar(text, name, value));
}
