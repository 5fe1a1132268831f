/**
 * Minimal RFC 4180 reader for the export specs: CRLF (or LF) record separators, quoted fields
 * with doubled quotes, commas and line breaks inside quotes. Returns every record as strings.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      i++;
      continue;
    }
    if (char === '"' && field.length === 0) quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      endRecord();
      i++;
    } else if (char === '\n') endRecord();
    else field += char;
    i++;
  }
  if (field.length > 0 || record.length > 0) endRecord();
  return records;

  function endRecord(): void {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
  }
}
