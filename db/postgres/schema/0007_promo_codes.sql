-- Program kinds, promo and partner codes (the SQL Server twin is db/sqlserver/schema/0007_promo_codes.sql).
--
-- 1. Programs gain a kind. 'referral' is what every program was until now (the default); 'promo' gives
--    whoever redeems an offer; 'partner' gives the redeemer an offer and the code's owner a commission.
--    An offer is a discount (percent_off in basis points, optional max_discount; or amount_off, kept in
--    offer_amount) or credit (offer_amount). A referral program's offer, when set, is the friend's
--    first-order discount in place of referee_reward (then 0). The rules are NULL when not set.
ALTER TABLE programs
    ADD COLUMN kind varchar(10) NOT NULL DEFAULT 'referral',
    ADD COLUMN offer_type varchar(10) NULL,
    ADD COLUMN offer_percent_off integer NULL,
    ADD COLUMN offer_max_discount bigint NULL,
    ADD COLUMN offer_amount bigint NULL,
    ADD COLUMN commission_amount bigint NULL,
    ADD COLUMN commission_basis_points integer NULL,
    ADD COLUMN commission_max bigint NULL,
    ADD COLUMN starts_at timestamptz NULL,
    ADD COLUMN ends_at timestamptz NULL,
    ADD COLUMN max_redemptions_per_code integer NULL,
    ADD COLUMN max_redemptions_per_customer integer NULL,
    ADD COLUMN new_customers_only boolean NOT NULL DEFAULT false;
ALTER TABLE programs DROP CONSTRAINT programs_referrer_reward_check;
ALTER TABLE programs DROP CONSTRAINT programs_referee_reward_check;
ALTER TABLE programs
    ADD CONSTRAINT programs_rewards_check CHECK (referrer_reward >= 0 AND referee_reward >= 0),
    ADD CONSTRAINT programs_kind_check CHECK (kind IN ('referral', 'promo', 'partner')),
    ADD CONSTRAINT programs_offer_check CHECK (
        (offer_type IS NULL AND offer_percent_off IS NULL AND offer_max_discount IS NULL AND offer_amount IS NULL)
        OR (offer_type IS NOT NULL AND offer_type = 'discount' AND offer_percent_off IS NOT NULL
            AND offer_percent_off BETWEEN 1 AND 10000 AND offer_amount IS NULL
            AND (offer_max_discount IS NULL OR offer_max_discount > 0))
        OR (offer_type IS NOT NULL AND offer_type IN ('discount', 'credit') AND offer_amount IS NOT NULL
            AND offer_amount > 0 AND offer_percent_off IS NULL AND offer_max_discount IS NULL)),
    ADD CONSTRAINT programs_commission_check CHECK (
        (commission_amount IS NULL AND commission_basis_points IS NULL AND commission_max IS NULL)
        OR (commission_amount IS NOT NULL AND commission_amount > 0 AND commission_basis_points IS NULL
            AND commission_max IS NULL)
        OR (commission_amount IS NULL AND commission_basis_points IS NOT NULL AND commission_basis_points BETWEEN 1 AND 10000
            AND (commission_max IS NULL OR commission_max > 0))),
    -- What each kind gives: a referral program rewards its referrer, and its friend with credit or a
    -- discount offer (never both); promo and partner programs give an offer, partner programs a commission.
    ADD CONSTRAINT programs_kind_shape CHECK (
        (kind = 'referral' AND referrer_reward > 0 AND commission_amount IS NULL AND commission_basis_points IS NULL
            AND ((offer_type IS NULL AND referee_reward > 0) OR (offer_type IS NOT NULL AND offer_type = 'discount' AND referee_reward = 0)))
        OR (kind = 'promo' AND referrer_reward = 0 AND referee_reward = 0 AND offer_type IS NOT NULL
            AND commission_amount IS NULL AND commission_basis_points IS NULL)
        OR (kind = 'partner' AND referrer_reward = 0 AND referee_reward = 0 AND offer_type IS NOT NULL
            AND (commission_amount IS NOT NULL OR commission_basis_points IS NOT NULL))),
    ADD CONSTRAINT programs_rules_check CHECK (
        (max_redemptions_per_code IS NULL OR max_redemptions_per_code > 0)
        AND (max_redemptions_per_customer IS NULL OR max_redemptions_per_customer > 0)
        AND (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at));

-- 2. Codes of every kind share one table (named for the first kind) and one key: a code is unique across
--    the service, stored in upper case (input is compared in upper case, Inputs.NormalizeCode).
--    source: 'personal' (a customer's referral code, one per program and owner), 'vanity' (made by an
--    admin, e.g. EMILY10) or 'batch' (generated from a pattern). Promo codes have no owner.
--    reward_count counts the code's live (not reversed) uses wherever a limit needs it: a referral code's
--    referrer cap, or a promo/partner code with a per-code limit. A code without a limit is only read by a
--    redemption, so a shared code with no cap is no hot row.
ALTER TABLE referral_codes ALTER COLUMN owner_id DROP NOT NULL;
ALTER TABLE referral_codes
    ADD COLUMN source varchar(10) NOT NULL DEFAULT 'personal',
    ADD COLUMN status varchar(10) NOT NULL DEFAULT 'active',
    ADD COLUMN max_redemptions integer NULL,
    ADD COLUMN expires_at timestamptz NULL,
    ADD COLUMN batch_id uuid NULL;
