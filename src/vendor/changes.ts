/** What a vendor run changed in the lock, as lines a reviewer reads before committing the new wheelhouse. */
import type { LockedFile, WheelhouseLock } from '../build/wheelhouse';

function byName(lock: WheelhouseLock | undefined): Map<string, LockedFile[]> {
  const names = new Map<string, LockedFile[]>();
  for (const entry of lock?.files ?? []) names.set(entry.name, [...(names.get(entry.name) ?? []), entry]);
  return names;
}

function versions(entries: readonly LockedFile[]): string {
  return [...new Set(entries.map((entry) => entry.version))].sort().join(', ');
}

/**
 * One line per distribution that is new ("+ name 1.0"), gone ("- name 1.0"), moved ("name 1.0 -> 1.1"), or
 * whose files changed at the same version (another wheel chosen, or, worth a close look, the same file name
 * with other contents).
 */
export function describeChanges(previous: WheelhouseLock | undefined, next: WheelhouseLock): string[] {
  const before = byName(previous);
  const after = byName(next);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a.localeCompare(b, 'en'));
  return names.flatMap((name): string[] => {
    const old = before.get(name);
    const now = after.get(name);
    const use = (entries: readonly LockedFile[]): string =>
      entries.every((entry) => entry.use === 'build') ? ' (to build)' : '';
    if (old === undefined) return now === undefined ? [] : [`+ ${name} ${versions(now)}${use(now)}`];
    if (now === undefined) return [`- ${name} ${versions(old)}`];
    if (versions(old) !== versions(now)) return [`${name} ${versions(old)} -> ${versions(now)}`];
    const oldFiles = new Map(old.map((entry) => [entry.file, entry.sha256]));
    const lines: string[] = [];
    for (const entry of now) {
      const sha256 = oldFiles.get(entry.file);
      if (sha256 === undefined) lines.push(`${name} ${entry.version}: now ${entry.file}`);
      else if (sha256 !== entry.sha256) {
        lines.push(
          `${name} ${entry.version}: ${entry.file} has other contents than the locked file (sha256 ${entry.sha256})`,
        );
      }
    }
    return lines;
  });
}
