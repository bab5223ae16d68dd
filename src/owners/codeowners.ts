/**
 * CODEOWNERS, as GitHub reads it
 * (https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners):
 * one rule per line, a gitignore-style pattern then owners (`@user`, `@org/team` or an email
 * address); `#` starts a comment; a pattern with no owners leaves the files it matches unowned; the
 * last matching line takes precedence. The owner of a repository as a whole is the owners of the
 * last line matching every file (`*`, `**`, `/**`): GitHub's own "default owners for everything in
 * the repo".
 */

export interface CodeOwnersRule {
  pattern: string;
  owners: string[];
  /** 1-based line number, for evidence. */
  line: number;
}

export interface CodeOwners {
  rules: CodeOwnersRule[];
  /** Lines that are not rules (an owner that is none of the three forms), with why. */
  problems: string[];
}

const OWNER = /^(@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;
const EVERY_FILE = new Set(['*', '**', '/**', '/*/**', '**/*']);

export function parseCodeOwners(text: string): CodeOwners {
  const rules: CodeOwnersRule[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    // A comment starts a line or follows whitespace; `\#` is a literal # in a pattern.
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') return;
    const [pattern, ...owners] = content.split(/\s+/) as [string, ...string[]];
    const bad = owners.filter((o) => !OWNER.test(o));
    if (bad.length > 0) {
      problems.push(`line ${line}: ${bad.join(', ')} is not @user, @org/team or an email address`);
      return;
    }
    rules.push({ pattern: pattern.replace(/^\\#/, '#'), owners, line });
  });
  return { rules, problems };
}

/** The owners of the repository as a whole: those of the last line matching every file, if any. */
export function repositoryOwners(codeowners: CodeOwners): CodeOwnersRule | undefined {
  return codeowners.rules.findLast((rule) => EVERY_FILE.has(rule.pattern));
}
