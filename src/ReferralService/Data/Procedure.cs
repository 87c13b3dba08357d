namespace ReferralService.Data;

/// <summary>A stored procedure as both engines declare it: name and parameters in order.</summary>
internal sealed record Procedure(string Name, IReadOnlyList<string> Parameters, bool ReadOnly = false)
{
    public static Procedure Reads(string name, params string[] parameters) => new(name, parameters, ReadOnly: true);

    public static Procedure Writes(string name, params string[] parameters) => new(name, parameters);
}

/// <summary>Every procedure the data layer calls. The parity test checks both engines against this list.</summary>
internal static class Procedures
{
    private static readonly string[] Idempotency = ["caller_id", "idempotency_key", "request_hash"];

    public static readonly Procedure CreateProgram = Procedure.Writes("create_program",
        ["id", "name", "currency", "referrer_reward", "referee_reward", "minimum_order_amount", "max_rewards_per_referrer", .. Idempotency]);
    public static readonly Procedure GetProgram = Procedure.Reads("get_program", "id");
    public static readonly Procedure UpdateProgram = Procedure.Writes("update_program",
        "id", "status", "max_rewards_per_referrer", "minimum_order_amount");

    public static readonly Procedure GetOrCreateReferralCode = Procedure.Writes("get_or_create_referral_code",
        "program_id", "customer_id", "candidate_code");
    public static readonly Procedure CheckCode = Procedure.Reads("check_code", "code", "customer_id");

    public static readonly Procedure Redeem = Procedure.Writes("redeem",
        ["id", "code", "customer_id", "order_id", .. Idempotency]);
    public static readonly Procedure QualifyRedemption = Procedure.Writes("qualify_redemption",
        ["id", "order_id", "order_amount", .. Idempotency]);
    public static readonly Procedure ReverseRedemption = Procedure.Writes("reverse_redemption",
        ["id", "reason", .. Idempotency]);
    public static readonly Procedure GetRedemption = Procedure.Reads("get_redemption", "id");

    public static readonly Procedure GetBalances = Procedure.Reads("get_balances", "customer_id");
    public static readonly Procedure ListTransactions = Procedure.Reads("list_transactions",
        "customer_id", "starting_after", "page_size");
    public static readonly Procedure SpendCredit = Procedure.Writes("spend_credit",
        ["id", "customer_id", "amount", "currency", "order_id", .. Idempotency]);
    public static readonly Procedure ReverseSpend = Procedure.Writes("reverse_spend", ["id", .. Idempotency]);

    public static readonly Procedure TrialBalance = Procedure.Reads("trial_balance");
    public static readonly Procedure LedgerCheck = Procedure.Reads("ledger_check");
    public static readonly Procedure HealthCheck = Procedure.Reads("health_check");

    public static IReadOnlyList<Procedure> All { get; } =
    [
        CreateProgram, GetProgram, UpdateProgram, GetOrCreateReferralCode, CheckCode, Redeem, QualifyRedemption,
        ReverseRedemption, GetRedemption, GetBalances, ListTransactions, SpendCredit, ReverseSpend, TrialBalance,
        LedgerCheck, HealthCheck,
    ];
}
