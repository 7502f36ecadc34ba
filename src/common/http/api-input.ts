import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/**
 * OpenAPI for a route's input, from the very zod schema its handler parses with `parseInput`
 * (which stays the one validation, with its stable error codes): these decorators only describe.
 * A body becomes a named component (nestjs-zod's DTO, named `name`; the document goes through
 * `cleanupOpenApiDoc`); a query becomes one parameter per property.
 */
export function ApiJsonBody(name: string, schema: z.ZodType, description?: string): MethodDecorator {
  const dto = class extends (createZodDto(schema) as unknown as new () => object) {};
  Object.defineProperty(dto, 'name', { value: name });
  return ApiBody({ type: dto, description });
}

export function ApiQueryOf(schema: z.ZodType): MethodDecorator {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), schema: property, description: property.description as string | undefined }),
    ),
  );
}
