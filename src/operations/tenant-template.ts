/**
 * The onboarding template (tenants/TEMPLATE.yaml): a Pulumi stack config file with `<name>`
 * placeholders (a plain YAML scalar, so formatters leave it alone) and, in its header, one question per placeholder:
 *
 *   # ? customerName: Short name of the customer [format: name]
 *   # ? location: Azure region of the SCIM service [default: westeurope]
 *
 * `fillTemplate` turns it plus answers into `Pulumi.<stack>.yaml`. Pure text work (no YAML library):
 * comments and layout of the template survive, and every inserted value is a YAML scalar that Pulumi
 * reads back as the same string.
 */

export type AnswerFormat = "name" | "guid" | "email" | "boolean" | "integer" | "region" | "url" | "text";

export interface TemplateQuestion {
  readonly name: string;
  readonly question: string;
  readonly defaultValue?: string;
  readonly format: AnswerFormat;
  readonly optional: boolean;
}

const QUESTION_LINE = /^#\s*\?\s*([A-Za-z][A-Za-z0-9]*)\s*:\s*(.+?)\s*$/;
const ATTRIBUTE = /\[(default|format|optional)(?::\s*([^\]]*))?\]/g;
const PLACEHOLDER = /<([A-Za-z][A-Za-z0-9]*)>/g;

export function parseQuestions(template: string): TemplateQuestion[] {
  const questions: TemplateQuestion[] = [];
  for (const line of template.split("\n")) {
    const match = QUESTION_LINE.exec(line);
    if (!match) continue;
    let defaultValue: string | undefined;
    let format: AnswerFormat = "text";
    let optional = false;
    for (const attribute of match[2].matchAll(ATTRIBUTE)) {
      if (attribute[1] === "default") defaultValue = attribute[2]?.trim();
      if (attribute[1] === "format") format = attribute[2]?.trim() as AnswerFormat;
      if (attribute[1] === "optional") optional = true;
    }
    questions.push({
      name: match[1],
      question: match[2].replace(ATTRIBUTE, "").trim(),
      defaultValue,
      format,
      optional,
    });
  }
  const placeholders = new Set(
    configLines(template).flatMap((line) => [...line.matchAll(PLACEHOLDER)].map((match) => match[1])),
  );
  const asked = new Set(questions.map((question) => question.name));
  const unasked = [...placeholders].filter((name) => !asked.has(name));
  if (unasked.length > 0) {
    throw new Error(`the template uses <${unasked.join(">, <")}> without a "# ? name: question" line for it`);
  }
  return questions;
}

const FORMAT_CHECKS: Record<AnswerFormat, { test: (value: string) => boolean; example: string }> = {
  name: { test: (value) => /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/.test(value), example: "contoso-prod" },
  guid: {
    test: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
    example: "00000000-0000-0000-0000-000000000000",
  },
  email: { test: (value) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value), example: "ops@contoso.com" },
  boolean: { test: (value) => value === "true" || value === "false", example: "true" },
  integer: { test: (value) => /^(0|[1-9][0-9]{0,8})$/.test(value), example: "3" },
  region: { test: (value) => /^[a-z0-9]+$/.test(value), example: "westeurope" },
  url: { test: (value) => /^https:\/\/[^\s]+$/.test(value), example: "https://scim.example.com/scim/v2" },
  text: { test: (value) => value.length > 0 && !value.includes("\n"), example: "any single line" },
};

export function checkAnswer(question: TemplateQuestion, value: string): string | undefined {
  const check = FORMAT_CHECKS[question.format];
  if (!check) return `has an unknown format "${question.format}" in the template`;
  return check.test(value) ? undefined : `must look like ${check.example} (got "${value}")`;
}

/**
 * Fills the template. Throws one error listing every missing or malformed answer, naming the question
 * and its `--set name=value` so the operator knows exactly what to add.
 */
export function fillTemplate(template: string, answers: Readonly<Record<string, string>>): string {
  const questions = parseQuestions(template);
  const known = new Set(questions.map((question) => question.name));
  const problems: string[] = [];
  for (const name of Object.keys(answers)) {
    if (!known.has(name))
      problems.push(`${name} is not a question of this template (known: ${[...known].join(", ")})`);
  }
  const values = new Map<string, string>();
  const formats = new Map(questions.map((question) => [question.name, question.format]));
  for (const question of questions) {
    const value = answers[question.name] ?? question.defaultValue;
    if (value === undefined || value === "") {
      if (question.optional) {
        values.set(question.name, "");
        continue;
      }
      problems.push(`${question.name} is not answered: ${question.question} (--set ${question.name}=…)`);
      continue;
    }
    const problem = checkAnswer(question, value);
    if (problem) problems.push(`${question.name} ${problem}`);
    values.set(question.name, value);
  }
  if (problems.length > 0) throw new Error(`cannot write the stack config:\n  - ${problems.join("\n  - ")}`);
  return (
    template
      .split("\n")
      // An optional question left empty removes the config lines that use it: the key keeps its default.
      .filter(
        (line) =>
          isComment(line) || ![...line.matchAll(PLACEHOLDER)].some((match) => values.get(match[1]) === ""),
      )
      .map((line) =>
        isComment(line)
          ? line
          : line.replace(PLACEHOLDER, (_, name: string) =>
              yamlScalar(values.get(name) ?? "", formats.get(name)),
            ),
      )
      .join("\n")
  );
}

/** Comments may mention `<name>` when explaining the template; only config lines are filled. */
function isComment(line: string): boolean {
  return line.trimStart().startsWith("#");
}

function configLines(template: string): string[] {
  return template.split("\n").filter((line) => !isComment(line));
}

/**
 * Booleans and integers stay plain YAML scalars (Pulumi checks typed keys declared in Pulumi.yaml against
 * them); everything else becomes a double-quoted string (JSON string syntax is valid YAML), so no answer
 * can change the file's structure.
 */
function yamlScalar(value: string, format: AnswerFormat | undefined): string {
  if (format === "boolean" || format === "integer") return value;
  return JSON.stringify(value);
}

/** `key=value` pairs from repeated `--set` flags. */
export function parseAssignments(assignments: readonly string[]): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const assignment of assignments) {
    const index = assignment.indexOf("=");
    if (index <= 0) throw new Error(`--set expects name=value (got "${assignment}")`);
    answers[assignment.slice(0, index).trim()] = assignment.slice(index + 1).trim();
  }
  return answers;
}
