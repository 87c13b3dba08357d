-- Changes a program: the twin of db/postgres/procedures/programs/update_program.sql (what may change, and when).
-- The parameters 0007, 0010 and 0013 added default to NULL (unchanged), for instances of the release before during a
-- deploy. A link setting (@landing_url .. @share_text_template) is set by a value, cleared by '' and left as it is by
-- NULL. A budget given recounts committed under the program's update lock (PG's update_program says why).
CREATE OR ALTER PROCEDURE dbo.update_program
    @id                            uniqueidentifier,
    @status                        varchar(10),
    @name                          nvarchar(200) = NULL,
    @max_rewards_per_referrer      int,
    @minimum_order_amount          bigint,
    @offer_type                    varchar(10) = NULL,
    @offer_percent_off             int = NULL,
    @offer_max_discount            bigint = NULL,
    @offer_amount                  bigint = NULL,
    @commission_amount             bigint = NULL,
    @commission_basis_points       int = NULL,
    @commission_max                bigint = NULL,
    @starts_at                     datetimeoffset(6) = NULL,
    @ends_at                       datetimeoffset(6) = NULL,
    @max_redemptions_per_code      int = NULL,
    @max_redemptions_per_customer  int = NULL,
    @new_customers_only            bit = NULL,
    @landing_url                   nvarchar(2000) = NULL,
    @ios_app_store_url             nvarchar(2000) = NULL,
    @android_package               varchar(255) = NULL,
    @deep_link_template            nvarchar(2000) = NULL,
    @share_text_template           nvarchar(1000) = NULL,
    @hold_days                     int = NULL,
    @qualify_within_days           int = NULL,
    @credit_expiry_days            int = NULL,
    @budget                        bigint = NULL
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @current varchar(10), @kind varchar(10), @current_starts datetimeoffset(6), @current_ends datetimeoffset(6),
            @current_per_code int, @committed bigint;
    DECLARE @commission bit = CASE WHEN @commission_amount IS NOT NULL OR @commission_basis_points IS NOT NULL THEN 1 ELSE 0 END;
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    DECLARE @result dbo.program_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        -- Row lock until commit: the checks below decide the write.
        -- UPDLOCK holds it to commit; no HOLDLOCK, which adds only a range lock when the id is missing.
        SELECT @current = p.status, @kind = p.kind, @current_starts = p.starts_at, @current_ends = p.ends_at,
               @current_per_code = p.max_redemptions_per_code
        FROM dbo.programs p WITH (UPDLOCK, ROWLOCK) WHERE p.id = @id;
        -- A budget given: the live redemptions' commitments, read under that lock, which a redemption of a budgeted
        -- program waits for before it commits against the budget.
        IF @current IS NOT NULL AND @budget IS NOT NULL
            SELECT @committed = COALESCE(SUM(r.referrer_reward + r.referee_reward + r.discount), 0)
            FROM dbo.redemptions r
            WHERE r.program_id = @id AND r.status IN ('pending', 'held', 'rewarded', 'redeemed');
        IF @current IS NULL
            INSERT INTO @result (status) VALUES ('not_found');
        ELSE IF @current = 'ended' AND COALESCE(@status, 'ended') <> 'ended'
            INSERT INTO @result (status) VALUES ('invalid_state');
        ELSE IF (@offer_type IS NOT NULL AND @kind = 'referral')
             OR (@commission = 1 AND @kind <> 'partner')
             OR (@max_rewards_per_referrer IS NOT NULL AND @kind <> 'referral')
             OR ((@max_redemptions_per_code IS NOT NULL OR @max_redemptions_per_customer IS NOT NULL
                  OR @new_customers_only IS NOT NULL) AND @kind = 'referral')
             OR ((@hold_days IS NOT NULL OR @qualify_within_days IS NOT NULL) AND @kind = 'promo')
            INSERT INTO @result (status) VALUES ('wrong_program_kind');
        ELSE IF COALESCE(@starts_at, @current_starts) >= COALESCE(@ends_at, @current_ends)
            INSERT INTO @result (status) VALUES ('validation_failed');
        ELSE IF @offer_type IS NOT NULL
             AND EXISTS (SELECT 1 FROM dbo.redemptions r WHERE r.program_id = @id AND r.kind <> 'referral')
            INSERT INTO @result (status) VALUES ('program_has_redemptions');
        ELSE IF @committed > @budget
            INSERT INTO @result (status) VALUES ('budget_below_committed');
        ELSE
        BEGIN
            UPDATE dbo.programs
            SET status = COALESCE(@status, status),
                name = COALESCE(@name, name),
                max_rewards_per_referrer = COALESCE(@max_rewards_per_referrer, max_rewards_per_referrer),
                minimum_order_amount = COALESCE(@minimum_order_amount, minimum_order_amount),
                offer_type = COALESCE(@offer_type, offer_type),
                offer_percent_off = CASE WHEN @offer_type IS NULL THEN offer_percent_off ELSE @offer_percent_off END,
                offer_max_discount = CASE WHEN @offer_type IS NULL THEN offer_max_discount ELSE @offer_max_discount END,
                offer_amount = CASE WHEN @offer_type IS NULL THEN offer_amount ELSE @offer_amount END,
                commission_amount = CASE WHEN @commission = 1 THEN @commission_amount ELSE commission_amount END,
                commission_basis_points = CASE WHEN @commission = 1 THEN @commission_basis_points ELSE commission_basis_points END,
                commission_max = CASE WHEN @commission = 1 THEN @commission_max ELSE commission_max END,
                starts_at = COALESCE(@starts_at, starts_at),
                ends_at = COALESCE(@ends_at, ends_at),
                max_redemptions_per_code = COALESCE(@max_redemptions_per_code, max_redemptions_per_code),
                max_redemptions_per_customer = COALESCE(@max_redemptions_per_customer, max_redemptions_per_customer),
                new_customers_only = COALESCE(@new_customers_only, new_customers_only),
                landing_url = CASE WHEN @landing_url IS NULL THEN landing_url ELSE NULLIF(@landing_url, N'') END,
                ios_app_store_url = CASE WHEN @ios_app_store_url IS NULL THEN ios_app_store_url ELSE NULLIF(@ios_app_store_url, N'') END,
                android_package = CASE WHEN @android_package IS NULL THEN android_package ELSE NULLIF(@android_package, '') END,
                deep_link_template = CASE WHEN @deep_link_template IS NULL THEN deep_link_template ELSE NULLIF(@deep_link_template, N'') END,
                share_text_template = CASE WHEN @share_text_template IS NULL THEN share_text_template ELSE NULLIF(@share_text_template, N'') END,
                hold_days = COALESCE(@hold_days, hold_days),
                qualify_within_days = COALESCE(@qualify_within_days, qualify_within_days),
                credit_expiry_days = COALESCE(@credit_expiry_days, credit_expiry_days),
                budget = COALESCE(@budget, budget),
                committed = COALESCE(@committed, committed),
                updated_at = @now
            WHERE id = @id;
            IF @max_redemptions_per_code IS NOT NULL AND @current_per_code IS NULL
                EXEC dbo.recount_code_uses @program_id = @id;
            INSERT INTO @result SELECT * FROM dbo.program_view(@id);
        END;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT * FROM @result;
END;
