using System.Collections.Concurrent;
using System.Text.Json;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Resilience;

/// <summary>
/// What the ledger must hold after a run: every definitive 2xx answer is applied to the model once,
/// from what the answer says; refusals apply nothing. Keyed by customer, in one currency. Posted credit
/// is modelled as its net: available minus owed. A reversal takes the whole reward off the net (clawed
/// back or owed); how later credit settles what is owed depends on commit order, but never moves the net,
/// and ledger_check proves nobody holds credit while owing, so the net fixes both numbers.
/// </summary>
internal sealed class LedgerModel
{
    private readonly ConcurrentDictionary<string, (long Net, long Pending)> balances = new();
    private readonly ConcurrentDictionary<Guid, string> redemptions = new();
    private readonly ConcurrentDictionary<Guid, (string Customer, long Amount, bool Reversed)> spends = new();
    private readonly Lock gate = new();

    public IReadOnlyDictionary<string, (long Net, long Pending)> Balances => balances;

    public IReadOnlyDictionary<Guid, string> Redemptions => redemptions;

    public void Add(string customer, long net, long pending)
    {
        lock (gate)
        {
            var current = balances.GetValueOrDefault(customer);
            balances[customer] = (current.Net + net, current.Pending + pending);
        }
    }

    public void Redeemed(JsonElement redemption)
    {
        redemptions[redemption.GetProperty("id").GetGuid()] = "pending";
        foreach (var reward in redemption.GetProperty("rewards").EnumerateArray())
        {
            Add(reward.Str("customerId"), 0, reward.Long("amount"));
        }
    }

    public void Qualified(JsonElement redemption)
    {
        redemptions[redemption.GetProperty("id").GetGuid()] = "rewarded";
        foreach (var reward in redemption.GetProperty("rewards").EnumerateArray())
        {
            Add(reward.Str("customerId"), reward.Long("amount"), -reward.Long("amount"));
        }
    }

    public void Reversed(JsonElement redemption)
    {
        redemptions[redemption.GetProperty("id").GetGuid()] = "reversed";
        foreach (var reward in redemption.GetProperty("rewards").EnumerateArray())
        {
            var amount = reward.Long("amount");
            if (reward.Str("status") == "voided")
            {
                Add(reward.Str("customerId"), 0, -amount);
            }
            else
            {
                // Posted credit comes back as far as the balance allowed; the rest, the shortfall, is owed.
                Add(reward.Str("customerId"), -amount, 0);
            }
        }
    }

    public void Spent(JsonElement spend)
    {
        spends[spend.GetProperty("id").GetGuid()] = (spend.Str("customerId"), spend.Long("amount"), false);
        Add(spend.Str("customerId"), -spend.Long("amount"), 0);
    }

    public void SpendReversed(JsonElement spend)
    {
        var id = spend.GetProperty("id").GetGuid();
        spends[id] = spends[id] with { Reversed = true };
        Add(spend.Str("customerId"), spend.Long("amount"), 0);
    }

    public Guid[] RedemptionsIn(string status) => [.. redemptions.Where(r => r.Value == status).Select(r => r.Key)];

    public Guid[] OpenSpends() => [.. spends.Where(s => !s.Value.Reversed).Select(s => s.Key)];
}
