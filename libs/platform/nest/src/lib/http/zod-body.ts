import { applyDecorators, Body, Query, type PipeTransform } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { ProblemException, problems } from './problem';
import { zodIssuesToErrors } from './problem-details.filter';

/**
 * Validates a request part with a zod schema. Schemas are strict objects (unknown fields
 * rejected) — define them with z.strictObject.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S, private readonly where: 'body' | 'query' | 'params' = 'body') {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? (this.where === 'body' ? undefined : {}));
    if (!result.success) {
      const [root, part] = this.where === 'body' ? ['(body)', 'request body'] : this.where === 'query' ? ['(query)', 'query string'] : ['(path)', 'path'];
      throw new ProblemException(problems.validation(zodIssuesToErrors(result.error, root), `The ${part} is not valid.`));
    }
    return result.data;
  }
}

/** `@ZodBody(schema) body: z.infer<typeof schema>` */
export function ZodBody<S extends z.ZodType>(schema: S): ParameterDecorator {
  return Body(new ZodValidationPipe(schema, 'body'));
}

/** `@ZodQuery(schema) query: z.infer<typeof schema>` validates the whole query string (unknown parameters rejected). */
export function ZodQuery<S extends z.ZodType>(schema: S): ParameterDecorator {
  return Query(new ZodValidationPipe(schema, 'query'));
}

/** The OpenAPI (3.0) schema of a zod schema, for `@ApiBody`/`@ApiQuery`: the document shows what the pipe enforces. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json['$schema'];
  return json;
}

/**
 * `@ApiQueryFrom(schema)` on a route documents each parameter of a query schema (name, required,
 * type and bounds) in the OpenAPI document, from the same zod schema the pipe enforces.
 */
export function ApiQueryFrom(schema: z.ZodType): MethodDecorator {
  const json = openApiSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) => {
      const { description, ...rest } = property;
      return ApiQuery({ name, required: required.has(name), schema: rest, ...(typeof description === 'string' ? { description } : {}) });
    }),
  );
}
