import { ChildProcess, fork } from 'node:child_process';
import { S3Request, startS3Server, TestS3Server } from '../test/support/s3-server';

type Message = { ready: { endpoint: string; env: Record<string, string> } } | { requests: S3Request[] } | { closed: true };

/**
 * The real S3 server (test/support/s3-server.ts, s3rver on 127.0.0.1) in a child process of its
 * own, so that it is a remote store to the service and to the bench's bare client alike: neither
 * shares an event loop with it. Every request it answers is logged there (method, path, declared
 * body length, start and end in epoch ms) and read back over IPC.
 */
export class S3Process {
  private constructor(
    private readonly proc: ChildProcess,
    readonly endpoint: string,
    private readonly serverEnv: Record<string, string>,
    readonly bucket: string,
  ) {}

  static async start(bucket: string): Promise<S3Process> {
    const proc = fork(__filename, [bucket], { execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await reply(proc, (m) => ('ready' in m ? m.ready : undefined));
    return new S3Process(proc, ready.endpoint, ready.env, bucket);
  }

  /** S3_ENDPOINT, path style and s3rver's credentials, for the service and for a bare client. */
  env(): Record<string, string> {
    return this.serverEnv;
  }

  /** The requests answered (or begun) after the first `from`. */
  async requests(from = 0): Promise<S3Request[]> {
    this.proc.send({ cmd: 'requests', from });
    return reply(this.proc, (m) => ('requests' in m ? m.requests : undefined));
  }

  async close(): Promise<void> {
    if (!this.proc.connected) return;
    this.proc.send({ cmd: 'close' });
    await reply(this.proc, (m) => ('closed' in m ? true : undefined));
  }
}

function reply<T>(proc: ChildProcess, pick: (m: Message) => T | undefined): Promise<T> {
  return new Promise((done, fail) => {
    const onExit = (code: number | null) => fail(new Error(`the S3 server process exited (${code})`));
    const onMessage = (m: Message) => {
      const value = pick(m);
      if (value === undefined) return;
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      done(value);
    };
    proc.on('message', onMessage);
    proc.once('exit', onExit);
  });
}

async function child(bucket: string): Promise<void> {
  const s3: TestS3Server = await startS3Server(bucket);
  process.on('message', async (m: { cmd: string; from?: number }) => {
    if (m.cmd === 'requests') process.send!({ requests: s3.requests.slice(m.from ?? 0) });
    if (m.cmd === 'close') {
      await s3.close();
      process.send!({ closed: true }, () => process.exit(0));
    }
  });
  process.send!({ ready: { endpoint: s3.endpoint, env: s3.env() } });
}

if (require.main === module) void child(process.argv[2]);
