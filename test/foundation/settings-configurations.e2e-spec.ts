import { Http, TestApp, allAudit, sleep, startApp } from '../support/app-harness';

/** The settings document and named configurations. */
describe('settings and configurations (e2e)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('settings', () => {
    // The Globe app's keys, written out (not imported from src) so that a changed default fails here.
    // Other keys (e.g. the service's own snapshot settings) may be added to the document; the tests
    // compare against the document as first read, so they hold whatever those are.
    const GLOBE_DEFAULTS = {
      drawerOpen: false,
      showQuantityVisualization: true,
      searchQuery: '',
      sortBy: 'name',
      sortOrder: 'asc',
      filterBy: 'all',
      theme: 'system',
      language: 'en',
      autoSave: true,
      notifications: true,
      globeStyle: 'default',
      autoRotate: true,
      rotationSpeed: 0.5,
    };
    let DEFAULTS: Record<string, unknown>;
    const settingsEvents = () => allAudit(http, { stream: 'settings' });

    it('GET answers the defaults on a fresh service, with no event recorded', async () => {
      const res = await http.get('/api/settings');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject(GLOBE_DEFAULTS);
      DEFAULTS = res.body;
      expect((await http.get('/api/settings')).body).toEqual(DEFAULTS);
      expect(await settingsEvents()).toEqual([]);
    });

    it('PATCH {theme: "dark"} answers the whole document and records one SettingsChanged with only the change', async () => {
      const res = await http.patch('/api/settings').set('X-Actor', 'settings-user').send({ theme: 'dark' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...DEFAULTS, theme: 'dark' });
      expect((await http.get('/api/settings')).body).toEqual({ ...DEFAULTS, theme: 'dark' });

      const events = await settingsEvents();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'SettingsChanged', stream: 'settings', data: { patch: { theme: 'dark' } } });
      expect(events[0].metadata.actor).toBe('settings-user');
    });

    it('a later patch keeps earlier keys; only keys that change are recorded', async () => {
      const res = await http.patch('/api/settings').send({ theme: 'dark', sortBy: 'created_at', rotationSpeed: 2, drawerOpen: true });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...DEFAULTS, theme: 'dark', sortBy: 'created_at', rotationSpeed: 2, drawerOpen: true });
      const events = await settingsEvents();
      expect(events).toHaveLength(2);
      expect(events[1].data.patch).toEqual({ sortBy: 'created_at', rotationSpeed: 2, drawerOpen: true });
    });

    it('a patch that changes nothing records no event (audit count unchanged)', async () => {
      const before = await settingsEvents();
      const all = await http.get('/api/audit').query({ limit: 1000 });
      const current = (await http.get('/api/settings')).body;

      for (const patch of [{ theme: 'dark' }, {}, { sortBy: 'created_at', autoSave: true }]) {
        const res = await http.patch('/api/settings').send(patch);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(current);
      }
      expect(await settingsEvents()).toHaveLength(before.length);
      expect((await http.get('/api/audit').query({ limit: 1000 })).body.items).toHaveLength(all.body.items.length);
    });

    it('refuses an unknown key or a bad value with 400 SETTINGS.INVALID_INPUT and changes nothing', async () => {
      const before = (await http.get('/api/settings')).body;
      const count = (await settingsEvents()).length;
      for (const patch of [{ colour: 'blue' }, { theme: 'purple' }, { rotationSpeed: 11 }, { autoRotate: 'yes' }, { theme: 'light', typo: 1 }]) {
        const res = await http.patch('/api/settings').send(patch);
        expect({ patch, status: res.status, code: res.body.code }).toEqual({ patch, status: 400, code: 'SETTINGS.INVALID_INPUT' });
      }
      expect((await http.get('/api/settings')).body).toEqual(before);
      expect(await settingsEvents()).toHaveLength(count);
    });

    it('parallel patches of different keys are all kept', async () => {
      const patches = [{ language: 'de' }, { autoSave: false }, { globeStyle: 'night' }, { notifications: false }];
      const results = await Promise.all(patches.map((p) => http.patch('/api/settings').send(p)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect((await http.get('/api/settings')).body).toMatchObject(Object.assign({}, ...patches));
      // put them back for the tests below
      expect((await http.patch('/api/settings').send({ language: 'en', autoSave: true, globeStyle: 'default', notifications: true })).status).toBe(200);
    });

    it("accepts a Save Project file's uiSettings as a patch", async () => {
      const uiSettings = {
        drawerOpen: false,
        showQuantityVisualization: false,
        searchQuery: 'par',
        sortBy: 'updated_at',
        sortOrder: 'desc',
        filterBy: 'with_quantity',
      };
      const res = await http.patch('/api/settings').send(uiSettings);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject(uiSettings);
      expect(res.body.theme).toBe('dark');
    });
  });

  describe('configurations', () => {
    const value = { camera: { lat: 48.85, lng: 2.35, altitude: 1.8 }, tags: ['home', 1, null, true] };

    it('PUT creates a configuration (kind camera-view) and GET reads it back', async () => {
      const res = await http.put('/api/configurations/home-view').send({ kind: 'camera-view', name: 'Home', value });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: 'home-view',
        kind: 'camera-view',
        name: 'Home',
        value,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(res.body.updated_at).toBe(res.body.created_at);
      const got = await http.get('/api/configurations/home-view');
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('lists configurations as {items, next: null}, filtered by kind, ordered by name', async () => {
      expect((await http.put('/api/configurations/zoomed').send({ kind: 'camera-view', name: 'A zoomed view', value: { z: 3 } })).status).toBe(200);
      expect((await http.put('/api/configurations/only-big').send({ kind: 'filter', name: 'Only big', value: { min: 1000 } })).status).toBe(200);

      const cameras = await http.get('/api/configurations').query({ kind: 'camera-view' });
      expect(cameras.status).toBe(200);
      expect(cameras.body.next).toBeNull();
      expect(cameras.body.items.map((c: any) => c.id)).toEqual(['zoomed', 'home-view']);
      expect(cameras.body.items.every((c: any) => c.kind === 'camera-view')).toBe(true);

      const filters = await http.get('/api/configurations').query({ kind: 'filter' });
      expect(filters.body.items.map((c: any) => c.id)).toEqual(['only-big']);

      const layers = await http.get('/api/configurations').query({ kind: 'layers' });
      expect(layers.body).toEqual({ items: [], next: null });

      const all = await http.get('/api/configurations');
      expect(all.body.items.map((c: any) => c.id)).toEqual(['zoomed', 'home-view', 'only-big']);
    });

    it('PUT again replaces the configuration, keeps created_at and moves updated_at', async () => {
      const first = (await http.get('/api/configurations/home-view')).body;
      await sleep(5);
      const res = await http.put('/api/configurations/home-view').send({ kind: 'camera-view', name: 'Home (edited)', value: { camera: { lat: 0 } } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: 'home-view',
        kind: 'camera-view',
        name: 'Home (edited)',
        value: { camera: { lat: 0 } },
        created_at: first.created_at,
        updated_at: expect.any(String),
      });
      expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(first.updated_at));
      expect((await http.get('/api/configurations/home-view')).body).toEqual(res.body);
      const events = await allAudit(http, { stream: 'configuration-home-view' });
      expect(events.map((e) => e.type)).toEqual(['ConfigurationSaved', 'ConfigurationSaved']);
    });

    it('DELETE answers 204; then GET and DELETE answer 404 CONFIGURATION.NOT_FOUND', async () => {
      expect((await http.put('/api/configurations/temp').send({ kind: 'layers', name: 'Temp', value: [] })).status).toBe(200);
      const del = await http.delete('/api/configurations/temp');
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      const get = await http.get('/api/configurations/temp');
      expect(get.status).toBe(404);
      expect(get.body).toEqual({ code: 'CONFIGURATION.NOT_FOUND', message: expect.any(String), details: { id: 'temp' } });
      const again = await http.delete('/api/configurations/temp');
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('CONFIGURATION.NOT_FOUND');
      expect((await http.get('/api/configurations')).body.items.map((c: any) => c.id)).not.toContain('temp');
    });

    it('refuses a bad kind, a missing value, an unknown field or a bad id with 400', async () => {
      const cases: Array<[string, unknown, string]> = [
        ['bad-kind', { kind: 'camera', name: 'X', value: 1 }, 'CONFIGURATION.INVALID_INPUT'],
        ['no-value', { kind: 'filter', name: 'X' }, 'CONFIGURATION.INVALID_INPUT'],
        ['no-name', { kind: 'filter', value: 1 }, 'CONFIGURATION.INVALID_INPUT'],
        ['extra', { kind: 'filter', name: 'X', value: 1, owner: 'me' }, 'CONFIGURATION.INVALID_INPUT'],
        ['bad id!', { kind: 'filter', name: 'X', value: 1 }, 'CONFIGURATION.INVALID_ID'],
      ];
      for (const [id, body, code] of cases) {
        const res = await http.put(`/api/configurations/${encodeURIComponent(id)}`).send(body as object);
        expect({ id, status: res.status, code: res.body.code }).toEqual({ id, status: 400, code });
        expect((await http.get(`/api/configurations/${encodeURIComponent(id)}`)).status).toBe(404);
      }
      const badList = await http.get('/api/configurations').query({ kind: 'camera' });
      expect(badList.status).toBe(400);
      expect(badList.body.code).toBe('QUERY.INVALID');
    });
  });
});
