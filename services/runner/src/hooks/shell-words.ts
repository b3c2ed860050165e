/**
 * Splits a command line into words like Python's `shlex.split` (POSIX mode), which Rally's
 * `sys_call` uses: no shell runs, quotes and backslashes only group and escape.
 */

export class ShellSyntaxError extends Error {
  override name = "ShellSyntaxError";
}

export function splitShellWords(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < command.length) {
    const char = command[i] as string;
    if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i += 1;
      continue;
    }
    inWord = true;
    if (char === "'") {
      const end = command.indexOf("'", i + 1);
      if (end === -1) throw new ShellSyntaxError("No closing quotation");
      word += command.slice(i + 1, end);
      i = end + 1;
    } else if (char === '"') {
      i += 1;
      for (;;) {
        if (i >= command.length) throw new ShellSyntaxError("No closing quotation");
        const inner = command[i] as string;
        if (inner === '"') break;
        if (inner === "\\" && i + 1 < command.length && '\\"'.includes(command[i + 1] as string)) {
          word += command[i + 1];
          i += 2;
          continue;
        }
        word += inner;
        i += 1;
      }
      i += 1;
    } else if (char === "\\") {
      if (i + 1 >= command.length) throw new ShellSyntaxError("No escaped character");
      word += command[i + 1];
      i += 2;
    } else {
      word += char;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return words;
}
