import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiProduces, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

export type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

/** The named body schemas the decorators below met, for the document's `components.schemas` (openapi.ts). */
export const BODY_SCHEMAS = new Map<string, JsonSchema>();

/**
 * A zod schema as OpenAPI 3.0 JSON Schema (zod 4's own converter): as a client must send it (input
 * side of transforms and defaults), or for an answer (./api-answer.ts) as the server writes it. What JSON Schema cannot say (a `z.custom` check, such as the
 * bounds on a location's free-form properties) is left open: the handler's parse still checks it.
 */
export function openApiSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/**
 * OpenAPI for a route's input, from the very zod schema its handler parses with `parseInput`
 * (which stays the one validation, with its stable error codes): these decorators only describe.
 * A body becomes a named component; a query becomes one parameter per property.
 */
export function ApiJsonBody(name: string, schema: z.ZodType, description?: string): MethodDecorator {
  const known = BODY_SCHEMAS.get(name);
  const json = openApiSchemaOf(schema);
  if (known && JSON.stringify(known) !== JSON.stringify(json)) throw new Error(`two different bodies are named ${name} in the OpenAPI document`);
  BODY_SCHEMAS.set(name, json);
  return ApiBody({ schema: { $ref: `#/components/schemas/${name}` }, description });
}

export function ApiQueryOf(schema: z.ZodType): MethodDecorator {
  const json = openApiSchemaOf(schema);
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), schema: property, description: property.description as string | undefined }),
    ),
  );
}

/** A body that is a file, streamed to disk by the handler (imports, uploads): its accepted types, as raw bytes or a multipart form's file. */
export function ApiFileBody(description: string, ...types: string[]): MethodDecorator {
  return applyDecorators(ApiConsumes(...types, 'multipart/form-data'), ApiBody({ description, schema: { type: 'string', format: 'binary' } }));
}

/** An answer that is a file download, not JSON. */
export const ApiFileAnswer = (...types: string[]): MethodDecorator => ApiProduces(...types);

/** The passphrase header of encrypted backup files (kept out of bodies and URLs, and never logged). */
export const ApiPassphraseHeader = (): MethodDecorator =>
  ApiHeader({ name: 'X-Backup-Passphrase', required: false, description: "the passphrase of a passphrase-encrypted backup file" });
