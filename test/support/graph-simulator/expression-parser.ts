/**
 * A small parser for Entra's attribute-mapping expression language, enough for
 * POST …/schema/parseExpression: `Function(arg, …)`, `[attribute]`, `"constant"`, empty arguments.
 * Parameter keys follow the function schemas for the common functions; others get "source".
 */
type Source = {
  expression: string | null;
  name: string;
  parameters: Array<{ key: string; value: Source }>;
  type: string;
};

const PARAMETER_NAMES: Record<string, (index: number) => string> = {
  Switch: (i) => (i === 0 ? "source" : i === 1 ? "defaultValue" : i % 2 === 0 ? "key" : "value"),
  Join: (i) => (i === 0 ? "separator" : "source"),
  Append: (i) => (i === 0 ? "source" : "suffix"),
  IIF: (i) => ["condition", "valueIfTrue", "valueIfFalse"][i] ?? "source",
};

export class ExpressionSyntaxError extends Error {}

export function parseExpression(expression: string): Source {
  let position = 0;
  const skipSpaces = () => {
    while (expression[position] === " ") position++;
  };
  const parseArgument = (): Source => {
    skipSpaces();
    const char = expression[position];
    if (char === "[") {
      const end = expression.indexOf("]", position);
      if (end === -1) throw new ExpressionSyntaxError(`unclosed [ at ${position}`);
      const name = expression.slice(position + 1, end);
      position = end + 1;
      return { expression: null, name, parameters: [], type: "Attribute" };
    }
    if (char === '"') {
      let value = "";
      position++;
      while (position < expression.length && expression[position] !== '"') {
        if (expression[position] === "\\") position++;
        value += expression[position++];
      }
      if (expression[position] !== '"') throw new ExpressionSyntaxError("unclosed string");
      position++;
      return { expression: null, name: value, parameters: [], type: "Constant" };
    }
    if (char === "," || char === ")") return { expression: null, name: "", parameters: [], type: "Constant" };
    const match = /^[A-Za-z][A-Za-z0-9]*/.exec(expression.slice(position));
    if (!match) throw new ExpressionSyntaxError(`unexpected "${char ?? "end"}" at ${position}`);
    const name = match[0];
    position += name.length;
    skipSpaces();
    if (expression[position] !== "(") throw new ExpressionSyntaxError(`expected ( after ${name}`);
    position++;
    const parameters: Source["parameters"] = [];
    const keyOf = PARAMETER_NAMES[name] ?? (() => "source");
    skipSpaces();
    if (expression[position] !== ")") {
      for (;;) {
        parameters.push({ key: keyOf(parameters.length), value: parseArgument() });
        skipSpaces();
        if (expression[position] === ",") {
          position++;
          continue;
        }
        if (expression[position] === ")") break;
        throw new ExpressionSyntaxError(`expected , or ) at ${position}`);
      }
    }
    position++;
    return { expression: null, name, parameters, type: "Function" };
  };
  const root = parseArgument();
  skipSpaces();
  if (position !== expression.length) throw new ExpressionSyntaxError(`unexpected text at ${position}`);
  return { ...root, expression };
}
