import { writeFile } from 'node:fs/promises';
import { readJsonSections } from './json-sections';
import { collect, tempDir } from './testing/foreign-fixtures';

const dir = tempDir();
beforeAll(dir.setUp);
afterAll(dir.tearDown);

async function sectionsOf(content: string) {
  await writeFile(dir.path('doc.json'), content);
  return collect(readJsonSections(dir.path('doc.json'), { streamed: ['list', 'other'], assembled: ['small', 'scalar'] }));
}

describe('readJsonSections', () => {
  it('hands on streamed elements one by one, assembled members whole, in file order, skipping the rest', async () => {
    const items = await sectionsOf('{"skip": {"list": [9]}, "list": [1, {"a": [2]}, "x"], "scalar": "s", "small": {"b": null}, "other": {"not": "an array"}, "list2": []}');
    expect(items).toEqual([
      { kind: 'element', section: 'list', index: 0, value: 1 },
      { kind: 'element', section: 'list', index: 1, value: { a: [2] } },
      { kind: 'element', section: 'list', index: 2, value: 'x' },
      { kind: 'end', section: 'list' },
      { kind: 'value', section: 'scalar', value: 's' },
      { kind: 'value', section: 'small', value: { b: null } },
      { kind: 'value', section: 'other', value: { not: 'an array' } },
    ]);
  });

  it('refuses a member of interest named twice, and says where JSON broke', async () => {
    await expect(sectionsOf('{"small": {}, "small": {}}')).rejects.toMatchObject({ code: 'BACKUP.FOREIGN_MALFORMED', details: { section: 'small' } });
    await expect(sectionsOf('{"list": [1, 2, {"a": tru}]}')).rejects.toMatchObject({ code: 'BACKUP.FOREIGN_MALFORMED', details: { section: 'list', index: 2 } });
  });
});
