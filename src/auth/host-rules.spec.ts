import { OriginPolicy, hostAllowed, hostName, isCsrfAble, isLoopbackHost, originAllowed } from './host-rules';

const loopback: OriginPolicy = { checkHost: true, allowedHosts: ['vault.lan'], corsOrigins: ['https://app.example'] };

describe('host rules', () => {
  it('knows the loopback names, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.255.0.9', 'localhost', 'LOCALHOST', 'app.localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect([host, isLoopbackHost(host)]).toEqual([host, true]);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.evil.example', '127.0.0.1.evil.example', '192.168.1.2']) expect([host, isLoopbackHost(host)]).toEqual([host, false]);
  });

  it('reads the name of a Host header', () => {
    expect(['localhost:3000', '[::1]:3000', 'Vault.LAN', '', 'a:b:c'].map((h) => hostName(h))).toEqual(['localhost', '::1', 'vault.lan', null, null]);
  });

  it('allows loopback names and ALLOWED_HOSTS when it checks hosts, anything when it does not', () => {
    expect(['127.0.0.1:1', 'vault.lan:3000', 'evil.example', undefined].map((h) => hostAllowed(loopback, h))).toEqual([true, true, false, false]);
    expect(hostAllowed({ ...loopback, checkHost: false }, 'evil.example')).toBe(true);
  });

  it('allows no Origin, the own origin and CORS_ORIGINS; refuses others and null', () => {
    const host = '127.0.0.1:3000';
    expect([undefined, 'http://127.0.0.1:3000', 'https://app.example', 'http://127.0.0.1:3001', 'null', 'http://evil.example'].map((o) => originAllowed(loopback, o, host))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('calls a form-like write without a custom header CSRF-able, and nothing else', () => {
    expect(isCsrfAble('POST', { 'content-type': 'text/plain;charset=UTF-8' })).toBe(true);
    expect(isCsrfAble('DELETE', { 'content-type': 'application/x-www-form-urlencoded' })).toBe(true);
    expect(isCsrfAble('PUT', { 'content-type': 'multipart/form-data; boundary=x' })).toBe(true);
    expect(isCsrfAble('POST', { 'content-type': 'text/plain', 'x-source': 'api' })).toBe(false);
    expect(isCsrfAble('POST', { 'content-type': 'text/plain', authorization: 'Bearer x' })).toBe(false);
    expect(isCsrfAble('POST', { 'content-type': 'application/json' })).toBe(false);
    expect(isCsrfAble('GET', { 'content-type': 'text/plain' })).toBe(false);
  });
});
