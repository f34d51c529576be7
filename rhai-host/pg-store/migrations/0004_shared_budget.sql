-- A shop's request budget as every instance shares it: the figures the shop last reported,
-- less every send since, numbered (shopflow_core::shared_budget::SharedBudget as JSON). One
-- row per shop, locked for each request taken, so instances never spend a request twice.
-- It replaces the counters per window of 0001: they could not follow Upgates' budget, where
-- a request takes from the hour first and then from the day.
DROP TABLE budget_spent;

CREATE TABLE shop_budget (
    shop    TEXT  PRIMARY KEY,
    budget  JSONB NOT NULL
);
