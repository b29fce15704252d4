import { runCommand } from '../src/core/command';
import { shlibdepsHelpText } from '../src/build/help';
import { addVenvShlibdeps } from '../src/build/shlibdeps';

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
