import mongoose, { type Connection, type Model, type Schema } from 'mongoose';
import type { Db } from 'mongodb';

/**
 * The model `name` on `connection`, compiled once: several read models (or test instances) on
 * one connection share it, where a second `connection.model(name, schema)` would throw.
 */
export function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  const existing = connection.models[name] as Model<T> | undefined;
  return existing ?? connection.model<T>(name, schema);
}

/**
 * A mongoose connection over the driver database `db`, sharing its client (no second pool):
 * for code that holds a `Db` (tests, scripts) and builds mongoose-based read models on it.
 */
export function mongooseConnectionFor(db: Db): Connection {
  return mongoose.createConnection().setClient(db.client).useDb(db.databaseName, { useCache: true });
}
