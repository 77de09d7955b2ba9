-- Source rows for examples/brief/c360.yml (DuckDB).
create schema if not exists shop;
create schema if not exists billing;
create or replace table shop.web_orders as
select * from (values
    (1, 'rob@rudderstack.com', 100.00, timestamp '2026-01-05 10:00:00'),
    (2, ' Alice@Example.org ', 42.00, timestamp '2026-02-01 09:00:00')
) as t(order_id, email, amount, ordered_at);
create or replace table shop.app_purchases as
select * from (values
    (10, '650-672-5618', 'ROB@rudderstack.com ', 50.00, timestamp '2026-03-10 18:30:00')
) as t(purchase_id, phone, email, amount, purchased_at);
create or replace table billing.payments as
select * from (values
    (100, '8967-1324-5126-0897', '(650) 672-5618', 30.00, timestamp '2026-04-01 00:00:00')
) as t(payment_id, payments_id, phone, amount, paid_at);
