using System.Collections.Concurrent;
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

    public void Redeemed(Redemption redemption)
    {
        redemptions[redemption.Id] = "pending";
        foreach (var reward in redemption.Rewards)
        {
            Add(reward.CustomerId, 0, reward.Amount);
        }
    }

    public void Qualified(Redemption redemption)
    {
        redemptions[redemption.Id] = "rewarded";
        foreach (var reward in redemption.Rewards)
        {
            Add(reward.CustomerId, reward.Amount, -reward.Amount);
        }
    }

    public void Reversed(Redemption redemption)
    {
        redemptions[redemption.Id] = "reversed";
        foreach (var reward in redemption.Rewards)
        {
            if (reward.Status == "voided")
            {
                Add(reward.CustomerId, 0, -reward.Amount);
            }
            else
            {
                // Posted credit comes back as far as the balance allowed; the rest, the shortfall, is owed.
                Add(reward.CustomerId, -reward.Amount, 0);
            }
        }
    }

    public void Spent(Spend spend)
    {
        spends[spend.Id] = (spend.CustomerId, spend.Amount, false);
        Add(spend.CustomerId, -spend.Amount, 0);
    }

    public void SpendReversed(Spend spend)
    {
        spends[spend.Id] = spends[spend.Id] with { Reversed = true };
        Add(spend.CustomerId, spend.Amount, 0);
    }

    public Guid[] RedemptionsIn(string status) => [.. redemptions.Where(r => r.Value == status).Select(r => r.Key)];

    public Guid[] OpenSpends() => [.. spends.Where(s => !s.Value.Reversed).Select(s => s.Key)];
}
