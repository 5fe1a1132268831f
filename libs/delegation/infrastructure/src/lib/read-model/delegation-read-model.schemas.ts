import { Schema } from 'mongoose';
import type { MandateSnapshot } from '@leadership/delegation-contracts';
import type { ExistingMandate, Person, Unit } from '@leadership/delegation-domain';

/*
 * The delegation read model's documents as mongoose schemas, indexes declared here. Every
 * document is written whole by one single-document operation (FerretDB has no transactions);
 * the per-version history lives in collections of its own, one document per version, so no
 * document grows with the number of changes (a mandate amended 260 times with a 90 KB framework
 * made one 22 MB document when the versions were an array in it; MongoDB refuses 16 MB).
 */

/** `mandates`: the current state of one mandate, with the fields lists filter on. */
export interface MandateDocument {
  _id: string;
  /** Stream revision of the last applied event (the mandate's version). */
  revision: number;
  /** Global position of the last applied event. */
  position: string;
  state: ExistingMandate;
  /** The integration-facing shape (mandate-snapshot.mapper). */
  snapshot: MandateSnapshot;
  unitId: string;
  delegateId: string;
  delegatorId: string;
  taskType: string;
  status: string;
  proposedAt: string;
  /**
   * When the current version took effect (its `at`, and in ms): an as-of question for a time at or
   * after it is answered from this document, without the versions. Absent in documents written
   * before it was added (those take the versions path).
   */
  at?: string;
  atMs?: number;
}

/** `mandate_versions`: one version of a mandate, valid from `at` (the domain time of the change). */
export interface MandateVersionDocument {
  /** `<mandateId>:<version>`: a redelivered version collides instead of doubling. */
  _id: string;
  mandateId: string;
  version: number;
  at: string;
  /** `at` in ms since the epoch: as-of queries compare numbers, not strings. */
  atMs: number;
  state: ExistingMandate;
}

/** `units`: the current state of one unit. */
export interface UnitDocument {
  _id: string;
  revision: number;
  position: string;
  unit: Unit;
}

/** `unit_versions`: a unit's parent and managers from `at` on. */
export interface UnitVersionDocument {
  /** `<unitId>:<version>`. */
  _id: string;
  unitId: string;
  version: number;
  at: string;
  atMs: number;
  parentId: string | null;
  managerIds: string[];
}

/** `people`: one person of the directory. */
export interface PersonDocument {
  _id: string;
  revision: number;
  position: string;
  person: Person;
  /** Unit ids (indexed: members of a unit). */
  unitIds: string[];
}

/*
 * No __v, no virtual id, empty objects kept as written; indexes are created by the read model's
 * init() (once, before the first apply), not in the background whenever a model is compiled.
 * No command buffering: an operation issued while the connection is down goes to the driver and
 * fails after its server selection timeout, so the projector sees the outage and retries, instead
 * of waiting in mongoose's buffer.
 */
const options = { versionKey: false as const, id: false, minimize: false, autoIndex: false, autoCreate: false, bufferCommands: false };

export const mandateSchema = new Schema<MandateDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    position: { type: String, required: true },
    state: { type: Schema.Types.Mixed, required: true },
    snapshot: { type: Schema.Types.Mixed, required: true },
    unitId: { type: String, required: true },
    delegateId: { type: String, required: true },
    delegatorId: { type: String, required: true },
    taskType: { type: String, required: true },
    status: { type: String, required: true },
    proposedAt: { type: String, required: true },
    at: { type: String },
    atMs: { type: Number },
  },
  { ...options, collection: 'mandates' },
);
// The list filters (GET /mandates), the scheduler's live mandates and the authority queries by unit.
mandateSchema.index({ unitId: 1, status: 1 });
mandateSchema.index({ delegateId: 1, unitId: 1 });
mandateSchema.index({ delegatorId: 1 });
mandateSchema.index({ taskType: 1 });
mandateSchema.index({ status: 1 });

export const mandateVersionSchema = new Schema<MandateVersionDocument>(
  {
    _id: { type: String, required: true },
    mandateId: { type: String, required: true },
    version: { type: Number, required: true },
    at: { type: String, required: true },
    atMs: { type: Number, required: true },
    state: { type: Schema.Types.Mixed, required: true },
  },
  { ...options, collection: 'mandate_versions' },
);
// As-of queries: the versions of given mandates with atMs ≤ T.
mandateVersionSchema.index({ mandateId: 1, atMs: 1 });

export const unitSchema = new Schema<UnitDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    position: { type: String, required: true },
    unit: { type: Schema.Types.Mixed, required: true },
  },
  { ...options, collection: 'units' },
);

export const unitVersionSchema = new Schema<UnitVersionDocument>(
  {
    _id: { type: String, required: true },
    unitId: { type: String, required: true },
    version: { type: Number, required: true },
    at: { type: String, required: true },
    atMs: { type: Number, required: true },
    parentId: { type: String, default: null },
    managerIds: { type: [String], required: true },
  },
  { ...options, collection: 'unit_versions' },
);
unitVersionSchema.index({ unitId: 1, atMs: 1 });

export const personSchema = new Schema<PersonDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    position: { type: String, required: true },
    person: { type: Schema.Types.Mixed, required: true },
    unitIds: { type: [String], required: true },
  },
  { ...options, collection: 'people' },
);
personSchema.index({ unitIds: 1 });
