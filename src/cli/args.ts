/** A command line split into its command, positional arguments and `--flags`. */
export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positionals: string[];
  /** Flag values by name as typed (kebab or snake case); `true` for a flag without a value. */
  readonly flags: Map<string, string | true>;
}

/** Flags that never take a value. */
const SWITCHES = new Set(["help", "h", "json", "version", "resubmit-held"]);

/**
 * Parses `command pos… --name value --name=value --switch`. A flag followed by another flag (or
 * nothing) is a switch (`true`); `--` ends the flags.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] ?? "";
    if (token === "--") {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    const flag = /^--?([^=]+)(?:=(.*))?$/s.exec(token);
    if (!flag || token === "-") {
      positionals.push(token);
      continue;
    }
    const name = flag[1] ?? "";
    if (flag[2] !== undefined) {
      flags.set(name, flag[2]);
      continue;
    }
    const next = argv[index + 1];
    if (SWITCHES.has(name) || next === undefined || /^--?[A-Za-z]/.test(next)) {
      flags.set(name, true);
    } else {
      flags.set(name, next);
      index++;
    }
  }
  const [command, ...rest] = positionals;
  return { command, positionals: rest, flags };
}
