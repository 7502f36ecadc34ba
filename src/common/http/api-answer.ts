import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { JsonSchema, openApiSchemaOf } from './api-input';

/** The named answer schemas the decorators below met, for the document's `components.schemas` (openapi.ts). */
export const ANSWER_SCHEMAS = new Map<string, JsonSchema>();

function register(name: string, schema: z.ZodType): { $ref: string } {
  const json = openApiSchemaOf(schema, 'output');
  const known = ANSWER_SCHEMAS.get(name);
  if (known && JSON.stringify(known) !== JSON.stringify(json)) throw new Error(`two different answers are named ${name} in the OpenAPI document`);
  ANSWER_SCHEMAS.set(name, json);
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * What a route answers, from a zod schema that is bound to the handler's own answer type at compile
 * time (`sameType` beside each schema): the document cannot drift from the code without the
 * type-check failing. Describes only; handlers answer their views as before.
 */
export function ApiAnswer(name: string, schema: z.ZodType, status = 200, description = 'the answer'): MethodDecorator {
  return ApiResponse({ status, description, content: { 'application/json': { schema: register(name, schema) } } });
}

/** A page of a list, `{items, next}` (`next` the cursor of the following page, null on the last), its items named `name`. */
export function ApiPageAnswer(name: string, item: z.ZodType): MethodDecorator {
  const items = register(name, item);
  return applyDecorators(
    ApiResponse({
      status: 200,
      description: `a page of ${name} items`,
      content: {
        'application/json': {
          schema: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: items }, next: { type: 'string', nullable: true } } },
        },
      },
    }),
  );
}

/**
 * A compile-time proof that a schema describes exactly a type: `sameType<z.infer<typeof s>, View>(true)`
 * compiles only when each is assignable to the other (a field added to one and not the other fails).
 */
export function sameType<A, B>(proof: [A] extends [B] ? ([B] extends [A] ? true : never) : never): void {
  void proof;
}
