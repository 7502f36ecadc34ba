import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock } from './data-dir-lock';

describe('DataDirLock: one process owns a DATA_DIR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gv-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder, in this process and in another one, until it is released', () => {
    const lock = DataDirLock.take(dir);
    expect(() => DataDirLock.take(dir)).toThrow(expect.objectContaining({ code: 'DATA_DIR.IN_USE', status: 409 }));
    // Another process sees the kernel lock too.
    const probe = `const D=require('better-sqlite3');const d=new D(process.argv[1]+'/server.lock',{timeout:0});try{d.exec('BEGIN EXCLUSIVE');console.log('free')}catch(e){console.log(e.code)}`;
    expect(execFileSync(process.execPath, ['-e', probe, dir], { cwd: process.cwd() }).toString().trim()).toBe('SQLITE_BUSY');
    expect(DataDirLock.isHeld(dir)).toBe(true);
    lock.release();
    expect(DataDirLock.isHeld(dir)).toBe(false);
    DataDirLock.take(dir).release();
  });

  it('is released by the operating system when its holder dies, even by SIGKILL', () => {
    const holder = `require('@swc-node/register');const {DataDirLock}=require('./src/events/sqlite/data-dir-lock');DataDirLock.take(process.argv[1]);require('fs').writeSync(1,'held');process.kill(process.pid,'SIGKILL')`;
    const died = spawnSync(process.execPath, ['-e', holder, dir], { cwd: join(__dirname, '..', '..', '..') });
    expect({ out: died.stdout.toString(), signal: died.signal }).toEqual({ out: 'held', signal: 'SIGKILL' });
    expect(DataDirLock.isHeld(dir)).toBe(false);
  });
});
