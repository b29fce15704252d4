import { runBuildsystemStep } from '../src/build/buildsystem';
import { runCommand } from '../src/core/command';
import { helpText } from '../src/build/help';
import { run } from '../src/build/main';

// The only place that reads process.argv and process.env; everything below gets values.
process.exitCode = runCommand(
  {
    program: 'dh_virtualenv',
    help: helpText,
    sayOptionWarnings: true,
    action: (context) => {
      const step = context.options.buildsystem;
      if (step === undefined) run(context);
      else runBuildsystemStep(context, step);
    },
  },
  process.argv.slice(2),
  process.env,
  process.cwd(),
);
