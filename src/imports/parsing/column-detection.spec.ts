import { detectColumns } from './column-detection';

describe('detectColumns', () => {
  it.each([
    [['id', 'Name', 'lat', 'lng'], 'Name'],
    [['TITLE', 'lat', 'lng'], 'TITLE'],
    [['Location', 'lat', 'lng'], 'Location'],
    [['lat', 'address', 'lng'], 'address'],
    [['country_name', 'lat', 'lng'], 'country_name'],
    [['City', 'lat', 'lng'], 'City'],
    [['lat', 'lng', 'population'], undefined],
  ])('takes the name from %j', (headers, name) => {
    expect(detectColumns(headers).name).toBe(name);
  });

  it('prefers an exact name header over an earlier one merely containing "name"', () => {
    expect(detectColumns(['country_name', 'city', 'title']).name).toBe('title');
  });

  it('takes the first of several exact name headers', () => {
    expect(detectColumns(['address', 'name']).name).toBe('address');
  });

  it.each([
    [['Lat', 'lng'], 'Lat', 'lng'],
    [['LATITUDE', 'lon'], 'LATITUDE', 'lon'],
    [['latitude', 'long'], 'latitude', 'long'],
    [['lat', 'Longitude'], 'lat', 'Longitude'],
    [['lat', 'LNG'], 'lat', 'LNG'],
  ])('finds coordinates in %j', (headers, latitude, longitude) => {
    expect(detectColumns(headers)).toMatchObject({ latitude, longitude });
  });

  it('does not take coordinates from headers that only contain lat or lng', () => {
    const columns = detectColumns(['latency', 'along', 'plateau']);
    expect(columns.latitude).toBeUndefined();
    expect(columns.longitude).toBeUndefined();
  });

  it.each(['quantity', 'QTY', 'Value', 'size', 'Amount'])('takes the quantity from %s', (header) => {
    expect(detectColumns(['lat', 'lng', header]).quantity).toBe(header);
  });

  it('maps id and both spellings of the timestamps', () => {
    expect(detectColumns(['ID', 'created_at', 'updated_at'])).toMatchObject({
      id: 'ID',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    });
    expect(detectColumns(['createdAt', 'updatedAt'])).toMatchObject({ createdAt: 'createdAt', updatedAt: 'updatedAt' });
  });

  it('returns the original header strings, surrounding spaces included', () => {
    expect(detectColumns([' Lat ', 'lng'])).toEqual({ latitude: ' Lat ', longitude: 'lng' });
  });
});
