import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, ResponseObject, SchemaObject, SwaggerModule } from '@nestjs/swagger';
import { APP_VERSION } from '../backups/app-version';
import { ANSWER_SCHEMAS } from '../common/http/api-answer';
import { BODY_SCHEMAS } from '../common/http/api-input';

/**
 * The OpenAPI document of every route the app registers, scanned from the controllers (paths,
 * methods, `@ApiJsonBody`/`@ApiQueryOf` input from the zod schemas the handlers parse with,
 * `@ApiAnswer`/`@ApiPageAnswer` answers of the main routes from zod schemas bound to their types). Made
 * on first ask rather than at start-up: most processes (and most test apps) never serve it.
 */
export class OpenApiDocument {
  private document: OpenAPIObject | null = null;
  private app: INestApplication | null = null;

  /** Called by createApp once the module tree is built. */
  attach(app: INestApplication): void {
    this.app = app;
  }

  get(): OpenAPIObject {
    if (this.document) return this.document;
    if (!this.app) throw new Error('the OpenAPI document is asked for before the app was built');
    const config = new DocumentBuilder()
      .setTitle('Globe Vault')
      .setDescription(
        'The event-sourced data, audit, backup and point-in-time-recovery service of the Globe app. ' +
          'Errors answer `{code, message, details}` with a stable `code`. Tokens go in `Authorization: Bearer <token>`; ' +
          'on a loopback service without AUTH_REQUIRED, a request without one acts as the local user.',
      )
      .setVersion(APP_VERSION)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API token (gv_…)' }, 'token')
      .addSecurityRequirements('token')
      .build();
    const document = SwaggerModule.createDocument(this.app, config);
    document.components = { ...document.components, schemas: { ...document.components?.schemas, ...Object.fromEntries(BODY_SCHEMAS), ...Object.fromEntries(ANSWER_SCHEMAS), Error: ERROR_SCHEMA } };
    for (const item of Object.values(document.paths)) {
      for (const operation of METHODS.map((method) => item[method])) if (operation) operation.responses.default ??= ERROR_RESPONSE;
    }
    this.document = document;
    return document;
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** What every failure answers (AppExceptionFilter): the document gives each operation it as its `default` response. */
const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'stable, e.g. DATASET.NOT_FOUND, AUTH.FORBIDDEN, RESTORE.PREVIEW_STALE' },
    message: { type: 'string' },
    details: { description: 'what the code needs: zod issues for invalid input, positions for a stale preview, …' },
  },
};
const ERROR_RESPONSE: ResponseObject = { description: 'an error: `{code, message, details}`', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
