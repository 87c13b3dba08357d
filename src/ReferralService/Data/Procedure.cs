namespace ReferralService.Data;

/// <summary>
/// A stored procedure as both engines declare it: name and parameters in order. A lookup is a read of a
/// few rows by key, short enough to share a server connection with other lookups (PostgreSQL: multiplexed).
/// </summary>
internal sealed record Procedure(string Name, IReadOnlyList<string> Parameters, bool ReadOnly = false, bool Lookup = false)
{
    public static Procedure Reads(string name, params string[] parameters) => new(name, parameters, ReadOnly: true);

    public static Procedure LooksUp(string name, params string[] parameters) => new(name, parameters, ReadOnly: true, Lookup: true);

    public static Procedure Writes(string name, params string[] parameters) => new(name, parameters);
}

/// <summary>A result row whose first column is the procedure's status word: an outcome or a refusal code.</summary>
internal interface IOutcomeRow
{
    string Status { get; }
}

/// <summary>Every procedure the data layer calls. The parity test checks both engines against this list.</summary>
internal static class Procedures
{
    private static readonly string[] Idempotency = ["caller_id", "idempotency_key", "request_hash"];

    public static readonly Procedure CreateProgram = Procedure.Writes("create_program",
        ["id", "name", "currency", "referrer_reward", "referee_reward", "minimum_order_amount", "max_rewards_per_referrer", .. Idempotency]);
    public static readonly Procedure GetProgram = Procedure.LooksUp("get_program", "id");
    public static readonly Procedure UpdateProgram = Procedure.Writes("update_program",
        "id", "status", "max_rewards_per_referrer", "minimum_order_amount");

    public static readonly Procedure GetOrCreateReferralCode = Procedure.Writes("get_or_create_referral_code",
        "program_id", "customer_id", "candidate_code");
    public static readonly Procedure CheckCode = Procedure.LooksUp("check_code", "code", "customer_id");

    public static readonly Procedure Redeem = Procedure.Writes("redeem",
        ["id", "code", "customer_id", "order_id", .. Idempotency]);
    public static readonly Procedure QualifyRedemption = Procedure.Writes("qualify_redemption",
        ["id", "order_id", "order_amount", .. Idempotency]);
    public static readonly Procedure ReverseRedemption = Procedure.Writes("reverse_redemption",
        ["id", "reason", .. Idempotency]);
    public static readonly Procedure GetRedemption = Procedure.LooksUp("get_redemption", "id");

    public static readonly Procedure GetBalances = Procedure.LooksUp("get_balances", "customer_id");
    public static readonly Procedure ListTransactions = Procedure.Reads("list_transactions",
        "customer_id", "starting_after", "page_size");
    public static readonly Procedure SpendCredit = Procedure.Writes("spend_credit",
        ["id", "customer_id", "amount", "currency", "order_id", .. Idempotency]);
    public static readonly Procedure ReverseSpend = Procedure.Writes("reverse_spend", ["id", .. Idempotency]);
    public static readonly Procedure GetSpend = Procedure.LooksUp("get_spend", "id", "customer_id");

    public static readonly Procedure TrialBalance = Procedure.Reads("trial_balance");
    public static readonly Procedure LedgerCheck = Procedure.Reads("ledger_check");
    public static readonly Procedure HealthCheck = Procedure.LooksUp("health_check");
    public static readonly Procedure PurgeIdempotencyKeys = Procedure.Writes("purge_idempotency_keys", "before", "batch_size");

    public static IReadOnlyList<Procedure> All { get; } =
    [
        CreateProgram, GetProgram, UpdateProgram, GetOrCreateReferralCode, CheckCode, Redeem, QualifyRedemption,
        ReverseRedemption, GetRedemption, GetBalances, ListTransactions, SpendCredit, ReverseSpend, GetSpend, TrialBalance,
        LedgerCheck, HealthCheck, PurgeIdempotencyKeys,
    ];
}
