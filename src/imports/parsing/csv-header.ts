/**
 * The columns of a CSV file as named by its header row, and how a data row becomes a
 * record keyed by those names.
 *
 * Header names are trimmed. A column with an empty name is dropped (it has no name to
 * store its values under; spreadsheets pad headers with such columns). A repeated name
 * gets a suffix (`name`, `name_2`, `name_3`) so no column's values are lost.
 */
export class CsvHeader {
  private readonly names: string[] = [];
  private readonly positions: number[] = [];

  constructor(headerFields: readonly string[]) {
    const taken = new Set<string>();
    headerFields.forEach((field, position) => {
      const name = field.trim();
      if (name === '') return;
      let unique = name;
      for (let suffix = 2; taken.has(unique); suffix++) unique = `${name}_${suffix}`;
      taken.add(unique);
      this.names.push(unique);
      this.positions.push(position);
    });
  }

  /**
   * Every record has every header name as a key, in header order, so all records of a
   * file share one key set. Cells missing from a short row read as empty; cells beyond
   * the header are dropped, having no column name.
   */
  toRecord(fields: readonly string[]): Record<string, string> {
    const record: Record<string, string> = {};
    for (let i = 0; i < this.names.length; i++) record[this.names[i]] = fields[this.positions[i]] ?? '';
    return record;
  }
}
