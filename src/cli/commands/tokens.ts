import { Command, Option } from 'commander';
import type { TokenView } from '../../auth/api-tokens';
import { action, confirm, connected, isoTime } from '../command-context';
import { Page, table } from '../output';

export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('API tokens (admin): create, list, revoke');

  connected(tokens.command('create').description('a new token; its secret is printed this once'))
    .requiredOption('--name <name>', 'unique for good (it names the token in the audit trail)')
    .addOption(new Option('--role <role>', 'what it may do').choices(['viewer', 'editor', 'admin']).makeOptionMandatory())
    .option('--expires-at <time>', 'when it stops working')
    .action(
      action(async ({ client, out }, opts) => {
        const created = await client.post<TokenView & { token: string }>('/api/tokens', {
          name: opts.name,
          role: opts.role,
          ...(opts.expiresAt ? { expiresAt: isoTime(opts.expiresAt, '--expires-at') } : {}),
        });
        out.result(created, (t) => `${t.token}\n(token ${t.id}, "${t.name}", ${t.role}: shown this once, keep it safe)`);
      }),
    );

  connected(tokens.command('list').description('every token, without secrets')).action(
    action(async ({ client, out }) => {
      const page = await client.get<Page<TokenView>>('/api/tokens');
      out.result(page, ({ items }) => table(['id', 'name', 'role', 'created', 'by', 'expires', 'revoked'], items.map((t) => [t.id, t.name, t.role, t.createdAt, t.createdBy, t.expiresAt, t.revokedAt])));
    }),
  );

  connected(tokens.command('revoke <id>').description('revoke a token at once'))
    .option('-y, --yes', 'do not ask')
    .action(
      action(async ({ client, out }, opts, id: string) => {
        await confirm(`Revoke token ${id}?`, opts.yes);
        out.result(await client.delete<TokenView>(`/api/tokens/${encodeURIComponent(id)}`), (t) => `revoked token ${t.id} ("${t.name}") at ${t.revokedAt}`);
      }),
    );
}
