-- A stored idempotency outcome back as a redemption_row (PostgreSQL: jsonb_populate_record). An outcome
-- stored before 0007 (keys live 24 hours) has no kind or discount: it was a referral redemption; one stored before
-- 0011 has no click_id, which reads as NULL (it had none), and one stored before 0013 no qualify_by, available_at or
-- expired_at (NULL: it had none).
CREATE OR ALTER FUNCTION dbo.redemption_from_json(@outcome nvarchar(max))
RETURNS TABLE
AS
RETURN
    SELECT j.status, j.id, j.program_id, j.code, j.referrer_id, j.referee_id, j.order_id, j.redemption_status,
           j.currency, j.referrer_reward, j.referee_reward, j.referrer_shortfall, j.referee_shortfall,
           j.qualifying_order_id, j.order_amount, j.reversal_reason, j.created_at, j.qualified_at, j.reversed_at,
           CASE WHEN j.id IS NULL THEN j.kind ELSE COALESCE(j.kind, 'referral') END AS kind,
           CASE WHEN j.id IS NULL THEN j.discount ELSE COALESCE(j.discount, 0) END AS discount,
           j.click_id, j.qualify_by, j.available_at, j.expired_at
    FROM OPENJSON(@outcome) WITH (
        status varchar(40), id uniqueidentifier, program_id uniqueidentifier, code nvarchar(32),
        referrer_id nvarchar(64), referee_id nvarchar(64), order_id nvarchar(64),
        redemption_status varchar(10), currency char(3), referrer_reward bigint, referee_reward bigint,
        referrer_shortfall bigint, referee_shortfall bigint, qualifying_order_id nvarchar(64),
        order_amount bigint, reversal_reason nvarchar(200), created_at datetime2(6),
        qualified_at datetime2(6), reversed_at datetime2(6), kind varchar(10), discount bigint,
        click_id uniqueidentifier, qualify_by datetime2(6), available_at datetime2(6), expired_at datetime2(6)) AS j;
