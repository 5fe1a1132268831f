import { z } from 'zod';
import { isNameSegment, parseTopicName } from './topic-name';

/** A JSON Schema document (draft-07, as AsyncAPI 3.0 embeds it). */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** One reason a payload does not fit its contract. Never carries the offending value (it may be personal data). */
export interface ContractIssue {
  /** JSON-pointer-like path into the data, `/` for the root. */
  readonly path: string;
  readonly message: string;
}

/** The data of an integration event does not match its contract. */
export class IntegrationEventValidationError extends Error {
  override readonly name = 'IntegrationEventValidationError';
  constructor(
    readonly type: string,
    readonly issues: readonly ContractIssue[],
  ) {
    super(`${type}: data does not match the contract: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  }
}

/** A contract definition that breaks a rule (name, version, strictness, examples); thrown at load time. */
export class ContractDefinitionError extends Error {
  override readonly name = 'ContractDefinitionError';
}

/** The result of checking data against a contract without throwing. */
export type ContractParseResult<Data> =
  | { readonly success: true; readonly data: Data }
  | { readonly success: false; readonly error: IntegrationEventValidationError };

/**
 * An integration event, defined once: the TypeScript type, the runtime validation, the JSON
 * Schema and the documentation all come from the one zod schema. Published on Kafka as a
 * CloudEvent (binary mode) on `topic`, keyed by `keyOf(data)`.
 */
export interface IntegrationEventContract<Type extends string = string, Data = unknown> {
  /** CloudEvents `type`, `leadership.<context>.<event-name>.v<major>`, e.g. `leadership.delegation.mandate-granted.v1`. */
  readonly type: Type;
  /** Kafka topic, `leadership.<context>.<stream>.v<major>`; several event types may share it. */
  readonly topic: string;
  /** Major version; equals the `v<major>` of type and topic. Within it only additive, optional changes. */
  readonly version: number;
  /** Owning bounded context (from the topic). */
  readonly context: string;
  /** What happened, for the AsyncAPI document and the JSON Schema. */
  readonly description: string;
  /** CloudEvents `source`: `/leadership/<context>` unless given. */
  readonly source: string;
  /** CloudEvents `dataschema`: URI of this contract's JSON Schema (`$id` of jsonSchema). */
  readonly dataSchema: string;
  /** What the Kafka key (= CloudEvents subject) identifies, e.g. "mandate id". */
  readonly keyDescription: string;
  /** The zod schema; objects are strict (unknown keys are rejected). */
  readonly schema: z.ZodType<Data>;
  /** Valid example payloads, checked at definition time and shown in the AsyncAPI document. */
  readonly examples: readonly Data[];
  /** Aggregate id the event is about: the Kafka key (per-aggregate order) and `ce_subject`. */
  keyOf(data: Data): string;
  /** Validates and returns the data; throws IntegrationEventValidationError. */
  parse(data: unknown): Data;
  safeParse(data: unknown): ContractParseResult<Data>;
  /** JSON Schema (draft-07) of the data, with `$id` = dataSchema. */
  jsonSchema(): JsonSchema;
}

/** Any contract, whatever its data (its methods take data bivariantly, so every contract fits). */
export type AnyIntegrationEventContract = IntegrationEventContract<string, unknown>;

/** The data type of a contract. */
export type IntegrationEventData<C> = C extends IntegrationEventContract<string, infer Data> ? Data : never;

/** The type name of a contract. */
export type IntegrationEventType<C> = C extends IntegrationEventContract<infer Type, unknown> ? Type : never;

/** What `defineIntegrationEvent` needs. */
export interface IntegrationEventDefinition<Type extends string, Schema extends z.ZodType> {
  readonly type: Type;
  readonly topic: string;
  readonly version: number;
  /** Use `z.strictObject` at every level: a contract rejects unknown keys. */
  readonly schema: Schema;
  readonly description: string;
  readonly keyOf: (data: z.output<Schema>) => string;
  /** Default "aggregate id". */
  readonly keyDescription?: string;
  readonly source?: string;
  readonly dataSchema?: string;
  readonly examples?: readonly z.output<Schema>[];
}

function pointer(path: readonly PropertyKey[]): string {
  return `/${path.map((p) => String(p)).join('/')}`;
}

function issuesOf(error: z.ZodError): ContractIssue[] {
  return error.issues.map((issue) => ({ path: pointer(issue.path), message: issue.message }));
}

/*
 * Strictness is checked on the generated JSON Schema (input side) rather than on zod internals:
 * every object with declared properties must say `additionalProperties: false` (z.strictObject)
 * or declare what extra keys may hold (z.record, catchall). A forgotten z.object fails loudly at
 * load time instead of silently stripping fields at run time.
 */
function looseObjects(node: unknown, path: string, found: string[]): string[] {
  if (Array.isArray(node)) {
    node.forEach((child, i) => looseObjects(child, `${path}/${i}`, found));
    return found;
  }
  if (typeof node !== 'object' || node === null) return found;
  const schema = node as Record<string, unknown>;
  if (schema['type'] === 'object' && schema['properties'] !== undefined && schema['additionalProperties'] === undefined) {
    found.push(path || '/');
  }
  for (const [key, child] of Object.entries(schema)) looseObjects(child, `${path}/${key}`, found);
  return found;
}

/**
 * Defines an integration event contract, checking the rules every contract follows:
 * type and topic names, one major version across type, topic and `version`, strict objects,
 * a representable JSON Schema, and valid examples.
 */
export function defineIntegrationEvent<const Type extends string, Schema extends z.ZodType>(
  definition: IntegrationEventDefinition<Type, Schema>,
): IntegrationEventContract<Type, z.output<Schema>> {
  type Data = z.output<Schema>;
  const { type, topic, version } = definition;
  const fail = (reason: string): never => {
    throw new ContractDefinitionError(`integration event ${type}: ${reason}`);
  };
  const topicParts = (() => {
    try {
      return parseTopicName(topic);
    } catch (error) {
      return fail((error as Error).message);
    }
  })();
  const typeMatch = /^leadership\.([^.]+)\.([^.]+)\.v([1-9][0-9]*)$/.exec(type);
  if (!typeMatch || !isNameSegment(typeMatch[1] ?? '') || !isNameSegment(typeMatch[2] ?? '')) {
    fail('type must be leadership.<context>.<event-name>.v<major> in kebab-case, e.g. leadership.delegation.mandate-granted.v1');
  }
  const [, typeContext, , typeMajor] = typeMatch ?? [];
  if (!Number.isInteger(version) || version < 1) fail(`version must be a positive integer, got ${version}`);
  if (Number(typeMajor) !== version || topicParts.major !== version) {
    fail(`type (v${typeMajor}), topic (v${topicParts.major}) and version (${version}) must carry the same major`);
  }
  if (typeContext !== topicParts.context) fail(`type context "${typeContext}" differs from topic context "${topicParts.context}"`);
  if (definition.description.trim() === '') fail('description is required: it documents the event');

  const dataSchema = definition.dataSchema ?? `urn:leadership:schema:${type}`;
  let generated: JsonSchema;
  try {
    // The output side throws on transforms: what a producer emits must be what consumers parse.
    z.toJSONSchema(definition.schema, { target: 'draft-7', io: 'output', unrepresentable: 'throw' });
    generated = z.toJSONSchema(definition.schema, { target: 'draft-7', io: 'input', unrepresentable: 'throw' }) as JsonSchema;
  } catch (error) {
    return fail(`schema has no JSON Schema representation (${(error as Error).message}); use plain data types, no transforms`);
  }
  const loose = looseObjects(generated, '', []);
  if (loose.length > 0) fail(`objects at ${loose.join(', ')} accept unknown keys; use z.strictObject`);
  const jsonSchema: JsonSchema = Object.freeze({
    ...generated,
    $id: dataSchema,
    title: type,
    description: definition.description,
  });

  const safeParse = (data: unknown): ContractParseResult<Data> => {
    const result = definition.schema.safeParse(data);
    return result.success
      ? { success: true, data: result.data }
      : { success: false, error: new IntegrationEventValidationError(type, issuesOf(result.error)) };
  };
  const examples = definition.examples ?? [];
  examples.forEach((example, i) => {
    const result = safeParse(example);
    if (!result.success) fail(`example ${i} is invalid: ${result.error.message}`);
  });

  return Object.freeze({
    type,
    topic,
    version,
    context: topicParts.context,
    description: definition.description,
    source: definition.source ?? `/leadership/${topicParts.context}`,
    dataSchema,
    keyDescription: definition.keyDescription ?? 'aggregate id',
    schema: definition.schema as z.ZodType<Data>,
    examples,
    keyOf: (data: Data) => definition.keyOf(data),
    parse(data: unknown): Data {
      const result = safeParse(data);
      if (!result.success) throw result.error;
      return result.data;
    },
    safeParse,
    jsonSchema: () => jsonSchema,
  });
}
