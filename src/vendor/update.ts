/** The last step of vendor: debian/wheelhouse made to hold exactly the files fetched, the lock written last. */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  isDistributionFile,
  LOCK_FILE,
  renderLock,
  sha256Of,
  WHEELHOUSE_DIR,
  type WheelhouseLock,
} from '../build/wheelhouse';
import { describeChanges } from './changes';
import { note, type VendorContext } from './context';

/**
 * Makes debian/wheelhouse hold exactly the files of `next`: new ones copied in, those no longer needed
 * removed (distribution files only: anything else there is the user's), and lock.toml written last, and only
 * when its text changes.
 */
export function updateWheelhouse(
  context: VendorContext,
  fetchedDir: string,
  previous: WheelhouseLock | undefined,
  next: WheelhouseLock,
): void {
  const dir = join(context.packageDir, WHEELHOUSE_DIR);
  mkdirSync(dir, { recursive: true });
  const wanted = new Map(next.files.map((entry) => [entry.file, entry]));
  let written = 0;
  for (const entry of next.files) {
    const path = join(dir, entry.file);
    if (existsSync(path) && sha256Of(path) === entry.sha256) continue;
    const partial = join(dir, `.${entry.file}.partial`);
    copyFileSync(join(fetchedDir, entry.file), partial);
    renameSync(partial, path);
    written++;
  }
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (isDistributionFile(name) && !wanted.has(name)) {
      rmSync(join(dir, name));
      removed++;
    }
  }
  if (written + removed > 0)
    note(context, `${WHEELHOUSE_DIR}: ${written} file(s) written, ${removed} removed`);
  const lockPath = join(context.packageDir, LOCK_FILE);
  const text = renderLock(next);
  const changes = describeChanges(previous, next);
  if (existsSync(lockPath) && readFileSync(lockPath, 'utf8') === text) {
    note(context, `${WHEELHOUSE_DIR}: unchanged (${next.files.length} files)`);
    return;
  }
  writeFileSync(lockPath, text);
  note(
    context,
    `${LOCK_FILE}: ${next.files.length} files; ${changes.length === 0 ? 'the same distributions' : 'changes:'}`,
  );
  for (const line of changes) note(context, `  ${line}`);
}
