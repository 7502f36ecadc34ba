import { PassThrough, Readable, Transform } from 'node:stream';
import { AppError, badRequest } from '../../common/app-error';
import { iterateParsed } from './iterate-parsed';

const describeFailure = (error: unknown) => badRequest('IMPORT.MALFORMED_FILE', `cannot parse: ${(error as Error).message}`);

async function failureOf(input: Readable, parser: Transform): Promise<unknown> {
  try {
    for await (const item of iterateParsed(input, [parser], describeFailure)) void item;
  } catch (error) {
    return error;
  }
  throw new Error('the iteration did not fail');
}

describe('iterateParsed: which failures are the input\'s', () => {
  it('a parser failure is described as one, even when the input emits that error before the parser does', async () => {
    const input = new PassThrough();
    const parser = new Transform({
      transform(_chunk, _encoding, done) {
        const error = new Error('Parser cannot parse input: expected a value');
        // the input's 'error' event for this very error comes before the parser's own (two ticks away)
        input.destroy(error);
        done(error);
      },
    });
    input.end('name,lat,lng\n');
    const failure = await failureOf(input, parser);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'IMPORT.MALFORMED_FILE', message: 'cannot parse: Parser cannot parse input: expected a value' });
  });

  it('a parser failing mid-file is described as a parse failure', async () => {
    const parser = new Transform({ transform: (_chunk, _encoding, done) => done(new Error('bad token')) });
    expect(await failureOf(Readable.from([Buffer.from('x')]), parser)).toMatchObject({ code: 'IMPORT.MALFORMED_FILE' });
  });

  it('the input\'s own failure (an aborted upload) is rethrown as it is', async () => {
    const aborted = new Error('aborted');
    const input = new PassThrough();
    const parser = new PassThrough();
    setImmediate(() => input.destroy(aborted));
    expect(await failureOf(input, parser)).toBe(aborted);
  });
});
