import { runSubcommands } from '../src/subcommand';
import { SUBCOMMANDS } from '../src/subcommands';

// The only place that reads process.argv and process.env; everything below gets values.
process.exitCode = runSubcommands(
  'dh-virtualenv',
  SUBCOMMANDS,
  process.argv.slice(2),
  process.env,
  process.cwd(),
);
