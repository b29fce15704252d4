/** What every step of `dh-virtualenv vendor` gets, and its one kind of log line. */
import type { Logger } from '../core/log';
import type { Runner } from '../core/runner';
import type { VendorOptions } from './options';

export interface VendorContext {
  readonly options: VendorOptions;
  readonly runner: Runner;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The top directory of the source package (the one holding debian/). */
  readonly packageDir: string;
}

export function note(context: VendorContext, message: string): void {
  context.logger.log({ kind: 'note', message });
}
