// --query: a JMESPath expression applied to the JSON result before it is printed in any format, as
// the AWS CLI applies it (awscli/formatter.py: `response = self._args.query.search(response)`). It is
// compiled before the command runs, so a malformed one is a usage error before any AWS call; the
// library is loaded then, only when a query is given (start-up does not pay for it).
import { UsageError } from '../services/errors.js';
import { asJsonValue } from '../output/words.js';

// jmespath.js also exports compile() (parse only), which its type definitions leave out.
type JmesPath = typeof import('jmespath') & { compile(expression: string): unknown };
let jmespath: JmesPath | undefined;

/** Loads the library and compiles the expression: a UsageError naming it when it is malformed. */
export async function loadQuery(expression: string): Promise<string> {
  if (!jmespath) {
    const m = (await import('jmespath')) as unknown as JmesPath & { default?: JmesPath };
    jmespath = m.default ?? m;
  }
  try {
    jmespath.compile(expression);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new UsageError(
      'InvalidQuery',
      `invalid --query ${JSON.stringify(expression)}: ${reason}`,
      "See https://jmespath.org for the expression language (the same as the AWS CLI's --query).",
    );
  }
  return expression;
}

/** The result as --query selects it; the result as it is without a query. */
export function applyQuery(data: unknown, expression: string | undefined): unknown {
  if (expression === undefined) return data;
  if (!jmespath) throw new Error('applyQuery before loadQuery');
  // Through JSON first, so the query sees exactly the document --output json prints.
  const json = asJsonValue(data);
  try {
    return jmespath.search(json as Parameters<typeof jmespath.search>[0], expression);
  } catch (e) {
    // A well-formed expression can still fail on this result (a function given the wrong type).
    const reason = e instanceof Error ? e.message : String(e);
    throw new UsageError(
      'InvalidQuery',
      `--query ${JSON.stringify(expression)} failed on the result: ${reason}`,
      'The command itself ran (and made its changes, if any): run it again with another --query, or without one, to see the result.',
    );
  }
}
