import { ColumnDetectionCache } from './column-detection-cache';

// A fresh detection builds a new mapping object, so object identity shows whether detection ran.
describe('ColumnDetectionCache', () => {
  it('detects once per distinct key list', () => {
    const cache = new ColumnDetectionCache();
    const paris = cache.columnsFor({ name: 'Paris', lat: 48.85, lng: 2.35 });
    const lyon = cache.columnsFor({ name: 'Lyon', lat: 45.76, lng: 4.83 });
    const nice = cache.columnsFor({ title: 'Nice', latitude: 43.7, longitude: 7.27 });
    expect(lyon).toBe(paris);
    expect(paris).toEqual({ name: 'name', latitude: 'lat', longitude: 'lng' });
    expect(nice).toEqual({ name: 'title', latitude: 'latitude', longitude: 'longitude' });
  });

  it('caches key lists in different orders separately, since order picks between matching columns', () => {
    const cache = new ColumnDetectionCache();
    expect(cache.columnsFor({ lat: 1, latitude: 2 }).latitude).toBe('lat');
    expect(cache.columnsFor({ latitude: 2, lat: 1 }).latitude).toBe('latitude');
  });

  it('starts over when full instead of growing', () => {
    const cache = new ColumnDetectionCache(2);
    const first = cache.columnsFor({ k0: 1 });
    expect(cache.columnsFor({ k0: 1 })).toBe(first);
    cache.columnsFor({ k1: 1 });
    cache.columnsFor({ k2: 1 });
    expect(cache.columnsFor({ k0: 1 })).not.toBe(first);
  });

  it('tells a record with fewer or more keys than the one before it apart', () => {
    const cache = new ColumnDetectionCache();
    expect(cache.columnsFor({ lat: 1, lng: 2, name: 'a' })).toEqual({ name: 'name', latitude: 'lat', longitude: 'lng' });
    expect(cache.columnsFor({ lat: 1, lng: 2 })).toEqual({ latitude: 'lat', longitude: 'lng' });
    expect(cache.columnsFor({ lat: 1, lng: 2, name: 'a', qty: 3 })).toMatchObject({ name: 'name', latitude: 'lat', longitude: 'lng' });
  });
});
