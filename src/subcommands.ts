/** The commands of `dh-virtualenv`, in the order --help lists them: adding one is one line here. */
import { initSubcommand } from './init/subcommand';
import type { Subcommand } from './subcommand';
import { vendorSubcommand } from './vendor/subcommand';

export const SUBCOMMANDS: readonly Subcommand[] = [initSubcommand, vendorSubcommand];
