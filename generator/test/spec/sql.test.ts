import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/diagnostics/suggest.js';
import { aggFunctionOf, referencedNames, singleExpressionProblem } from '../../src/spec/sql.js';

describe('aggFunctionOf', () => {
  it.each([
    ['count(*)', 'count'],
    ['COUNT (*)', 'count'],
    ['  count(distinct email)', 'count_distinct'],
    ['count( DISTINCT\temail)', 'count_distinct'],
    ['count(distinctive)', 'count'],
    ['Sum(amount)', 'sum'],
    ['avg(x) * 2', 'avg'],
    ['min(occurred_at)', 'min'],
    ['max (occurred_at)', 'max'],
    ['median(x)', null],
    ['summary(x)', null],
    ['amount', null],
    ['', null],
  ] as const)('%s -> %s', (agg, fn) => {
    expect(aggFunctionOf(agg)).toBe(fn);
  });
});

describe('singleExpressionProblem', () => {
  it.each([
    ["status = 'paid'", null],
    ["note <> 'a; b -- c /* d'", null],
    ['"weird;col" > 0', null],
    ["it''s", null],
    ['a - -b', null],
    ['a / *b', null],
    ["status = 'x'; drop table t", 'contains `;`'],
    ['x -- comment', 'contains a `--` comment'],
    ['x /* c */', 'contains a `/*` comment'],
    ["'it''s'; x", 'contains `;`'],
  ] as const)('%s', (sql, problem) => {
    expect(singleExpressionProblem(sql)).toBe(problem);
  });
});

describe('referencedNames', () => {
  const features = ['total_revenue', 'order_count', 'aov'];
  it('finds feature names outside strings, sorted; other identifiers are plain SQL', () => {
    expect(referencedNames('total_revenue / nullif(order_count, 0)', features)).toEqual(['order_count', 'total_revenue']);
    expect(referencedNames("case when x = 'aov' then 1 else coalesce(amount, 0) end", features)).toEqual([]);
    expect(referencedNames('"aov" + Order_Count + 1e5 + t.total_revenue', features)).toEqual(['aov', 'order_count', 'total_revenue']);
    expect(referencedNames('total_revenue_2 + xaov', features)).toEqual([]);
  });

  it('never throws on any text', () => {
    fc.assert(fc.property(fc.string(), (s) => Array.isArray(referencedNames(s, features)) && (singleExpressionProblem(s) ?? '').length >= 0));
  });
});

describe('did you mean', () => {
  it('suggests close names only', () => {
    expect(didYouMean('order', ['orders', 'events'])).toBe('did you mean `orders`?');
    expect(didYouMean('normalise', ['normalize', 'junk'])).toBe('did you mean `normalize`?');
    expect(didYouMean('emial', ['email', 'phone'])).toBe('did you mean `email`?');
    expect(didYouMean('Orders', ['orders'])).toBe('did you mean `orders`?');
    expect(didYouMean('loyalty_card', ['email', 'phone'])).toBeUndefined();
    expect(didYouMean('xy', ['ab'])).toBeUndefined();
    expect(closest('featurs', ['version', 'entity', 'features'])).toBe('features');
  });

  it('edit distance counts a transposition as one edit and is symmetric', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => editDistance(a, b) === editDistance(b, a) && (editDistance(a, b) === 0) === (a === b)));
  });
});
