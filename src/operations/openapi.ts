import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { APP_VERSION } from '../backups/app-version';
import { BODY_SCHEMAS } from '../common/http/api-input';

/**
 * The OpenAPI document of every route the app registers, scanned from the controllers (paths,
 * methods, `@ApiJsonBody`/`@ApiQueryOf` input from the zod schemas the handlers parse with). Made
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
    document.components = { ...document.components, schemas: { ...document.components?.schemas, ...Object.fromEntries(BODY_SCHEMAS) } };
    this.document = document;
    return document;
  }
}
