-- One redemption as a redemption_row; status 'not_found' (and NULLs) when there is no such redemption.
CREATE OR ALTER PROCEDURE dbo.get_redemption
    @id uniqueidentifier
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @result TABLE (
        status               varchar(40)      NOT NULL,
        id                   uniqueidentifier NULL,
        program_id           uniqueidentifier NULL,
        code                 nvarchar(32)     NULL,
        referrer_id          nvarchar(64)     NULL,
        referee_id           nvarchar(64)     NULL,
        order_id             nvarchar(64)     NULL,
        redemption_status    varchar(10)      NULL,
        currency             char(3)          NULL,
        referrer_reward      bigint           NULL,
        referee_reward       bigint           NULL,
        referrer_shortfall   bigint           NULL,
        referee_shortfall    bigint           NULL,
        qualifying_order_id  nvarchar(64)     NULL,
        order_amount         bigint           NULL,
        reversal_reason      nvarchar(200)    NULL,
        created_at           datetime2(6)     NULL,
        qualified_at         datetime2(6)     NULL,
        reversed_at          datetime2(6)     NULL);

    BEGIN TRY
        BEGIN TRANSACTION;
        INSERT INTO @result SELECT * FROM dbo.redemption_view(@id);
        IF NOT EXISTS (SELECT 1 FROM @result)
            INSERT INTO @result (status) VALUES ('not_found');
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT status, id, program_id, code, referrer_id, referee_id, order_id, redemption_status, currency,
           referrer_reward, referee_reward, referrer_shortfall, referee_shortfall, qualifying_order_id,
           order_amount, reversal_reason, created_at, qualified_at, reversed_at
    FROM @result;
END;
