// Node's parseArgs explains a bad command line in English ("Unknown option
// '--x'"); the relay and the demo speak Dutch to their users, so the known
// cases are said again in Dutch, naming the option the user typed.

/** A Dutch sentence for an error thrown by `util.parseArgs`. */
export function argsErrorInDutch(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const named = /'([^']+)'/.exec(message)?.[1];
  switch (e?.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `onbekende optie ${named ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return named
        ? `optie ${named.split(' ')[0]} heeft een waarde nodig (of krijgt er een die niet mag)`
        : 'een optie heeft een ongeldige waarde';
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `onverwacht argument ${named ?? ''}; opties beginnen met --`.trim();
    default:
      return message;
  }
}
