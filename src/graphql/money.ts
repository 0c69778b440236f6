import { Field, InputType, ObjectType } from 'type-graphql';
import { DecimalScalar } from './scalars';

/** An exact amount of money with its currency; never a float. */
@ObjectType('Money', { description: 'An exact amount of money with its currency, such as 4680000000 CNY.', simpleResolvers: true })
export class Money {
  @Field(() => DecimalScalar, { description: 'The amount as an exact decimal string, such as "4680000000".' })
  amount!: string;

  @Field({ description: 'ISO 4217 currency code, such as "CNY" or "USD".' })
  currency!: string;

  /** A Money from a nullable amount/currency column pair; null when the amount is unknown. */
  static of(amount: unknown, currency: unknown): Money | null {
    if (amount === null || amount === undefined) return null;
    const money = new Money();
    money.amount = amount as string;
    money.currency = (currency as string).trim();
    return money;
  }
}

/** An amount of money in an input. */
@InputType('MoneyInput', { description: 'An exact amount of money with its currency.' })
export class MoneyInput {
  @Field(() => DecimalScalar, { description: 'The amount, an exact decimal (not negative), such as "4680000000".' })
  amount!: string;

  @Field({ description: 'ISO 4217 currency code, such as "CNY" or "USD".' })
  currency!: string;
}
