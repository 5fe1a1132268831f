/** Options of `nx g @leadership/workspace:service` (schema.json). */
export interface ServiceGeneratorSchema {
  /** kebab-case service and context name, e.g. `case-distribution`. */
  readonly name: string;
  readonly port: number;
  /** kebab-case singular name of the example aggregate (default `item`). */
  readonly aggregate?: string;
  /** Skip writing asyncapi.json after generation (unit tests of the generator, dry runs). */
  readonly skipAsyncApi?: boolean;
}