ALTER TABLE referral_codes
    ADD CONSTRAINT referral_codes_source_check CHECK (source IN ('personal', 'vanity', 'batch')),
    ADD CONSTRAINT referral_codes_status_check CHECK (status IN ('active', 'disabled')),
    ADD CONSTRAINT referral_codes_max_redemptions_check CHECK (max_redemptions > 0),
    ADD CONSTRAINT referral_codes_personal_owner CHECK (source <> 'personal' OR owner_id IS NOT NULL);
ALTER TABLE referral_codes DROP CONSTRAINT referral_codes_owner_uq;
CREATE UNIQUE INDEX referral_codes_owner_uq ON referral_codes (program_id, owner_id) WHERE source = 'personal';
CREATE INDEX referral_codes_program_ix ON referral_codes (program_id, code);
CREATE INDEX referral_codes_batch_ix ON referral_codes (batch_id, code) WHERE batch_id IS NOT NULL;

-- 3. Redemptions of every kind. A promo redemption has no referrer; its status is 'redeemed' (the use is
--    complete when recorded). discount is what the offer took off the order (0 for credit offers).
--    Invariant 6 (one rewarded friend per referral program) keeps its key, for referral redemptions only;
--    a promo or partner code is used once per order (natural key), and as often per customer as the
--    program allows.
ALTER TABLE redemptions ALTER COLUMN referrer_id DROP NOT NULL;
ALTER TABLE redemptions
    ADD COLUMN kind varchar(10) NOT NULL DEFAULT 'referral',
    ADD COLUMN discount bigint NOT NULL DEFAULT 0;
ALTER TABLE redemptions DROP CONSTRAINT redemptions_status_check;
ALTER TABLE redemptions
    ADD CONSTRAINT redemptions_status_check CHECK (status IN ('pending', 'rewarded', 'redeemed', 'reversed')),
    ADD CONSTRAINT redemptions_kind_check CHECK (kind IN ('referral', 'promo', 'partner')),
    ADD CONSTRAINT redemptions_discount_check CHECK (discount >= 0),
    ADD CONSTRAINT redemptions_order_required CHECK (kind = 'referral' OR (order_id IS NOT NULL AND order_amount IS NOT NULL)),
    ADD CONSTRAINT redemptions_referrer_required CHECK (kind = 'promo' OR referrer_id IS NOT NULL);
ALTER TABLE redemptions DROP CONSTRAINT redemptions_referee_uq;
CREATE UNIQUE INDEX redemptions_referee_uq ON redemptions (program_id, referee_id) WHERE kind = 'referral';
CREATE UNIQUE INDEX redemptions_order_uq ON redemptions (code, order_id) INCLUDE (status) WHERE kind <> 'referral';
CREATE INDEX redemptions_customer_ix ON redemptions (program_id, referee_id) WHERE kind <> 'referral';
-- A gift code's credit is posted at once, so transfers_pending_by_redemption does not hold it: a reversal finds it
-- here (one row per gift-code redemption), not by reading the customer's whole history.
CREATE INDEX transfers_promo_credit_ix ON transfers (redemption_id) WHERE kind = 'promo_credit';

-- 4. Live uses per program and customer of promo and partner programs (maxRedemptionsPerCustomer): one
--    row per customer, locked by that customer's redemptions only. Kept for every promo/partner program,
--    so a limit set later counts uses made before it.
CREATE TABLE customer_uses (
    program_id   uuid        NOT NULL,
    customer_id  varchar(64) NOT NULL,
    uses         integer     NOT NULL CHECK (uses >= 0),
    PRIMARY KEY (program_id, customer_id)
);

-- 5. Customers this service has seen a qualifying order from (newCustomersOnly), written by qualify.
CREATE TABLE ordering_customers (
    customer_id      varchar(64) NOT NULL PRIMARY KEY,
    first_order_at   timestamptz NOT NULL
);

-- 6. Result shapes.
ALTER TYPE program_row
    ADD ATTRIBUTE kind varchar(10),
    ADD ATTRIBUTE offer_type varchar(10),
    ADD ATTRIBUTE offer_percent_off integer,
    ADD ATTRIBUTE offer_max_discount bigint,
    ADD ATTRIBUTE offer_amount bigint,
    ADD ATTRIBUTE commission_amount bigint,
    ADD ATTRIBUTE commission_basis_points integer,
    ADD ATTRIBUTE commission_max bigint,
    ADD ATTRIBUTE starts_at timestamptz,
    ADD ATTRIBUTE ends_at timestamptz,
    ADD ATTRIBUTE max_redemptions_per_code integer,
    ADD ATTRIBUTE max_redemptions_per_customer integer,
    ADD ATTRIBUTE new_customers_only boolean;
ALTER TYPE redemption_row
    ADD ATTRIBUTE kind varchar(10),
    ADD ATTRIBUTE discount bigint;
ALTER TYPE code_check_row
    ADD ATTRIBUTE kind varchar(10),
    ADD ATTRIBUTE discount bigint,
    ADD ATTRIBUTE credit bigint;

-- A code as the code procedures answer (vanity codes, batch codes, listings, PATCH).
CREATE TYPE code_row AS (
    status           varchar(40),
    code             varchar(32),
    program_id       uuid,
    owner_id         varchar(64),
    source           varchar(10),
    code_status      varchar(10),
    max_redemptions  integer,
    expires_at       timestamptz,
    batch_id         uuid,
    created_at       timestamptz
);
