import { DataSource } from 'typeorm';
import { migrations } from './migrations';

/**
 * A TypeORM data source for migrations and schema checks. Never `synchronize`: the schema comes
 * only from the committed migrations. Applying migrations needs no entities; comparing the schema
 * with what the entities describe does (`entities`, from src/app/entities.ts).
 */
export function createDataSource(url: string, entities: Function[] = []): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: 'media-graph migrations',
    extra: { max: 2, options: '-c TimeZone=UTC' },
  });
}
