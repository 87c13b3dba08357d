-- Creates a program of any kind and its funding account (the rules of each kind: PG's create_program.sql).
-- The parameters 0007, 0010 and 0013 added have defaults, so an instance of the release before can still create referral
-- programs while a deploy replaces instances one by one. A repeat of the same Idempotency-Key replays the
-- stored outcome; the same key with another request answers 'idempotency_key_reused'.
CREATE OR ALTER PROCEDURE dbo.create_program
    @id                        uniqueidentifier,
    @name                      nvarchar(200),
    @currency                  char(3),
    @kind                      varchar(10) = 'referral',
    @referrer_reward           bigint,
    @referee_reward            bigint,
    @minimum_order_amount      bigint,
    @max_rewards_per_referrer  int,
    @offer_type                varchar(10) = NULL,
    @offer_percent_off         int = NULL,
    @offer_max_discount        bigint = NULL,
    @offer_amount              bigint = NULL,
    @commission_amount         bigint = NULL,
    @commission_basis_points   int = NULL,
    @commission_max            bigint = NULL,
    @starts_at                 datetimeoffset(6) = NULL,
    @ends_at                   datetimeoffset(6) = NULL,
    @max_redemptions_per_code  int = NULL,
    @max_redemptions_per_customer int = NULL,
    @new_customers_only        bit = 0,
    @landing_url               nvarchar(2000) = NULL,
    @ios_app_store_url         nvarchar(2000) = NULL,
    @android_package           varchar(255) = NULL,
    @deep_link_template        nvarchar(2000) = NULL,
    @share_text_template       nvarchar(1000) = NULL,
    @hold_days                 int = NULL,
    @qualify_within_days       int = NULL,
    @credit_expiry_days        int = NULL,
    @budget                    bigint = NULL,
    @caller_id                 nvarchar(200),
    @idempotency_key           nvarchar(255),
    @request_hash              char(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @outcome nvarchar(max), @funding bigint, @funding_owner nvarchar(64);
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    -- The program_row being answered (PG: v_result).
    DECLARE @result dbo.program_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC dbo.idempotency_begin @caller_id = @caller_id, @idempotency_key = @idempotency_key,
            @operation = 'create_program', @request_hash = @request_hash, @outcome = @outcome OUTPUT;
        IF @outcome IS NOT NULL
        BEGIN
            INSERT INTO @result SELECT * FROM dbo.program_from_json(@outcome);
            GOTO done;
        END;

        -- The funding account is owned by the program id as text (lower case, as PG's uuid::text).
        SET @funding_owner = LOWER(CONVERT(nvarchar(36), @id));
        EXEC dbo.system_account @kind = 'funding', @owner_id = @funding_owner, @currency = @currency,
            @id = @funding OUTPUT;
        INSERT INTO dbo.programs (id, name, currency, kind, referrer_reward, referee_reward, minimum_order_amount,
                                  max_rewards_per_referrer, offer_type, offer_percent_off, offer_max_discount, offer_amount,
                                  commission_amount, commission_basis_points, commission_max, starts_at, ends_at,
                                  max_redemptions_per_code, max_redemptions_per_customer, new_customers_only,
                                  landing_url, ios_app_store_url, android_package, deep_link_template, share_text_template,
                                  hold_days, qualify_within_days, credit_expiry_days, budget,
                                  status, funding_account_id, created_at, updated_at)
        VALUES (@id, @name, @currency, @kind, @referrer_reward, @referee_reward, @minimum_order_amount,
                @max_rewards_per_referrer, @offer_type, @offer_percent_off, @offer_max_discount, @offer_amount,
                @commission_amount, @commission_basis_points, @commission_max, @starts_at, @ends_at,
                @max_redemptions_per_code, @max_redemptions_per_customer, @new_customers_only,
                @landing_url, @ios_app_store_url, @android_package, @deep_link_template, @share_text_template,
                @hold_days, @qualify_within_days, @credit_expiry_days, @budget,
                'active', @funding, @now, @now);
        INSERT INTO @result SELECT * FROM dbo.program_view(@id);

        IF @idempotency_key IS NOT NULL
        BEGIN
            SET @outcome = (SELECT * FROM @result FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
            EXEC dbo.idempotency_finish @caller_id = @caller_id, @idempotency_key = @idempotency_key,
                @operation = 'create_program', @request_hash = @request_hash, @outcome = @outcome;
        END;

    done:
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT * FROM @result;
END;
