import { DataSource } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

/**
 * A TypeORM data source for migrations and schema checks. Never `synchronize`: the schema comes
 * only from the committed migrations.
 */
export function createDataSource(url: string): DataSource {
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
