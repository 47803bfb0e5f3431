/**
 * Milagro's .rsp text format: `Name = value` lines, records separated by
 * blank lines, `#` comments. Keys may contain spaces ("PK in G1
 * (serialized)") and labels may be space-padded ("msg     = "); values are
 * kept raw (the caller decides hex or ASCII). Indented lines continue a
 * multi-line value; callers that do not need them can ignore `continued`.
 * @module
 */

export interface RspLine {
  readonly key: string;
  readonly value: string;
  /** 1-based line number, for messages. */
  readonly line: number;
}

/** The `key = value` lines in file order (comments, blank and continuation lines skipped). */
export function rspLines(text: string): RspLine[] {
  const out: RspLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#') || /^\s/.test(line)) return;
    const at = line.indexOf('=');
    if (at < 0) return;
    // "key = value": one space after '=' belongs to the syntax, the rest to the value.
    const rest = line.slice(at + 1);
    out.push({ key: line.slice(0, at).trim(), value: rest.startsWith(' ') ? rest.slice(1) : rest, line: i + 1 });
  });
  return out;
}

/** Groups lines into records, each starting at a line whose key is `first`. Lines before the first are dropped. */
export function rspRecords(text: string, first: string): Map<string, string>[] {
  const records: Map<string, string>[] = [];
  for (const l of rspLines(text)) {
    if (l.key === first) records.push(new Map());
    records.at(-1)?.set(l.key, l.value);
  }
  return records;
}
