-- One redemption as a redemption_row; status 'not_found' (and NULLs) when there is no such redemption.
-- One read statement (as dbo.get_spend): no explicit transaction, nothing to roll back.
CREATE OR ALTER PROCEDURE dbo.get_redemption
    @id uniqueidentifier
AS
BEGIN
    SET NOCOUNT ON;

    SELECT CAST(COALESCE(v.status, 'not_found') AS varchar(40)) AS status, v.id, v.program_id, v.code,
           v.referrer_id, v.referee_id, v.order_id, v.redemption_status, v.currency, v.referrer_reward,
           v.referee_reward, v.referrer_shortfall, v.referee_shortfall, v.qualifying_order_id, v.order_amount,
           v.reversal_reason, v.created_at, v.qualified_at, v.reversed_at, v.kind, v.discount, v.click_id,
           v.qualify_by, v.available_at, v.expired_at
    FROM (VALUES (1)) AS one (n)
    LEFT JOIN dbo.redemption_view(@id) v ON 1 = 1;
END;
