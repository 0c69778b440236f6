import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Role } from './roles';

/**
 * Table `api_key`. A key is `mgk_<keyId>_<secret>`: `key_id` finds the row, and only a SHA-256 of the
 * secret is stored (the secret has 256 random bits, so a slow hash adds nothing). Revoked keys stay
 * for the audit history.
 */
@Entity('api_key')
@Unique('api_key_key_id_key', ['keyId'])
@Unique('api_key_name_key', ['name'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'api_key_pkey' })
  id!: number;

  @Column('text', { name: 'key_id' })
  keyId!: string;

  @Column('text')
  name!: string;

  @Column({ type: 'enum', enum: Role, enumName: 'api_role' })
  role!: Role;

  @Column('bytea', { name: 'secret_hash' })
  secretHash!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
