import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { OpenAPIObject } from '@nestjs/swagger';
import { Open, Role } from '../auth/roles';
import { DOCS_HTML, DOCS_INIT_JS } from './docs-page';
import { OpenApiDocument } from './openapi';

/**
 * The API's OpenAPI document (`/api/docs-json`, a viewer's read like the API it describes) and the
 * explorer page that shows it (`/api/docs`, open: a static page with no data; it fetches the
 * document with the tab's token).
 */
@ApiTags('operations')
@Controller('api')
export class DocsController {
  constructor(private readonly openApi: OpenApiDocument) {}

  @Get('docs-json')
  @Role('viewer')
  @ApiOperation({ summary: 'This OpenAPI document' })
  @ApiOkResponse({ description: 'OpenAPI 3 document of every route' })
  document(): OpenAPIObject {
    return this.openApi.get();
  }

  @Get('docs')
  @Open()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'The API explorer (Swagger UI; no token needed for the page, the document it loads needs a viewer)' })
  @ApiProduces('text/html')
  page(): string {
    return DOCS_HTML;
  }

  @Get('docs/init.js')
  @Open()
  @Header('Content-Type', 'application/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: "The API explorer's start script" })
  @ApiProduces('application/javascript')
  script(): string {
    return DOCS_INIT_JS;
  }
}
