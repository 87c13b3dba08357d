-- The redemption_row of one redemption, status 'ok'; no row when there is no such redemption.
-- Timestamps come back as datetime2 in UTC.
CREATE OR ALTER FUNCTION dbo.redemption_view(@id uniqueidentifier)
RETURNS TABLE
AS
RETURN
    SELECT CAST('ok' AS varchar(40)) AS status, r.id, r.program_id, r.code, r.referrer_id, r.referee_id, r.order_id,
           r.status AS redemption_status, r.currency, r.referrer_reward, r.referee_reward, r.referrer_shortfall,
           r.referee_shortfall, r.qualifying_order_id, r.order_amount, r.reversal_reason,
           CONVERT(datetime2(6), SWITCHOFFSET(r.created_at, '+00:00')) AS created_at,
           CONVERT(datetime2(6), SWITCHOFFSET(r.qualified_at, '+00:00')) AS qualified_at,
           CONVERT(datetime2(6), SWITCHOFFSET(r.reversed_at, '+00:00')) AS reversed_at,
           r.kind, r.discount, r.click_id,
           CONVERT(datetime2(6), SWITCHOFFSET(r.qualify_by, '+00:00')) AS qualify_by,
           CONVERT(datetime2(6), SWITCHOFFSET(r.available_at, '+00:00')) AS available_at,
           CONVERT(datetime2(6), SWITCHOFFSET(r.expired_at, '+00:00')) AS expired_at
    FROM dbo.redemptions r
    WHERE r.id = @id;
