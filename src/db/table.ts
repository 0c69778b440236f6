import { getMetadataArgsStorage } from 'typeorm';

/**
 * A table as its TypeORM entity declares it, read from TypeORM's public metadata storage: its name
 * and its columns, each by the entity property that declares it. The one place a column is named:
 * the GraphQL types' column maps and row mappings (graphql/columns.ts) and the writes' assignments
 * come from here, so adding a column is the entity, its migration and the API field, nothing else.
 */
export class Table<E = Record<string, unknown>> {
  readonly name: string;
  /** Every column, in the entity's order (the id first). */
  readonly columns: readonly string[];
  /** Every column-backed property of the entity, in the same order. */
  readonly properties: readonly string[];
  private readonly byProperty: ReadonlyMap<string, string>;

  constructor(entity: new () => E) {
    const storage = getMetadataArgsStorage();
    const table = storage.tables.find((t) => t.target === entity);
    if (!table?.name) throw new Error(`${entity.name} is not a TypeORM entity with a table name`);
    this.name = table.name;
    const columns = storage.filterColumns(entity).map((c) => [c.propertyName, c.options.name ?? c.propertyName] as const);
    this.byProperty = new Map(columns);
    this.properties = columns.map(([property]) => property);
    this.columns = columns.map(([, column]) => column);
  }

  /** The column of an entity property; an error names the property when it is none. */
  column(property: keyof E & string): string {
    const column = this.byProperty.get(property);
    if (!column) throw new Error(`${property} is not a column of ${this.name}: its entity declares ${this.properties.join(', ')}`);
    return column;
  }

  /**
   * A write's columns and values, from values keyed by entity property: undefined leaves a column as
   * it is (left out), null clears it. An unknown property is an error, not a silently lost value.
   */
  assignments(values: { [K in keyof E]?: unknown }): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [property, value] of Object.entries(values)) {
      if (value !== undefined) result[this.column(property as keyof E & string)] = value;
    }
    return result;
  }
}
