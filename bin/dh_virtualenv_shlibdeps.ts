import { runCommand } from '../src/command';
import { shlibdepsHelpText } from '../src/help';
import { addVenvShlibdeps } from '../src/shlibdeps';

// The only place that reads process.argv and process.env; everything below gets values.
process.exitCode = runCommand(
  {
    program: 'dh_virtualenv_shlibdeps',
    help: shlibdepsHelpText,
    sayOptionWarnings: false,
    action: addVenvShlibdeps,
  },
  process.argv.slice(2),
  process.env,
  process.cwd(),
);
